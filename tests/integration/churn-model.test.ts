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
    // 240 accounts with an outcome 10-100 days ago; churn followed a known rule on the signals stored 30+ days before.
    const r = seededRandom(11);
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < 240; i++) {
      const id = `hist-${i}`;
      const login = r.next() * 5;
      const seats = r.next();
      const churned = r.next() < 1 / (1 + Math.exp(-(2.5 - 1.2 * login - 3 * seats)));
      const outcome = now - r.int(10, 100) * DAY;
      items.push({ ...keys.account(id), ...keys.accountIndex(id), id, name: id, status: churned ? 'churned' : 'active', segment: 'tech-touch', startDate: '2025-01-01T00:00:00.000Z', primaryContact: { email: `cs@${id}.example` }, ...(churned ? { churnedAt: new Date(outcome).toISOString() } : { renewalDate: new Date(outcome).toISOString() }) });
      for (const back of [60, 45, 31]) {
        const day = new Date(outcome - back * DAY).toISOString().slice(0, 10);
        items.push({ ...keys.scoreHistory(id, day), accountId: id, day, segment: 'tech-touch', signals: { loginDaysPerWeek: login + back / 100, activeSeatRatio: seats, arr: 5000 }, score: 50, tier: 'yellow' });
      }
    }
    for (let i = 0; i < items.length; i += 25) await rt.db.send(new BatchWriteCommand({ RequestItems: { [rt.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));

    const fit = await fitFromTable(rt.dynamo.client, rt.tableName, new Date(now), true);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.labelled).toBe(240);
    expect(fit.model.auc).toBeGreaterThan(0.7);
    expect((await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: keys.churnModel }))).Item).toMatchObject({ features: ['activeSeatRatio', 'arr', 'loginDaysPerWeek'], auc: fit.model.auc });

    // A live account, scored after the fit, carries a churn probability.
    await rt.request('POST', '/v1/accounts', { id: 'live', name: 'Live', seats: 10, startDate: new Date(now - 40 * DAY).toISOString(), primaryContact: { email: 'a@live.example' } });
    await rt.scheduler.fire(rt.scheduler.schedules.find((s) => s.expression.startsWith('cron'))!);
    const view = await rt.request('GET', '/v1/accounts/live');
    expect(view.body?.health.churnRisk).toBeGreaterThan(0.5); // no usage at all: the rule says likely to churn
    expect(view.body?.health.churnRisk).toBeLessThanOrEqual(1);
  });
});
