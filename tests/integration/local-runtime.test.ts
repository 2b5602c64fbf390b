import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { ROUTES } from '../../functions/api/routes.ts';

describe('local runtime stand-ins', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-02-01T00:00:00Z'), paused: true });
  });
  afterAll(() => rt?.stop());

  it('creates the table from the template and sweeps items whose TTL has passed', async () => {
    const now = Math.floor(rt.clock.nowMs() / 1000);
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#ttl', sk: 'DAY#old', expiresAt: now - 1 } }));
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#ttl', sk: 'DAY#new', expiresAt: now + 3600 } }));
    expect(await rt.dynamo.sweep(rt.clock.nowMs())).toBe(1);
    expect((await rt.items('ttl')).map((i) => i.sk)).toEqual(['DAY#new']);
  });

  it('sweeps by what each write left: a TTL set or moved by an update, an item rewritten without TTL, a deleted item', async () => {
    const now = Math.floor(rt.clock.nowMs() / 1000);
    const put = (sk: string, extra: Record<string, unknown>) =>
      rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#ttl2', sk, ...extra } }));
    const setTtl = (sk: string, at: number) =>
      rt.db.send(
        new UpdateCommand({
          TableName: rt.tableName,
          Key: { pk: 'ACCOUNT#ttl2', sk },
          UpdateExpression: 'SET #e = :e',
          ExpressionAttributeNames: { '#e': 'expiresAt' },
          ExpressionAttributeValues: { ':e': at },
        }),
      );
    await put('A#set-by-update', { n: 1 });
    await setTtl('A#set-by-update', now - 5);
    await put('B#moved-later', { expiresAt: now - 5 });
    await setTtl('B#moved-later', now + 3600);
    await put('C#rewritten-without-ttl', { expiresAt: now - 5 });
    await put('C#rewritten-without-ttl', { n: 2 });
    await put('D#removed-by-update', { expiresAt: now - 5 });
    await rt.db.send(
      new UpdateCommand({ TableName: rt.tableName, Key: { pk: 'ACCOUNT#ttl2', sk: 'D#removed-by-update' }, UpdateExpression: 'REMOVE expiresAt' }),
    );
    // Updates shaped like ingest's claims and the rate counter (the expiry read off the request), and if_not_exists (read back).
    const update = (sk: string, UpdateExpression: string, values: Record<string, unknown>) =>
      rt.db.send(
        new UpdateCommand({
          TableName: rt.tableName,
          Key: { pk: 'ACCOUNT#ttl2', sk },
          UpdateExpression,
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: values,
        }),
      );
    await update('E#claim-expired', 'ADD #n :one SET expiresAt = :exp', { ':one': 1, ':exp': now - 5 });
    await update('F#claim-later', 'SET expiresAt = :exp ADD #n :one', { ':one': 1, ':exp': now + 3600 });
    await put('G#kept-by-if-not-exists', { expiresAt: now + 3600 });
    await update('G#kept-by-if-not-exists', 'ADD #n :one SET expiresAt = if_not_exists(expiresAt, :exp)', { ':one': 1, ':exp': now - 5 });
    await update('H#set-by-if-not-exists', 'ADD #n :one SET expiresAt = if_not_exists(expiresAt, :exp)', { ':one': 1, ':exp': now - 5 });
    expect(await rt.dynamo.sweep(rt.clock.nowMs())).toBe(3);
    expect((await rt.items('ttl2')).map((i) => i.sk)).toEqual([
      'B#moved-later',
      'C#rewritten-without-ttl',
      'D#removed-by-update',
      'F#claim-later',
      'G#kept-by-if-not-exists',
    ]);
    // Nothing left to sweep, and the sweeps themselves are not counted as requests (TTL deletes are free).
    expect(await rt.dynamo.sweep(rt.clock.nowMs())).toBe(0);
    expect(rt.dynamo.operations.BatchWriteItem ?? 0).toBe(0);
  });

  it('never deletes an item that a write refreshed while a sweep was under way', async () => {
    const now = Math.floor(rt.clock.nowMs() / 1000);
    const put = (i: number, expiresAt: number) =>
      rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#race', sk: `DAY#${String(i).padStart(3, '0')}`, expiresAt } }));
    const all = Array.from({ length: 300 }, (_, i) => i);
    for (const i of all) await put(i, now - 10);
    const refreshed = all.filter((i) => i % 3 === 0);
    const sweep = rt.sweepExpired();
    await Promise.all(refreshed.map((i) => put(i, now + 3600)));
    await sweep;
    await rt.sweepExpired();
    expect((await rt.items('race')).map((i) => i.sk)).toEqual(refreshed.map((i) => `DAY#${String(i).padStart(3, '0')}`));
  });

  it('counts requests and capacity units by operation, and answers a caller that did not ask without them', async () => {
    const before = rt.dynamo.totals();
    const opsBefore = { ...rt.dynamo.operations };
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#meter', sk: 'X', blob: 'x'.repeat(1500) } }));
    const plain = await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: { pk: 'ACCOUNT#meter', sk: 'X' }, ConsistentRead: true }));
    const asked = await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: { pk: 'ACCOUNT#meter', sk: 'X' }, ReturnConsumedCapacity: 'TOTAL' }));
    const refused = await rt.db
      .send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#meter', sk: 'X' }, ConditionExpression: 'attribute_not_exists(pk)' }))
      .catch((err: Error) => err.name);
    expect(plain.Item?.blob).toHaveLength(1500);
    expect(plain.ConsumedCapacity).toBeUndefined();
    expect(asked.ConsumedCapacity).toEqual({ TableName: rt.tableName, CapacityUnits: 0.5 });
    expect(refused).toBe('ConditionalCheckFailedException');
    const after = rt.dynamo.totals();
    // A 1.5 KB item: 2 WRU to write; 1 RRU strongly consistent, 0.5 eventually; a refused write at least 1 WRU.
    expect(after.writeUnits - before.writeUnits).toBe(3);
    expect(after.readUnits - before.readUnits).toBe(1.5);
    expect(after.requests - before.requests).toBe(4);
    expect((rt.dynamo.operations.GetItem ?? 0) - (opsBefore.GetItem ?? 0)).toBe(2);
  });

  it('loads every Lambda, route, schedule and state machine of the assembly', () => {
    // API, scoring, play steps, play starter, unsubscribe, SES events, the held-send sweep, the notifier, the sign-in token
    // trigger, the deploy-time layout marks (CDK's deploy-time helpers, BucketDeployment and the custom resource framework, are not run locally).
    expect(rt.lambdas.functions.size).toBe(10);
    // Every route of the one route list, served by the assembly (no list to keep in step here).
    expect(rt.routes.map((r) => r.routeKey).sort()).toEqual(Object.keys(ROUTES).sort());
    expect(rt.routes.length).toBeGreaterThan(15);
    // The daily scoring run and the plays' daily sweep, the CSM digest, rescoring, and the sweep of held sends.
    expect(rt.scheduler.schedules.map((s) => s.expression).sort()).toEqual([
      'cron(0 6 * * ? *)',
      'cron(0 6 * * ? *)',
      'cron(0 7 * * ? *)',
      'rate(1 hour)',
      'rate(1 hour)',
    ]);
    // The daily scoring run and one machine per play.
    expect(rt.sfn.machines.size).toBe(8);
  });

  it('starts an execution name once: same name and input returns the run, another input is refused', async () => {
    const machine = [...rt.sfn.machines.values()].find((m) => m.name.includes('Playonboarding'));
    const input = JSON.stringify({
      accountId: 'nobody',
      play: 'onboarding',
      cycle: '2026-02-01',
      anchor: '2026-02-01T00:00:00Z',
      trigger: { on: 'manual', at: '2026-02-01T00:00:00Z' },
    });
    const first = rt.sfn.start(machine!.arn, 'dup-test', input);
    expect(rt.sfn.start(machine!.arn, 'dup-test', input)).toBe(first);
    expect(() => rt.sfn.start(machine!.arn, 'dup-test', JSON.stringify({ accountId: 'other' }))).toThrow(/Execution Already Exists/);
    await first.done;
    // The account does not exist: Begin's failure is caught and recorded, not lost.
    expect(first.status).toBe('FAILED');
    expect(first.history.map((h) => h.state)).toContain('Record failure');
  });
});

