import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ACCOUNT_SHARDS, keys } from '../../functions/data/keys.ts';
import type { WireRequest } from '../../local/dynalite-call.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-05-04T00:30:00Z');
const today = '2026-05-04';

/** The runtime's hourly rescoring (an hour later) and daily run, fired by hand. */
const schedules = (rt: () => TestRuntime) => ({
  rescore: () => rt().rescore(),
  daily: () => rt().scheduler.fire(rt().scheduler.schedules.find((s) => s.expression.startsWith('cron'))!),
});

describe("the daily run and the rescorings' record of today", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());

  const { rescore, daily } = schedules(() => rt);
  const partition = async (pk: string) =>
    (await rt.db.send(new QueryCommand({ TableName: rt.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': pk } }))).Items ?? [];
  /** The partitions the daily run Queries, by the requests it makes. */
  const queriedPartitions = async (run: () => Promise<unknown>) => {
    const pks: string[] = [];
    const serve = rt.dynamo.serve.bind(rt.dynamo);
    rt.dynamo.serve = (request: WireRequest) => {
      if (request.headers['x-amz-target']?.endsWith('.Query')) {
        const values = (JSON.parse(request.body) as { ExpressionAttributeValues?: Record<string, { S?: string }> }).ExpressionAttributeValues ?? {};
        pks.push(String(values[':pk']?.S ?? values[':p']?.S ?? ''));
      }
      return serve(request);
    };
    try {
      await run();
    } finally {
      rt.dynamo.serve = serve;
    }
    return pks;
  };
  /** What the daily run leaves for the metrics: the day's health tallies and score states (without the ids of their writes). */
  const dayFigures = async () => {
    const health = (await partition(keys.healthDayPartition(today.slice(0, 7)))).map(({ pk: _pk, sk, ...tally }) => ({ sk, tally }));
    const states = (await partition(keys.scoreStatePartition(today)))
      .filter((i) => String(i.sk).startsWith('RUN#'))
      .map((i) => ({ sk: i.sk, d: i.d, failed: i.failed }));
    return { health, states };
  };

  it('reads no account a rescoring scored today, and leaves the same tallies and states as reading them', async () => {
    const account = (id: string, arr = 12_000) => ({
      id,
      name: id,
      seats: 4,
      arr,
      segment: id === 'kept-b' ? 'high-touch' : 'tech-touch',
      startDate: new Date(start - 60 * DAY).toISOString(),
      primaryContact: { email: `a@${id}.example` },
    });
    for (const id of ['kept-a', 'kept-b', 'unmarked']) expect((await rt.request('POST', '/v1/accounts', account(id))).status).toBeLessThan(300);
    const events = ['kept-a', 'kept-b'].flatMap((accountId) =>
      ['u1', 'u2'].map((userId) => ({
        id: `${accountId}-${userId}`,
        accountId,
        userId,
        name: 'used',
        timestamp: new Date(start).toISOString(),
        properties: { feature: 'reports' },
      })),
    );
    expect((await rt.request('POST', '/v1/events', { events })).status).toBeLessThan(300);
    await rescore();
    // An ARR change after the rescoring: the daily run tallies the account as it is now.
    expect((await rt.request('POST', '/v1/accounts', account('kept-a', 30_000))).status).toBeLessThan(300);

    const queried = await queriedPartitions(daily);
    const accountsRead = (pks: string[]) => [...new Set(pks.filter((pk) => pk.startsWith('ACCOUNT#')))].sort();
    // The account nobody scored today is scored (its read and its first score's writes); the others are not read.
    expect(accountsRead(queried)).toEqual(['ACCOUNT#unmarked']);
    // A shard's records and marks are read in one Query: no shard's partition is queried twice.
    const shardReads = queried.filter((pk) => pk.startsWith('DIRTY#'));
    expect(shardReads.length).toBeGreaterThan(0);
    expect(new Set(shardReads).size).toBe(shardReads.length);
    const withRecord = await dayFigures();
    expect(withRecord.health.length).toBeGreaterThan(0);
    expect(withRecord.states.length).toBeGreaterThan(0);

    // Without the records, the same run reads every account and must leave the same figures.
    const records = (await Promise.all(Array.from({ length: ACCOUNT_SHARDS }, (_, s) => partition(keys.dirtyShard(s)))))
      .flat()
      .filter((i) => String(i.sk).startsWith(keys.scoredTodayFrom(today)));
    expect(records.length).toBeGreaterThan(0);
    await rt.db.send(new BatchWriteCommand({ RequestItems: { [rt.tableName]: records.map((r) => ({ DeleteRequest: { Key: { pk: r.pk, sk: r.sk } } })) } }));
    const rereads = await queriedPartitions(daily);
    expect(accountsRead(rereads)).toEqual(['ACCOUNT#kept-a', 'ACCOUNT#kept-b', 'ACCOUNT#unmarked']);
    expect(await dayFigures()).toEqual(withRecord);
  });
});

describe('the daily run after a later rescoring whose record of today was not written', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());
  const { rescore, daily } = schedules(() => rt);

  it("takes the stored score, not the earlier rescoring's record (the rescoring kept its marks)", async () => {
    const acc = {
      id: 'a',
      name: 'a',
      seats: 10,
      arr: 12_000,
      segment: 'tech-touch',
      startDate: new Date(start - 60 * DAY).toISOString(),
      primaryContact: { email: 'x@a.example' },
    };
    expect((await rt.request('POST', '/v1/accounts', acc)).status).toBeLessThan(300);
    const ev = (users: string[], at: number) =>
      users.map((userId) => ({
        id: `a-${userId}-${at}`,
        accountId: 'a',
        userId,
        name: 'used',
        timestamp: new Date(at).toISOString(),
        properties: { feature: 'reports' },
      }));
    expect((await rt.request('POST', '/v1/events', { events: ev(['u1'], start) })).status).toBeLessThan(300);
    await rescore();
    const first = (await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.score('a') }))).Item!;

    // An hour later: much more usage, the rescoring writes a new score, but its record write fails.
    rt.clock.advanceTo(start + 3_600_000);
    expect((await rt.request('POST', '/v1/events', { events: ev(['u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'], start + 3_000_000) })).status).toBeLessThan(
      300,
    );
    const serve = rt.dynamo.serve.bind(rt.dynamo);
    rt.dynamo.serve = (request: WireRequest) => {
      if (request.headers['x-amz-target']?.endsWith('.BatchWriteItem') && request.body.includes('SCOREDTODAY'))
        return Promise.resolve({
          statusCode: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'injected' }),
        });
      return serve(request);
    };
    try {
      await rescore();
    } finally {
      rt.dynamo.serve = serve;
    }
    const second = (await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.score('a') }))).Item!;
    expect(second.computedAt).not.toBe(first.computedAt);
    expect(second.score).not.toBe(first.score);

    rt.clock.advanceTo(start + 6 * 3_600_000);
    await daily();
    const items =
      (
        await rt.db.send(
          new QueryCommand({
            TableName: rt.tableName,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': keys.scoreStatePartition(today) },
          }),
        )
      ).Items ?? [];
    const rows = items.filter((i) => String(i.sk).startsWith('RUN#')).flatMap((i) => JSON.parse(String(i.d)) as unknown[][]);
    const row = rows.find((r) => r[0] === 'a')!;
    // The daily run's state of the account must be the score that is stored, not the one an earlier rescoring recorded.
    expect({ score: row[2] }).toEqual({ score: second.score });
  });
});
