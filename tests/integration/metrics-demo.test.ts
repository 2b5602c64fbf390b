import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_START } from '../../cli/demo/command.ts';
import { seededRandom } from '../../cli/demo/random.ts';
import { runDemoDays } from '../../cli/demo/run.ts';
import { syntheticAccounts, type SyntheticAccount } from '../../cli/demo/synthetic.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { cohortTable } from '../../functions/core/metrics/cohorts.ts';
import { countSends } from '../../functions/core/metrics/email-outcomes.ts';
import { changesSince } from '../../functions/core/metrics/changes.ts';
import { renewalsDue, type Band } from '../../functions/core/metrics/health.ts';
import { RENEWAL_WINDOW_DAYS } from '../../functions/core/metrics/reports.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { scoreFactsOf } from '../../functions/data/scores.ts';
import { outcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { countPlays } from '../../functions/core/metrics/plays.ts';
import { portfolio, type Cut } from '../../functions/core/metrics/portfolio.ts';
import { readOutcomeSources } from '../../functions/data/outcome-figures.ts';
import userConfig from '../../tend.config.ts';
import { portfolioInputOf, scanTable, withoutLists } from '../support/metric-figures.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const ACCOUNTS = 30;
const DAYS = 21;
const SEED = 7;
const dayOf = (d: number) => new Date(DEMO_START.getTime() + d * DAY).toISOString().slice(0, 10);

/**
 * The demo's population (its generator and its day loop, as `npm start -- --accounts 30 --days 21`
 * runs them) on the local runtime, with what the demo does not send added through the API as it
 * runs: older accounts, plans and owners, expansion, contraction, churn, reactivation, renewal
 * outcomes, NPS and CSAT answers. Then every figure of GET /v1/metrics (each period and cut) equals
 * portfolio() over the raw items of one Scan, GET /v1/metrics/outcomes equals the count of the
 * run, send and task items, and GET /v1/renewals and /v1/changes (from the book index and the score
 * states) equal renewalsDue() and changesSince() over the account and score items.
 */
describe('metrics on the demo population equal a brute force over the raw items', () => {
  let rt: TestRuntime;
  const config = parseConfig(userConfig);
  const r = seededRandom(SEED);
  const accounts = syntheticAccounts(r, ACCOUNTS, DAYS);
  const demoAccount = (i: number) => accounts[i]!;

  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await rt.request(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body!;
  };
  const upsert = (a: Pick<SyntheticAccount, 'id' | 'name' | 'contact'>, over: Record<string, unknown>) =>
    ok('POST', '/v1/accounts', { id: a.id, name: a.name, primaryContact: a.contact, ...over });
  const old = (id: string) => ({ id, name: `${id} Inc`, contact: { email: `cs@${id}.example`, name: 'Pat Lee' } });
  const surveys = (list: Record<string, unknown>[]) => ok('POST', '/v1/surveys', { surveys: list });

  /** What the demo does not send, added on given days of its run. */
  async function additions(day: number) {
    const at = `${dayOf(day)}T20:00:00Z`;
    if (day === 0) {
      await upsert(old('old-pro'), { arr: 60_000, seats: 20, plan: 'pro', owner: 'alex', startDate: '2025-06-01', renewalDate: '2026-06-01' });
      await upsert(old('old-basic'), { arr: 20_000, seats: 8, plan: 'basic', owner: 'sam', startDate: '2025-09-01', renewalDate: '2026-01-15' });
      await upsert(old('old-shrinking'), { arr: 30_000, seats: 10, plan: 'pro', owner: 'dana', startDate: '2025-04-01' });
      // Churned before the run (a change dated back), back during it: a reactivation.
      await upsert(old('old-comeback'), { arr: 12_000, seats: 4, startDate: '2025-05-01' });
      await upsert(old('old-comeback'), { status: 'churned', effectiveDate: '2025-12-01' });
      await upsert(old('old-leaving'), { arr: 15_000, seats: 5, plan: 'basic', startDate: '2025-10-01', renewalDate: '2026-01-15' });
      // Renewal dates over the coming months (the renewals report and the week's renewals entering their window).
      for (let i = 0; i < 10; i++)
        await upsert(demoAccount(i), { plan: i % 2 ? 'basic' : 'pro', owner: ['alex', 'sam', 'dana'][i % 3], renewalDate: dayOf(30 + 29 * i) });
    }
    if (day === 3) {
      await surveys([
        { id: 'dm-n1', accountId: demoAccount(0).id, kind: 'nps', score: 10, contactEmail: demoAccount(0).contact.email, answeredAt: at },
        { id: 'dm-n2', accountId: demoAccount(1).id, kind: 'nps', score: 3, answeredAt: at },
        { id: 'dm-n3', accountId: 'old-pro', kind: 'nps', score: 8, answeredAt: at },
        { id: 'dm-c1', accountId: demoAccount(2).id, kind: 'csat', score: 5, answeredAt: at },
      ]);
    }
    if (day === 5) {
      await upsert(old('old-pro'), { arr: 75_000 });
      await upsert(old('old-shrinking'), { arr: 18_000 });
      // A new account's contraction in its first month lowers its new ARR, not the contraction figure.
      await upsert(demoAccount(3), { arr: Math.round(demoAccount(3).arr / 2) });
      // A renewal moved: its index entry moves with it.
      await upsert(demoAccount(6), { renewalDate: dayOf(95) });
      await upsert(demoAccount(4), { status: 'churned' });
    }
    if (day === 10) {
      await ok('POST', '/v1/accounts/old-basic/renewals', { outcome: 'renewed', renewalDate: '2026-01-15', newArr: 24_000, nextRenewalDate: '2027-01-15' });
      await ok('POST', '/v1/accounts/old-leaving/renewals', { outcome: 'churned', renewalDate: '2026-01-15', reason: 'price' });
      await surveys([
        { id: 'dm-n4', accountId: demoAccount(0).id, kind: 'nps', score: 6, contactEmail: demoAccount(0).contact.email.toUpperCase(), answeredAt: at },
        { id: 'dm-n5', accountId: demoAccount(5).id, kind: 'nps', score: 9, answeredAt: at },
        { id: 'dm-c2', accountId: 'old-basic', kind: 'csat', score: 2, answeredAt: at },
      ]);
    }
    if (day === 14) {
      await upsert(demoAccount(4), { status: 'active', arr: demoAccount(4).arr + 1_000 });
      await upsert(old('old-comeback'), { status: 'active', arr: 13_000 });
    }
  }

  beforeAll(async () => {
    rt = await testRuntime({ start: DEMO_START, paused: true, schedules: true });
    await runDemoDays(rt, { r, accounts, days: DAYS, start: DEMO_START, product: config.product, afterDay: additions });
  }, 300_000);
  afterAll(() => rt?.stop());

  const metrics = async (period: string, cut?: Cut) => {
    const res = await rt.request('GET', `/v1/metrics?period=${period}${cut ? `&cut=${cut}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body!;
  };

  it('the run moved every kind of figure', async () => {
    const jan = await metrics('2026-01');
    expect(jan.source).toBe('aggregates');
    expect(jan.whole.accounts).toBe(ACCOUNTS + 5);
    const retention = jan.whole.retention;
    for (const figure of ['startingArr', 'expansionArr', 'contractionArr', 'churnedArr', 'churnedLogos', 'newArr', 'reactivationArr'])
      expect(retention[figure], figure).toBeGreaterThan(0);
    expect(jan.whole.nps.responses).toBeGreaterThan(0);
    expect(jan.whole.nps.promoters + jan.whole.nps.detractors).toBeGreaterThan(0);
    expect(jan.whole.csat.responses).toBeGreaterThan(0);
    expect(jan.whole.timeToValue.started).toBeGreaterThan(0);
    expect(jan.whole.timeToValue.reached).toBeGreaterThan(0);
    const scored = Object.entries(jan.whole.health as Record<string, { accounts: number }>).filter(([band, f]) => band !== 'unscored' && f.accounts > 0);
    expect(scored.length).toBeGreaterThan(1);
    for (const cut of ['segment', 'plan', 'owner', 'cohort'] as const)
      expect(Object.keys((await metrics('2026-01', cut)).groups).length, cut).toBeGreaterThan(1);

    const outcomes = await ok('GET', '/v1/metrics/outcomes?period=2026-01');
    expect(outcomes.plays.find((p: { play: string }) => p.play === 'onboarding').started).toBeGreaterThan(0);
    expect(outcomes.onboarding.started).toBeGreaterThan(0);
    const sent = outcomes.email.reduce((n: number, e: { sent: number }) => n + e.sent, 0);
    const opened = outcomes.email.reduce((n: number, e: { opened: number }) => n + e.opened, 0);
    expect(sent).toBeGreaterThan(0);
    expect(opened).toBeGreaterThan(0);
  });

  it('GET /v1/renewals and GET /v1/changes (whole book and one owner) equal the same definitions over the raw items', async () => {
    const items = await scanTable(rt.db, rt.tableName);
    const id = (i: Record<string, any>) => String(i.pk).replace(/^ACCOUNT#/, '');
    const live = items.filter((i) => i.sk === 'S#PROFILE' && i.status !== 'churned');
    const scores = new Map(items.filter((i) => i.sk === 'S#SCORE').map((i) => [id(i), scoreFactsOf(i, id(i))]));
    const paid = (a: Record<string, any>) => (a.status === 'trial' ? 0 : (a.arr ?? 0));
    const now = rt.clock.now();

    // Renewals over two years around the run: every figure, the ids behind each band and month, the list in order.
    const [from, to] = ['2025-07-01', '2027-07-01'];
    const body = await ok('GET', `/v1/renewals?from=${from}&to=${to}&limit=500`);
    const book = live.map((a) => ({ accountId: id(a), arr: paid(a), band: (scores.get(id(a))?.band ?? 'unscored') as Band, renewalDate: a.renewalDate }));
    const due = renewalsDue(book, { from, to });
    expect(body.total).toMatchObject({ accounts: due.due.length, arr: due.due.reduce((t, d) => t + d.arr, 0) });
    expect(due.due.length).toBeGreaterThan(8);
    // The figures without their ids: the accounts behind a band are its query's listing.
    const figures = (byBand: ReturnType<typeof renewalsDue>['byBand']) => Object.fromEntries(Object.entries(byBand).map(([b, { ids: _ids, ...f }]) => [b, f]));
    for (const band of ['green', 'yellow', 'red', 'unscored'] as const) {
      expect(body.byBand[band]).toMatchObject(figures(due.byBand)[band]!);
      const listed = await ok('GET', `${body.byBand[band].query}&limit=500`);
      expect(
        listed.renewals.map((r: { accountId: string }) => r.accountId),
        band,
      ).toEqual(due.byBand[band].ids);
    }
    for (const m of body.byMonth) expect(m.byBand, m.month).toEqual(figures(renewalsDue(book, { from: m.from, to: m.to }).byBand));
    expect(body.renewals.map((r: { accountId: string; band: string; arr: number }) => [r.accountId, r.band, r.arr])).toEqual(
      due.due.map((d) => [d.accountId, d.band, d.arr]),
    );

    // What changed in the last week, and one CSM's: from the score states, as changesSince() says over the score items.
    const modelFor = modelResolver(config.scoreModel);
    const since = new Date(now.getTime() - 7 * DAY).toISOString();
    for (const owner of [undefined, 'alex']) {
      const res = await ok('GET', `/v1/changes?since=${since}&top=5${owner ? `&owner=${owner}` : ''}`);
      expect(res.source).toBe('states');
      const entries = live
        .filter((a) => !owner || a.owner === owner)
        .map((a) => ({ accountId: id(a), arr: paid(a), segment: a.segment, renewalDate: a.renewalDate, score: scores.get(id(a)) }));
      const { source: _s, ...changes } = res;
      expect(changes, owner ?? 'whole book').toEqual(
        changesSince(entries, { since: new Date(since), now, top: 5, renewalWindowDays: RENEWAL_WINDOW_DAYS, modelFor }),
      );
    }
  });

  it('every figure of GET /v1/metrics, for each period and cut, equals portfolio() over the raw items', async () => {
    const input = portfolioInputOf(await scanTable(rt.db, rt.tableName));
    // Health over time and activation come from the daily run's tallies, not portfolio(): metrics-health-over-time.test.ts checks them.
    const strip = ({ accountsQuery: _q, healthOverTime: _h, activation: _a, ...f }: Record<string, unknown>) => f;
    for (const period of ['2026-01', '2026-Q1', '2026', '2026-01-08..2026-01-20'])
      for (const cut of [undefined, 'segment', 'plan', 'owner', 'cohort'] as const) {
        const body = await metrics(period, cut);
        const expected = portfolio(input, { period: { from: body.from, to: body.to }, asOf: body.asOf, firstValueTargetDays: body.firstValueTargetDays }, cut);
        expect(strip(body.whole), `${period} whole`).toEqual(withoutLists(expected.whole));
        if (!cut) continue;
        const groups = Object.fromEntries(Object.entries(body.groups as Record<string, Record<string, unknown>>).map(([g, f]) => [g, strip(f)]));
        expect(groups, `${period} by ${cut}`).toEqual(Object.fromEntries(Object.entries(expected.byGroup!).map(([g, f]) => [g, withoutLists(f)])));
        if (cut === 'cohort') expect(body.cohorts, `${period} cohort table`).toEqual(cohortTable(input.histories, body.asOf).map(({ ids: _i, ...row }) => row));
      }
  });

  it('GET /v1/metrics/outcomes equals the count of the run, send and task items', async () => {
    const sources = await readOutcomeSources(rt.db, rt.tableName);
    for (const period of ['2026-01', '2026-Q1']) {
      const body = await ok('GET', `/v1/metrics/outcomes?period=${period}`);
      const p = periodOf(period);
      const expected = outcomeFigures(p, body.months, { plays: [countPlays(sources.runs, sources.tasks, p)], email: [countSends(sources.sends, p)] });
      expect(body, period).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });
});