describe('stopping the local runtime', () => {
  it('waits for a TTL sweep under way instead of closing the database under it', async () => {
    const rt = await testRuntime({ start: new Date('2026-02-01T00:00:00Z'), paused: true });
    const expired = Math.floor(rt.clock.nowMs() / 1000) - 1;
    const total = 2000;
    for (let i = 0; i < total; i++)
      await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { pk: 'ACCOUNT#ttl', sk: `DAY#${i}`, expiresAt: expired } }));
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      const sweep = rt.sweepExpired();
      while (rt.dynamo.expiredDeleted === 0) await new Promise((r) => setImmediate(r));
      await rt.stop();
      const deleted = await sweep;
      // The sweep stopped part-way, after the batch it had sent, and nothing failed behind it.
      expect(deleted).toBeGreaterThan(0);
      expect(deleted).toBeLessThan(total);
      await new Promise((r) => setTimeout(r, 50));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });
});

describe('the local TTL index after a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tend-ttl-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is rebuilt from the data on disk: what expired while stopped is swept', async () => {
    const start = new Date('2026-02-01T00:00:00Z');
    const first = await testRuntime({ dataDir, start, paused: true });
    const now = Math.floor(first.clock.nowMs() / 1000);
    await first.db.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'ACCOUNT#disk', sk: 'SOON', expiresAt: now + 60 } }));
    await first.db.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'ACCOUNT#disk', sk: 'LATER', expiresAt: now + 86_400 } }));
    await first.stop();
    const second = await testRuntime({ dataDir, start: new Date(start.getTime() + 3_600_000), paused: true });
    try {
      expect(await second.dynamo.sweep(second.clock.nowMs())).toBe(1);
      expect((await second.items('disk')).map((i) => i.sk)).toEqual(['LATER']);
    } finally {
      await second.stop();
    }
  });
});
