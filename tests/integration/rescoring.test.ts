import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
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

  /** The shard's marks (its partition also holds the rescorings' records of the day, sorted before them). */
  const marks = async () =>
    (
      await rt.db.send(
        new QueryCommand({
          TableName: rt.tableName,
          KeyConditionExpression: 'pk = :p AND sk >= :from',
          ExpressionAttributeValues: { ':p': keys.dirtyShard(shardOf('fresh')), ':from': keys.dirtyMarksFrom },
        }),
      )
    ).Items ?? [];
  const markedShards = async () => {
    const flags = await Promise.all(
      Array.from({ length: ACCOUNT_SHARDS }, (_, i) =>
        rt.db.send(new QueryCommand({ TableName: rt.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `DIRTYFLAG#${i}` } })),
      ),
    );
    return flags.flatMap((f, i) => (f.Items?.length ? [i] : []));
  };
  const score = async () => (await rt.items('fresh', keys.score('fresh').sk))[0];
  const rescore = () => rt.rescore();
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
    expect((await marks()).map((m) => m.sk)).toEqual(['2026-05-04T00#fresh']);
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

describe('marks in hour buckets', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());
  const HOUR = 3_600_000;
  const all = Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i);

  it("reads only buckets of hours that have ended, deletes what it read, and keeps a later hour's marks and a failed account's", async () => {
    const dirty = dirtyAccounts(rt.db, rt.tableName);
    const ids = Array.from({ length: 40 }, (_, i) => `acct-${i}`);
    await dirty.mark(ids, new Date(start + 10 * 60_000));
    // Twice in the hour: the same items, overwritten.
    await dirty.mark(ids, new Date(start + 20 * 60_000));
    const shards = [...new Set(ids.map(shardOf))].sort((a, b) => a - b);
    // The hour has not ended: nothing to read, and no Query made.
    const queries = rt.dynamo.operations.Query ?? 0;
    expect(await dirty.closed(all, new Date(start + 50 * 60_000))).toEqual([]);
    expect(rt.dynamo.operations.Query ?? 0).toBe(queries);

    // A mark written five minutes before the hour ends goes to the next hour's bucket (the margin for late writes).
    await dirty.mark(['acct-0'], new Date(start + 56 * 60_000));
    // The day's scored-today records share the shards' partitions: they are not marks.
    for (const shard of shards)
      await rt.db.send(
        new PutCommand({ TableName: rt.tableName, Item: { ...keys.scoredToday('2026-05-04', shard, new Date(start).toISOString(), 'r'), d: '[]' } }),
      );
    const read = await dirty.closed(all, new Date(start + HOUR));
    expect(read.map((r) => r.shard)).toEqual(shards);
    expect(read.flatMap((r) => r.accountIds).sort()).toEqual([...ids].sort());
    expect(read.every((r) => r.flags.length === 1 && r.marks.length === r.accountIds.length)).toBe(true);
    // No single key takes every write: each shard's flags are under a partition key of their own.
    expect(new Set(shards.map((s) => keys.dirtyFlag(s, '2026-05-04T00').pk)).size).toBe(shards.length);

    const writes = rt.dynamo.operations.BatchWriteItem ?? 0;
    await dirty.clear(read, new Set(['acct-1']), new Date(start + HOUR));
    // 40 marks and their flags, 25 to a request.
    expect((rt.dynamo.operations.BatchWriteItem ?? 0) - writes).toBeLessThanOrEqual(Math.ceil((ids.length + shards.length + 1) / 25));
    expect(rt.dynamo.operations.DeleteItem ?? 0).toBe(0);
    // What is left: acct-1's mark (its scoring failed) and acct-0's mark of the next hour.
    const left = (await Promise.all(all.map((s) => dirty.list(s)))).flat().sort();
    expect(left).toEqual(['acct-0', 'acct-1']);
    // The next hour's run finds both: acct-1 through the flag its shard kept, acct-0 through its own hour's.
    const next = await dirty.closed(all, new Date(start + 2 * HOUR));
    expect(next.flatMap((r) => r.accountIds).sort()).toEqual(['acct-0', 'acct-1']);
    await dirty.clear(next, new Set(), new Date(start + 2 * HOUR));
    expect((await Promise.all(all.map((s) => dirty.list(s)))).flat()).toEqual([]);
    // A quiet hour: one read of the flags, no Query.
    const before = { q: rt.dynamo.operations.Query ?? 0, g: rt.dynamo.operations.BatchGetItem ?? 0 };
    expect(await dirty.closed(all, new Date(start + 3 * HOUR))).toEqual([]);
    expect({ q: rt.dynamo.operations.Query ?? 0, g: rt.dynamo.operations.BatchGetItem ?? 0 }).toEqual({ q: before.q, g: before.g + 1 });
  });
});
