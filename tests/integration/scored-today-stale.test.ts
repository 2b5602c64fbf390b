import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/data/keys.ts';
import type { WireRequest } from '../../local/dynalite-call.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-05-04T00:30:00Z');
const today = '2026-05-04';

describe('the daily run after a later rescoring whose record of today was not written', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());
  const rescore = () => rt.scheduler.fire(rt.scheduler.schedules.find((s) => s.expression.startsWith('rate'))!);
  const daily = () => rt.scheduler.fire(rt.scheduler.schedules.find((s) => s.expression.startsWith('cron'))!);

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
