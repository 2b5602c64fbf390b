import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, shardOf } from '../../functions/data/keys.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const start = Date.parse('2026-05-04T00:00:00Z');

describe('rescoring after new data', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());

  const marks = async () =>
    (
      await rt.db.send(
        new QueryCommand({
          TableName: rt.tableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': keys.dirtyShard(shardOf('fresh')) },
        }),
      )
    ).Items ?? [];
  const markedShards = async () => [
    ...(((await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.dirtyShards }))).Item?.shards as Set<number>) ?? []),
  ];
  const score = async () => (await rt.items('fresh', keys.score('fresh').sk))[0];
  const rescore = () => rt.scheduler.fire(rt.scheduler.schedules.find((s) => s.expression.startsWith('rate'))!);
  const event = (id: string, userId: string) => ({
    id,
    accountId: 'fresh',
    userId,
    name: 'used',
    timestamp: new Date(start + 3_600_000).toISOString(),
    properties: { feature: 'reports' },
  });

  it('rescores an account once after a burst of events, writes only when the score moved, and clears its mark', async () => {
    await rt.request('POST', '/v1/accounts', {
      id: 'fresh',
      name: 'Fresh',
      seats: 4,
      arr: 5000,
      startDate: new Date(start).toISOString(),
      primaryContact: { email: 'a@fresh.example' },
    });
    for (let i = 0; i < 5; i++) await rt.request('POST', '/v1/events', { events: [event(`e${i}`, 'u1')] });
    expect((await marks()).map((m) => m.sk)).toEqual(['fresh']);
    expect(await markedShards()).toEqual([shardOf('fresh')]);

    await rescore();
    expect((await score())?.score).toEqual(expect.any(Number));
    expect(await marks()).toEqual([]);
    expect(await markedShards()).toEqual([]);

    // A replayed event changes no data and no score: the account is rescored but nothing is written.
    await rt.request('POST', '/v1/events', { events: [event('e0', 'u1')] });
    const before = await score();
    await rescore();
    expect(await score()).toEqual(before);

    // A second user moves the score: it is written.
    await rt.request('POST', '/v1/events', { events: [event('e9', 'u2')] });
    await rescore();
    const after = await score();
    expect(after?.score).not.toBe(before?.score);
    // Nothing marked: a run finds nothing to do, and queries no shard.
    const queries = rt.dynamo.operations.Query ?? 0;
    await rescore();
    expect(rt.dynamo.operations.Query ?? 0).toBe(queries);
    expect(await score()).toEqual(after);
  });
});
