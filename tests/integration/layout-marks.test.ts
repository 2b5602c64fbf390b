import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/data/keys.ts';
import { LAYOUT_MARKS } from '../../functions/data/layout-marks.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The layout marks at deploy (lib/constructs/layout-marks.ts): the data stack's custom resource function,
 * bundled as synth bundles it, invoked here as CDK's provider framework invokes it.
 */
describe('layout marks written at deploy and at local start (functions/data/layout-marks.ts)', () => {
  let rt: TestRuntime;
  const marks = async () =>
    Promise.all(LAYOUT_MARKS.map(async (key) => (await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: key, ConsistentRead: true }))).Item));
  const unmark = () => Promise.all(LAYOUT_MARKS.map((key) => rt.db.send(new DeleteCommand({ TableName: rt.tableName, Key: key }))));
  const deploy = (RequestType: string, TableName = rt.tableName) =>
    rt.lambdas.invoke(rt.lambdas.byLogicalId('LayoutMarksHandler').arn, {
      RequestType,
      ServiceToken: 'arn:aws:lambda:local:000000000000:function:framework',
      ResourceType: 'Custom::TendLayoutMarks',
      ResourceProperties: { ServiceToken: 'x', TableName },
    }) as Promise<{ PhysicalResourceId: string; Data?: { HoldsAccounts: string } }>;

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-04-06T00:00:00Z'), paused: true });
  });
  afterAll(() => rt?.stop());

  it('marks the table the local runtime creates empty', async () => {
    expect((await marks()).map((m) => m && { pk: m.pk, sk: m.sk })).toEqual([...LAYOUT_MARKS]);
  });

  it('marks an empty table at deploy, and a second deploy changes nothing', async () => {
    await unmark();
    expect(await deploy('Create')).toEqual({ PhysicalResourceId: rt.tableName, Data: { HoldsAccounts: 'false', Marked: 'true' } });
    const first = await marks();
    expect(first.map((m) => m && { pk: m.pk, sk: m.sk })).toEqual([...LAYOUT_MARKS]);
    rt.clock.advanceTo(rt.clock.nowMs() + 86_400_000);
    expect(await deploy('Update')).toEqual({ PhysicalResourceId: rt.tableName, Data: { HoldsAccounts: 'false', Marked: 'true' } });
    // The list mark keeps the time it was first written: the conditional puts refused the second run.
    expect(await marks()).toEqual(first);
    expect(Date.parse(String(first.find((m) => m?.pk === keys.listReady.pk)?.at))).toBeLessThan(rt.clock.nowMs() - 3_600_000);
  });

  it('never marks a table that holds an account, whatever its layout: the rebuild does', async () => {
    const created = await rt.request('POST', '/v1/accounts', { id: 'acme', name: 'Acme', seats: 5, primaryContact: { email: 'o@acme.example', name: 'O' } });
    expect(created.status).toBe(201);
    // Marked while empty: the deploy says so, and writes nothing.
    const before = await marks();
    expect(await deploy('Update')).toEqual({ PhysicalResourceId: rt.tableName, Data: { HoldsAccounts: 'true', Marked: 'true' } });
    expect(await marks()).toEqual(before);
    await unmark();
    expect(await deploy('Create')).toEqual({ PhysicalResourceId: rt.tableName, Data: { HoldsAccounts: 'true', Marked: 'false' } });
    expect(await deploy('Update')).toEqual({ PhysicalResourceId: rt.tableName, Data: { HoldsAccounts: 'true', Marked: 'false' } });
    expect(await marks()).toEqual([undefined, undefined, undefined]);
  });

  it('leaves the table alone when the resource is deleted, and refuses an event without a table', async () => {
    expect(await deploy('Delete')).toEqual({ PhysicalResourceId: rt.tableName });
    expect(await marks()).toEqual([undefined, undefined, undefined]);
    await expect(deploy('Create', '')).rejects.toThrow(/TableName/);
  });
});
