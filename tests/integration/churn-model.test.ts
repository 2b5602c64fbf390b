import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitFromTable } from '../../cli/model/fit.ts';
import { seededRandom } from '../../cli/demo/random.ts';
import { keys } from '../../functions/data/keys.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const now = Date.parse('2026-09-01T00:00:00Z');

describe('tend model fit on the local table', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(now), paused: true });
  });
  afterAll(() => rt?.stop());

  it('says so when no account has a known outcome, and stores nothing', async () => {
    const r = await fitFromTable(rt.dynamo.client, rt.tableName, new Date(now), true);
    expect(r).toMatchObject({ ok: false, labelled: 0 });
    expect((await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.churnModel }))).Item).toBeUndefined();
  });

  it('learns from churned and renewed accounts, stores the model, and scoring then reports churnRisk', async () => {
    // 240 accounts with an outcome 10-100 days ago; churn followed a known rule on the usage of the
    // two weeks before the fit's horizon (30 days before the outcome): the fit re-derives those signals.
    const r = seededRandom(11);
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < 240; i++) {
      const id = `hist-${i}`;
      const activeDays = 1 + Math.floor(r.next() * 10); // of the last 14: loginDaysPerWeek = activeDays / 2
      const users = 1 + Math.floor(r.next() * 10); // of 10 seats: activeSeatRatio = users / 10
      const churned = r.next() < 1 / (1 + Math.exp(-(2.5 - 1.2 * (activeDays / 2) - 3 * (users / 10))));
      const outcome = now - r.int(10, 100) * DAY;
      const horizon = outcome - 30 * DAY;
      // Churned at renewal, or renewed: the renewal date is the outcome either way.
      items.push({
        ...keys.account(id),
        ...keys.accountIndex(id),
        id,
        name: id,
        seats: 10,
        arr: 5000,
        status: churned ? 'churned' : 'active',
        segment: 'tech-touch',
        startDate: '2025-01-01T00:00:00.000Z',
        renewalDate: new Date(outcome).toISOString(),
        primaryContact: { email: `cs@${id}.example` },
        ...(churned ? { churnedAt: new Date(outcome).toISOString() } : {}),
      });
      for (let back = 0; back < activeDays; back++) {
        const day = new Date(horizon - back * DAY).toISOString().slice(0, 10);
        const u = Array.from({ length: users }, (_, k) => `u${k}`);
        items.push({ ...keys.usageDay(id, day), day, users: new Set(u), features: new Set(['reports']), userFeatures: new Set(u.map((x) => `${x}|reports`)) });
      }
    }
    for (let i = 0; i < items.length; i += 25)
      await rt.db.send(new BatchWriteCommand({ RequestItems: { [rt.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));

    const fit = await fitFromTable(rt.dynamo.client, rt.tableName, new Date(now), true);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.labelled).toBe(240);
    expect(fit.model.auc).toBeGreaterThan(0.7);
    expect((await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.churnModel }))).Item).toMatchObject({
      features: expect.arrayContaining(['activeSeatRatio', 'arr', 'loginDaysPerWeek']),
      auc: fit.model.auc,
    });

    // A live account, scored after the fit, carries a churn probability.
    await rt.request('POST', '/v1/accounts', {
      id: 'live',
      name: 'Live',
      seats: 10,
      startDate: new Date(now - 40 * DAY).toISOString(),
      primaryContact: { email: 'a@live.example' },
    });
    await rt.scheduler.fire(rt.scheduler.schedules.find((s) => s.expression.startsWith('cron'))!);
    const view = await rt.request('GET', '/v1/accounts/live');
    expect(view.body?.health.churnRisk).toBeGreaterThan(0.5); // no usage at all: the rule says likely to churn
    expect(view.body?.health.churnRisk).toBeLessThanOrEqual(1);
  });
});
