import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portfolio, type Cut } from '../../functions/core/metrics/portfolio.ts';
import { addInto, contributionOf, entriesOf, splitAddress, type Counters } from '../../functions/core/metrics/contribution.ts';
import { rebuildMetrics } from '../../functions/core/metrics/upkeep.ts';
import type { Survey } from '../../functions/core/types.ts';
import { batchWrite } from '../../functions/data/batch.ts';
import { keys } from '../../functions/data/keys.ts';
import { metricAggregates } from '../../functions/data/metric-aggregates.ts';
import { metricSources } from '../../functions/data/metric-sources.ts';
import { dailyUsage } from '../support/daily-usage.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { portfolioInputOf, scanTable, withoutLists } from '../support/metric-figures.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-01-05T00:00:00Z');
const iso = (day: number) => new Date(start + day * DAY).toISOString();

/**
 * A book driven through the API on the local runtime over seven weeks (its clock), with new,
 * expansion, contraction (one backdated), churn, reactivation, segment and plan moves, NPS and
 * CSAT answers (one person answering twice, replays) and first values reached by daily scoring.
 * Then: the aggregates kept as it ran equal the ones `rebuild` computes from the source items,
 * and every figure of GET /v1/metrics equals `portfolio()` over the raw items (one Scan).
 */
