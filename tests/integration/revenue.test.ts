import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importCommand } from '../../cli/import/command.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { retention, type ArrHistory } from '../../functions/core/metrics/revenue.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const account = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `${id} Inc`, primaryContact: { email: `owner@${id}.example` }, ...extra });

/**
 * A small book (ARR in thousands), recorded through the API as it happened:
 * r01 100 from 2025-06-01, renewed at 110 on 2026-06-01; r02 200 from 2025-03-01, 260 on 2026-02-10;
 * r03 150 from 2025-01-01, 120 on 2026-03-05 (a CSV import with an effective date); r04 80 from
 * 2025-09-01, churned at its renewal on 2026-02-20 (price); r05 50 from 2026-01-15; r11 70 from
 * 2025-10-01, churned 2026-03-15, back at 70 on 2026-03-25.
 *   2026-Q1: starting 600 (5 logos), retained 100+260+120+0+70 = 550: NRR 550/600; GRR (100+200+120+0+70)/600 = 490/600; new 50.
 *   2026-Q2: starting 600 (r01, r02, r03, r05, r11), retained 610: NRR 610/600, GRR 100%.
 */
describe('revenue history and renewal outcomes through the API', () => {
  let rt: TestRuntime;
  const post = (body: Record<string, unknown>) => rt.request('POST', '/v1/accounts', body);
  const revenue = async (id: string) => (await rt.request('GET', `/v1/accounts/${id}/revenue`)).body!;

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-07-02T08:00:00Z') });
  });
  afterAll(() => rt?.stop());

  it('records a dated point per change of ARR or status, and nothing for a replay', async () => {
    expect((await post(account('r01', { arr: 100, startDate: '2025-06-01', renewalDate: '2026-06-01' }))).status).toBe(201);
    expect((await post(account('r02', { arr: 200, startDate: '2025-03-01' }))).status).toBe(201);
    const change = account('r02', { arr: 260, effectiveDate: '2026-02-10' });
    expect((await post(change)).body?.outcome).toBe('changed');
    expect((await post(change)).body?.outcome).toBe('unchanged');
    expect((await post(account('r03', { arr: 150, startDate: '2025-01-01' }))).status).toBe(201);
    expect((await post(account('r04', { arr: 80, startDate: '2025-09-01', renewalDate: '2026-02-20' }))).status).toBe(201);
    expect((await post(account('r05', { arr: 50, startDate: '2026-01-15' }))).status).toBe(201);
    expect((await post(account('r11', { arr: 70, startDate: '2025-10-01' }))).status).toBe(201);
    expect((await post(account('r11', { status: 'churned', effectiveDate: '2026-03-15' }))).body?.outcome).toBe('churned');
    expect((await post(account('r11', { status: 'active', effectiveDate: '2026-03-25' }))).body?.outcome).toBe('reactivated');

    const r02 = await revenue('r02');
    expect(r02.history.map((p: any) => [p.day, p.kind, p.arr, p.source])).toEqual([
      ['2025-03-01', 'new', 200, 'api'],
      ['2026-02-10', 'expansion', 260, 'api'],
    ]);
    expect(r02.movements.map((m: any) => [m.kind, m.arrBefore, m.arrAfter])).toEqual([
      ['new', 0, 200],
      ['expansion', 200, 260],
    ]);
    expect((await revenue('r11')).movements.map((m: any) => m.kind)).toEqual(['new', 'churn', 'reactivation']);
    // The copy of the last point on the account item is storage, not the account.
    expect((await rt.request('GET', '/v1/accounts/r02')).body?.account).not.toHaveProperty('arrLast');
    // The point's own item and the copy on the account item agree.
    expect((await rt.items('r02', 'ARR#')).map((i) => i.sk)).toEqual(['ARR#2025-03-01#0000000001', 'ARR#2026-02-10#0000000002']);
  });

  it('refuses an effective date in the future, naming the field', async () => {
    const res = await post(account('r02', { arr: 1, effectiveDate: '2026-08-01' }));
    expect(res.status).toBe(400);
    expect(res.body?.message).toContain('effectiveDate');
  });

  it('imports a past change from a CSV with its effective date, as an import', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-revenue-'));
    const file = join(dir, 'changes.csv');
    writeFileSync(file, 'Account ID,Company,ARR,Effective Date,Email\nr03,r03 Inc,120,2026-03-05,owner@r03.example\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await importCommand('accounts', file, { map: [], json: true, url: rt.url, key: await rt.createKey(['ingest'], 'import'), data: dir, concurrency: 1 });
      expect(JSON.parse(String(log.mock.calls.at(-1)?.[0])).counts).toEqual({ updated: 1 });
    } finally {
      log.mockRestore();
      process.exitCode = 0;
    }
    expect((await revenue('r03')).history.at(-1)).toMatchObject({ day: '2026-03-05', kind: 'contraction', arr: 120, source: 'import' });
  });

  it('records racing upserts as one chain of points, none lost and none twice', async () => {
    await post(account('race', { arr: 1000, startDate: '2026-07-01' }));
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => post(account('race', { arr: 2000 + i }))));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(200));
    const { history, arr } = await revenue('race');
    expect(history).toHaveLength(7);
    expect(history.map((p: any) => p.rev)).toEqual(Array.from({ length: 7 }, (_, i) => i + 1));
    // Each point starts where the one before it ended, and the last is the account as it is.
    history.slice(1).forEach((p: any, i: number) => expect(p.arrBefore).toBe(history[i].arrAfter));
    expect(history.at(-1).arr).toBe(arr);
  });

  it('records a renewal once: a replay answers the same, a different outcome is a 409', async () => {
    const renewed = { outcome: 'renewed', renewalDate: '2026-06-01', newArr: 110, nextRenewalDate: '2027-06-01' };
    const first = await rt.request('POST', '/v1/accounts/r01/renewals', renewed);
    expect(first.status).toBe(200);
    const replay = await rt.request('POST', '/v1/accounts/r01/renewals', renewed);
    expect(replay).toMatchObject({ status: 200, body: first.body });
    const conflict = await rt.request('POST', '/v1/accounts/r01/renewals', { outcome: 'churned', renewalDate: '2026-06-01', reason: 'price' });
    expect(conflict.status).toBe(409);
    expect(conflict.body?.error).toBe('RenewalOutcomeConflict');

    const churned = await rt.request('POST', '/v1/accounts/r04/renewals', {
      outcome: 'churned',
      renewalDate: '2026-02-20',
      reason: 'price',
      note: 'half the price elsewhere',
    });
    expect(churned.status).toBe(200);
    const badReason = await rt.request('POST', '/v1/accounts/r04/renewals', { outcome: 'churned', renewalDate: '2026-02-21', reason: 'weather' });
    expect(badReason.status).toBe(400);
    expect(badReason.body?.message).toContain('reason');
    expect((await rt.request('POST', '/v1/accounts/nobody/renewals', renewed)).status).toBe(404);

    const r01 = await revenue('r01');
    expect(r01.history.at(-1)).toMatchObject({ day: '2026-06-01', kind: 'expansion', arr: 110, source: 'renewal' });
    expect(r01.renewals).toEqual([first.body?.outcome]);
    expect((await rt.request('GET', '/v1/accounts/r01')).body?.account).toMatchObject({ arr: 110, renewalDate: '2027-06-01T00:00:00.000Z' });
    expect((await revenue('r04')).history.at(-1)).toMatchObject({ day: '2026-02-20', kind: 'churn', reason: 'price', source: 'renewal' });
  });

  it('gives the hand-computed NRR and GRR from the histories the API reads', async () => {
    const histories: ArrHistory[] = [];
    for (const id of ['r01', 'r02', 'r03', 'r04', 'r05', 'r11']) histories.push({ accountId: id, points: (await revenue(id)).history });
    const q1 = retention(histories, periodOf('2026-Q1'));
    expect(q1).toMatchObject({ startingArr: 600, startingLogos: 5, retainedArr: 550, expansionArr: 60, contractionArr: 30, churnedArr: 80, newArr: 50 });
    expect(q1.nrr).toBeCloseTo(550 / 600, 10);
    expect(q1.grr).toBeCloseTo(490 / 600, 10);
    expect(q1.accounts.churned).toEqual(['r04']);
    const q2 = retention(histories, periodOf('2026-Q2'));
    expect(q2).toMatchObject({ startingArr: 600, retainedArr: 610, expansionArr: 10 });
    expect(q2.nrr).toBeCloseTo(610 / 600, 10);
    expect(q2.grr).toBe(1);
  });
});
