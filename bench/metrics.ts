/**
 * GET /v1/metrics's cost over 10,000 and 100,000 accounts (BENCH_METRICS_ACCOUNTS to change):
 * a synthetic book (two years of history: new, expansion, contraction, churn, reactivation; NPS
 * and CSAT answers; first values; bands), its aggregates computed as rebuild does and seeded into
 * the local table, then the report run in process over a client that asks every request for its
 * consumed capacity. The source items are not seeded: a named period reads the aggregates only.
 * Then the upkeep's cost on paper: the items each kind of change moves (from the code's own
 * contribution differences) times the rates assumed, printed with them.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { addInto, contributionDiff, contributionOf, entriesOf, type Counters, type MetricSources } from '../functions/core/metrics/contribution.ts';
import type { Band } from '../functions/core/metrics/health.ts';
import { metricsReport } from '../functions/core/metrics/metrics-report.ts';
import type { ArrPoint } from '../functions/core/metrics/revenue.ts';
import type { Survey } from '../functions/core/types.ts';
import { metricAggregates } from '../functions/data/metric-aggregates.ts';
import { storedItemBytes, storedItemsOf, storedUpdates } from '../functions/data/metric-layout.ts';
import { fnv1a } from '../functions/core/hash.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import { metered, PRICE } from './scoring-batch.ts';
import { seedItems } from './seed-items.ts';

const SIZES = (process.env.BENCH_METRICS_ACCOUNTS ?? '10000,100000').split(',').map(Number);
const DAY = 86_400_000;
const NOW = new Date('2026-04-20T07:00:00Z');
const BANDS: Band[] = ['green', 'yellow', 'red', 'unscored'];
const iso = (ms: number) => new Date(ms).toISOString();

/** A deterministic account: started in the two years before NOW, with a few revenue changes, answers and a band. */
export function syntheticAccount(i: number): MetricSources {
  const rnd = (k: number) => (fnv1a(`${i}:${k}`) % 10_007) / 10_007;
  const started = NOW.getTime() - Math.floor(rnd(1) * 730) * DAY;
  const arr = 5_000 + Math.floor(rnd(2) * 60) * 1_000;
  const points: ArrPoint[] = [{ at: iso(started), arr, status: 'active' }];
  const later = (k: number) => started + Math.floor(rnd(k) * (NOW.getTime() - started));
  let t = started;
  const change = (at: number, p: Omit<ArrPoint, 'at'>) => at > t && (points.push({ at: iso(at), ...p }), (t = at));
  if (rnd(3) < 0.3) change(later(4), { arr: Math.round(arr * 1.3), status: 'active' });
  if (rnd(5) < 0.1) change(later(6), { arr: Math.round(arr * 0.8), status: 'active' });
  if (rnd(7) < 0.12) change(later(8), { arr: points.at(-1)!.arr, status: 'churned' });
  if (points.at(-1)!.status === 'churned' && rnd(9) < 0.2) change(later(10), { arr, status: 'active' });
  const last = points.at(-1)!;
  const surveys: Survey[] = [];
  if (rnd(11) < 0.3)
    surveys.push({ id: `n${i}`, accountId: `a${i}`, kind: 'nps', score: Math.floor(rnd(12) * 11), answeredAt: iso(later(13)), contactEmail: `p${i}@x.io` });
  if (rnd(14) < 0.2) surveys.push({ id: `c${i}`, accountId: `a${i}`, kind: 'csat', score: 1 + Math.floor(rnd(15) * 5), answeredAt: iso(later(16)) });
  return {
    account: {
      accountId: `a${i}`,
      segment: ['high-touch', 'medium-touch', 'tech-touch'][i % 3]!,
      plan: ['basic', 'pro', 'enterprise'][i % 3 === 0 ? 2 : i % 2]!,
      owner: `csm-${i % 20}`,
      status: last.status,
      arr: last.arr,
      band: BANDS[Math.floor(rnd(17) * 4)]!,
      startDate: iso(started),
      ...(rnd(18) < 0.8 ? { firstValueAt: iso(started + Math.floor(rnd(19) * 40) * DAY) } : {}),
    },
    history: { accountId: `a${i}`, points },
    surveys,
  };
}

/**
 * What one change costs the upkeep, in the stored layout (metric-layout.ts: one UpdateItem per stored item moved, its write
 * units from that item's size in the seeded book) and in the former one (one UpdateItem per address, ≤ 1 KB: 1 WRU each);
 * both plus the contribution item's write units.
 */
function upkeepOf(book: Map<string, Record<string, unknown>>, before: MetricSources, after: MetricSources, reads = 5) {
  const [a, b] = [contributionOf(before), contributionOf(after)];
  const diff = contributionDiff(a, b);
  const contributionWru = Math.ceil(Buffer.byteLength(JSON.stringify(b)) / 1024);
  const stored = [...storedUpdates(diff).keys()];
  const wru = stored.reduce((t, id) => t + Math.max(1, Math.ceil(storedItemBytes(book.get(id) ?? {}) / 1024)), 0);
  return { formerMoved: diff.size, formerWru: diff.size + contributionWru, moved: stored.length, wru: wru + contributionWru, reads };
}