describe('metrics: incremental aggregates, rebuild and portfolio() agree', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
  });
  afterAll(() => rt?.stop());

  async function morningOf(from: number, to: number) {
    for (let d = from; d <= to; d++) {
      rt.clock.advanceTo(start + d * DAY + 7 * 3_600_000);
      await rt.idle();
    }
  }
  const upsert = async (id: string, over: Record<string, unknown>) => {
    const res = await rt.request('POST', '/v1/accounts', { id, name: `${id} Inc`, seats: 4, primaryContact: { email: `cs@${id}.example` }, ...over });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  };
  const surveys = async (list: Partial<Survey>[]) => {
    const res = await rt.request('POST', '/v1/surveys', { surveys: list });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  };
  const use = (id: string, fromDay: number, toDay: number) => rt.request('POST', '/v1/events', { events: dailyUsage(id, start, fromDay, toDay) });

  beforeAll(async () => {
    await upsert('old-small', { arr: 20_000, plan: 'basic', startDate: '2025-06-01T00:00:00Z' });
    await upsert('old-big', { arr: 50_000, plan: 'pro', startDate: '2025-03-01T00:00:00Z' });
    await upsert('churner', { arr: 15_000, plan: 'basic', startDate: '2025-09-01T00:00:00Z' });
    await upsert('comeback', { arr: 10_000, startDate: '2025-05-01T00:00:00Z' });
    await upsert('fresh', { arr: 12_000, plan: 'basic', startDate: iso(0) });
    await upsert('trying', { arr: 0, status: 'trial', startDate: iso(1) });
    await use('fresh', 0, 12);
    await use('trying', 1, 30);
    await use('old-big', 0, 40);
    await morningOf(0, 3);
    await upsert('comeback', { arr: 10_000, status: 'churned' });
    await surveys([
      { id: 'n1', accountId: 'old-big', kind: 'nps', score: 10, contactEmail: 'ann@old-big.example', answeredAt: iso(3) },
      { id: 'n2', accountId: 'old-small', kind: 'nps', score: 4, answeredAt: iso(3) },
      { id: 'c1', accountId: 'fresh', kind: 'csat', score: 5, answeredAt: iso(3) },
    ]);
    await morningOf(4, 10);
    await upsert('old-big', { arr: 65_000, plan: 'enterprise' });
    await upsert('churner', { arr: 15_000, status: 'churned' });
    await surveys([
      { id: 'n3', accountId: 'old-big', kind: 'nps', score: 6, contactEmail: 'ANN@old-big.example', answeredAt: iso(12) },
      { id: 'c2', accountId: 'old-small', kind: 'csat', score: 2, answeredAt: iso(12) },
    ]);
    await morningOf(11, 30);
    await upsert('trying', { arr: 8_000, status: 'active', plan: 'basic' });
    await upsert('comeback', { arr: 11_000, status: 'active' });
    await morningOf(31, 40);
    // A contraction recorded late, effective ten days back; the same answers sent again change nothing.
    await upsert('old-small', { arr: 14_000, effectiveDate: iso(32) });
    await surveys([{ id: 'n3', accountId: 'old-big', kind: 'nps', score: 6, contactEmail: 'ANN@old-big.example', answeredAt: iso(12) }]);
    await upsert('fresh', { arr: 12_000, plan: 'basic', startDate: iso(0) });
    await surveys([{ id: 'n4', accountId: 'trying', kind: 'nps', score: 9, answeredAt: iso(40) }]);
    await morningOf(41, 48);
  }, 900_000);

  const scan = () => scanTable(rt.db, rt.tableName);
  const bruteForceInput = async () => portfolioInputOf(await scan());
  const aggregateItems = async () =>
    new Map(
      (await scan())
        // The aggregates and the book index (one entry per live account, kept by the same upkeep).
        .filter((i) => String(i.pk).startsWith('METRICS#') || i.pk === 'RENEWALS')
        .map(({ pk, sk, ...counters }) => [`${pk}|${sk}`, Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0))] as const)
        .filter(([, c]) => Object.keys(c).length > 0),
    );

  it('the scenario moved every kind of figure', async () => {
    const q1 = (await rt.request('GET', '/v1/metrics?period=2026-01')).body!;
    expect(q1.source).toBe('aggregates');
    expect(q1.whole.retention).toMatchObject({ newArr: 12_000, churnedLogos: 2 });
    expect(q1.whole.retention.expansionArr).toBeGreaterThan(0);
    const feb = (await rt.request('GET', '/v1/metrics?period=2026-02')).body!;
    expect(feb.whole.retention.reactivationArr).toBe(11_000);
    expect(feb.whole.retention.contractionArr).toBe(6_000);
    expect(feb.whole.retention.newArr).toBe(8_000);
    // ann answered 10 then 6 in January: her latest counts, once.
    expect(q1.whole.nps).toMatchObject({ responses: 2, promoters: 0, detractors: 2 });
    expect(q1.whole.csat).toMatchObject({ responses: 2, average: 3.5 });
    expect(q1.whole.timeToValue.reached).toBeGreaterThan(0);
  });

  const cases: [string, Cut | undefined][] = [
    ['2026-01', 'segment'],
    ['2026-02', 'plan'],
    ['2026-Q1', 'cohort'],
    ['2026', 'owner'],
    ['2025-Q4', 'segment'],
    ['2026-01-10..2026-02-10', 'segment'],
    ['2026-Q1', undefined],
  ];

  async function expectApiEqualsBruteForce() {
    const input = await bruteForceInput();
    for (const [period, cut] of cases) {
      const res = await rt.request('GET', `/v1/metrics?period=${period}${cut ? `&cut=${cut}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const body = res.body!;
      const expected = portfolio(input, { period: { from: body.from, to: body.to }, asOf: body.asOf, firstValueTargetDays: body.firstValueTargetDays }, cut);
      // Health over time and activation come from the daily run's tallies: metrics-health-over-time.test.ts checks them.
      const strip = ({ accountsQuery: _q, healthOverTime: _h, activation: _a, ...f }: Record<string, unknown>) => f;
      expect(strip(body.whole), `${period} whole`).toEqual(withoutLists(expected.whole));
      if (cut)
        expect(
          Object.fromEntries(Object.entries(body.groups as Record<string, Record<string, unknown>>).map(([g, f]) => [g, strip(f)])),
          `${period} by ${cut}`,
        ).toEqual(Object.fromEntries(Object.entries(expected.byGroup!).map(([g, f]) => [g, withoutLists(f)])));
    }
  }

  it('every figure of GET /v1/metrics equals portfolio() over the raw items', async () => {
    await expectApiEqualsBruteForce();
  });

  it('rebuild from the source items writes exactly the aggregates kept incrementally, and the figures stay equal', async () => {
    const incremental = await aggregateItems();
    expect(incremental.size).toBeGreaterThan(20);
    expect([...incremental.keys()].filter((k) => k.startsWith('RENEWALS|')).length).toBeGreaterThan(2);
    const out = await rebuildMetrics({ sources: metricSources(rt.db, rt.tableName), aggregates: metricAggregates(rt.db, rt.tableName) });
    expect(out.accounts).toBe(6);
    expect(await aggregateItems()).toEqual(incremental);
    await expectApiEqualsBruteForce();
    // Replays after the rebuild: the same answers and the same account again move nothing.
    await surveys([{ id: 'n3', accountId: 'old-big', kind: 'nps', score: 6, contactEmail: 'ANN@old-big.example', answeredAt: iso(12) }]);
    await upsert('comeback', { arr: 11_000, status: 'active' });
    expect(await aggregateItems()).toEqual(incremental);
  });

  it('rebuild moves a table of the former layout (one item per period and group) onto this one, deleting the former items', async () => {
    const current = await aggregateItems();
    const sums = new Map<string, Counters>();
    for await (const page of metricSources(rt.db, rt.tableName).all()) for (const s of page) addInto(sums, entriesOf(contributionOf(s)));
    // A table from before: an item per address (`P#M#2026-01#all`, `N#all`…), none of this layout's year and book items.
    const former = [...sums].map(([address, counters]) => ({ ...counters, ...keys.metricAggregate(splitAddress(address).cut, splitAddress(address).sk) }));
    const ofThisLayout = (await scan()).filter((i) => String(i.pk).startsWith('METRICS#') && (String(i.sk).startsWith('Y#') || i.sk === 'N'));
    expect(ofThisLayout.length).toBeGreaterThan(5);
    await batchWrite(rt.db, rt.tableName, [
      ...ofThisLayout.map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })),
      ...former.map((Item) => ({ PutRequest: { Item } })),
      { DeleteRequest: { Key: keys.metricLayoutReady } },
    ]);
    expect([...(await aggregateItems()).keys()].some((k) => k.startsWith('METRICS#whole|P#M#'))).toBe(true);
    await rebuildMetrics({ sources: metricSources(rt.db, rt.tableName), aggregates: metricAggregates(rt.db, rt.tableName) });
    expect(await aggregateItems()).toEqual(current);
    // Marked: a new container reads the aggregates (until then the figures come from the source items: tests/unit/metrics-report.test.ts).
    expect((await scan()).some((i) => i.pk === keys.metricLayoutReady.pk && i.sk === keys.metricLayoutReady.sk)).toBe(true);
    await expectApiEqualsBruteForce();
  });

  it('the book index holds each live account as its items say: renewal date, segment, paid ARR, band, name, owner', async () => {
    const items = await scan();
    const id = (i: Record<string, any>) => String(i.pk).replace(/^ACCOUNT#/, '');
    const bands = new Map(items.filter((i) => i.sk === 'S#SCORE').map((i) => [id(i), i.band ?? 'unscored']));
    const expected = items
      .filter((i) => i.sk === 'S#PROFILE' && i.status !== 'churned')
      .map((a) => ({
        pk: 'RENEWALS',
        sk: `${a.renewalDate ? String(a.renewalDate).slice(0, 10) : 'none'}#${id(a)}`,
        accountId: id(a),
        ...(a.renewalDate ? { renewalDate: a.renewalDate } : {}),
        segment: a.segment,
        arr: a.status === 'trial' ? 0 : (a.arr ?? 0),
        band: bands.get(id(a)) ?? 'unscored',
        name: a.name,
        ...(a.owner ? { owner: a.owner } : {}),
      }));
    const sorted = (xs: Record<string, any>[]) => [...xs].sort((a, b) => (a.sk < b.sk ? -1 : 1));
    expect(sorted(items.filter((i) => i.pk === 'RENEWALS'))).toEqual(sorted(expected));
    expect(expected.length).toBeGreaterThan(2);
  });

  it('a figure’s query lists the accounts behind it', async () => {
    const body = (await rt.request('GET', '/v1/metrics?period=2026-01&cut=segment')).body!;
    const churned = await rt.request('GET', body.whole.accountsQuery.churned);
    expect(churned.body!.accounts).toEqual(['churner', 'comeback']);
    const input = await bruteForceInput();
    const [group, figures] = Object.entries(body.groups as Record<string, any>)[0]!;
    const starting = await rt.request('GET', figures.accountsQuery.starting);
    expect(starting.body!.accounts).toHaveLength(figures.retention.startingLogos);
    expect(starting.body!.group).toBe(group);
    expect(input.accounts.length).toBe(6);
  });

  it('answers 400 naming the field for a bad period or cut', async () => {
    const bad = await rt.request('GET', '/v1/metrics?period=2026-Q5');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('period');
    expect((await rt.request('GET', '/v1/metrics?cut=colour')).status).toBe(400);
    expect((await rt.request('GET', '/v1/metrics/accounts?figure=churned&cut=segment')).status).toBe(400);
  });
});
