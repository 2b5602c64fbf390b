import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_SHARDS, keys, shardOf } from '../../functions/data/keys.ts';
import { dirtyAccounts } from '../../functions/data/dirty.ts';
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
  const markedShards = async () => {
    const flags = await Promise.all(
      Array.from({ length: ACCOUNT_SHARDS }, (_, i) => rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.dirtyFlag(i) }))),
    );
    return flags.flatMap((f, i) => (f.Item ? [i] : []));
  };
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

describe('shard flags', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());

  it('flag each marked shard in its own item, and a claim takes only the flags it read', async () => {
    const dirty = dirtyAccounts(rt.db, rt.tableName);
    const ids = Array.from({ length: 40 }, (_, i) => `acct-${i}`);
    await dirty.mark(ids, new Date(start));
    const shards = [...new Set(ids.map(shardOf))].sort((a, b) => a - b);
    const flags = async () =>
      (
        await Promise.all(Array.from({ length: ACCOUNT_SHARDS }, (_, i) => rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.dirtyFlag(i) }))))
      ).flatMap((f, i) => (f.Item ? [i] : []));
    expect(await flags()).toEqual(shards);
    // No single key takes every write: each flag is its own partition key.
    expect(new Set(shards.map((s) => keys.dirtyFlag(s).pk)).size).toBe(shards.length);
    expect(await dirty.claimShards(Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i))).toEqual(shards);
    expect(await flags()).toEqual([]);
    // A quiet hour: nothing flagged, one read and nothing claimed.
    expect(await dirty.claimShards([0, 1, 2])).toEqual([]);
    await dirty.remarkShards([shards[0]!]);
    expect(await flags()).toEqual([shards[0]]);
  });
});