export async function metricsBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  let book = new Map<string, Record<string, unknown>>();
  for (const n of SIZES) {
    const rt = await startLocalRuntime({ assemblyDir: outdir, start: NOW, paused: true, schedules: false });
    try {
      const sums = new Map<string, Counters>();
      for (let i = 0; i < n; i++) addInto(sums, entriesOf(contributionOf(syntheticAccount(i))));
      const items = storedItemsOf(sums);
      book = new Map(items.map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
      const sizes = items.map(storedItemBytes).sort((x, y) => x - y);
      const db = DynamoDBDocumentClient.from(rt.dynamo.client);
      await seedItems(db, rt.tableName, items);
      const { db: reads, meter, reset } = metered(db);
      const deps = { aggregates: metricAggregates(reads, rt.tableName), sources: { load: async () => undefined, async *all() {} }, firstValueTargetDays: 14 };
      console.log(
        `\nGET /v1/metrics over ${n.toLocaleString('en-US')} accounts (${items.length.toLocaleString('en-US')} stored aggregate items for ${sums.size.toLocaleString('en-US')} addresses, median ${sizes[sizes.length >> 1]} B, largest ${sizes.at(-1)} B; local dynalite, consumed capacity as DynamoDB counts it):`,
      );
      for (const cut of [undefined, 'segment', 'owner', 'cohort'] as const) {
        reset();
        const began = performance.now();
        await metricsReport(deps, { period: '2026-Q1', ...(cut ? { cut } : {}) }, NOW);
        const ms = performance.now() - began;
        const requests = Object.entries(meter.requests)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        console.log(
          `  period=2026-Q1${cut ? `&cut=${cut}` : ''}: ${requests}; ${meter.rru.toFixed(1)} RRU ($${(meter.rru * PRICE.rru * 1e6).toFixed(2)} per million requests) in ${ms.toFixed(0)} ms`,
        );
      }
    } finally {
      await rt.stop();
    }
  }

  // Upkeep on paper: what each kind of change moves, from the contributions themselves.
  let k = 0;
  while (!syntheticAccount(k).account.firstValueAt || syntheticAccount(k).account.status !== 'active') k++;
  const base = syntheticAccount(k);
  const today = iso(NOW.getTime());
  const withPoint = (p: ArrPoint): MetricSources => ({
    account: { ...base.account, arr: p.arr },
    history: { ...base.history, points: [...base.history.points, p] },
    surveys: base.surveys,
  });
  const events = {
    'ARR change (expansion today)': upkeepOf(book, base, withPoint({ at: today, arr: base.account.arr + 10_000, status: 'active' })),
    // A band change reads the stored contribution only (upkeep.ts refreshAccountBand).
    'band change': upkeepOf(book, base, { ...base, account: { ...base.account, band: base.account.band === 'red' ? 'green' : 'red' } }, 1),
    'NPS answer': upkeepOf(book, base, {
      ...base,
      surveys: [...base.surveys, { id: 'x', accountId: base.account.accountId, kind: 'nps', score: 9, answeredAt: today }],
    }),
    'first value': upkeepOf(book, { ...base, account: { ...base.account, firstValueAt: undefined } }, base),
    'plan move (all its periods move group)': upkeepOf(book, base, { ...base, account: { ...base.account, plan: 'other' } }),
  };
  // Assumed rates per account per day: an ARR/plan/status change a year, a band change every 50 days, an answer every 100 days, first value once in 3 years.
  const rates: Record<keyof typeof events, number> = {
    'ARR change (expansion today)': 1 / 365,
    'band change': 1 / 50,
    'NPS answer': 1 / 100,
    'first value': 1 / 1095,
    'plan move (all its periods move group)': 1 / 730,
  };
  console.log(
    `\nMetric upkeep on paper over the ${SIZES.at(-1)!.toLocaleString('en-US')}-account book (each change: 5 reads ≈ 5 RRU strongly consistent, a band change 1; one UpdateItem per stored item moved, its WRU from its size; the contribution item; "was": the former layout, one 1-WRU UpdateItem per address):`,
  );
  let wruPerDay = 0;
  let rruPerDay = 0;
  for (const [name, e] of Object.entries(events) as [keyof typeof events, (typeof events)[keyof typeof events]][]) {
    wruPerDay += e.wru * rates[name];
    rruPerDay += e.reads * rates[name];
    console.log(
      `  ${name}: ${e.moved} UpdateItems (was ${e.formerMoved}), ${e.wru} WRU (was ${e.formerWru}), ${e.reads} RRU; assumed ${rates[name].toFixed(4)} per account per day`,
    );
  }
  console.log(
    `  => ${wruPerDay.toFixed(3)} WRU and ${rruPerDay.toFixed(3)} RRU per account per day; ` +
      `100,000 accounts: ${Math.round(wruPerDay * 1e5).toLocaleString('en-US')} WRU/day ($${(wruPerDay * 1e5 * 30 * PRICE.wru).toFixed(2)}/month on demand). Scores that keep their band add nothing.`,
  );
}
