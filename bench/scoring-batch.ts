/**
 * The daily scoring run over N accounts (BENCH_ACCOUNTS, default 10,000):
 * 1. On the local runtime, as deployed (Distributed Map, Lambda bundle): wall time and every
 *    DynamoDB request the run caused (the plays its events start included).
 * 2. Scoring's own cost, measured: the same orchestrator in process over a client that asks
 *    every request for ReturnConsumedCapacity TOTAL (dynalite answers it for the table; the
 *    indexes' write units, which DynamoDB's TOTAL includes, are counted by index-writes.ts) and
 *    counts requests, read and write units per account, for the runs of a day: the daily run the day after, the
 *    daily run again (what the rescoring already scored), an hourly rescoring with nothing marked
 *    and one after 10% of the accounts got data. Then the AWS cost on paper from those units.
 *    The next day's units are split by item (scoring's own writes, the sorted list's upkeep) and
 *    printed beside what the list's entries saw change (score-churn.ts: moves by size, band and
 *    flag changes by field), with the pure scorer's 45-day churn (BENCH_CHURN_ACCOUNTS, default 100).
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { parseConfig } from '../functions/core/config.ts';
import { modelResolver } from '../functions/core/score/presets/index.ts';
import { rescoreDirty, scoreShards, type ScoringDeps } from '../functions/core/scoring.ts';
import { decideScore } from '../functions/core/score/decide.ts';
import { accountRepo } from '../functions/data/accounts.ts';
import { metricAggregates } from '../functions/data/metric-aggregates.ts';
import { metricSources } from '../functions/data/metric-sources.ts';
import { dirtyAccounts } from '../functions/data/dirty.ts';
import { ACCOUNT_SHARDS, keys } from '../functions/data/keys.ts';
import { scoringPolicy } from '../functions/core/score/policy.ts';
import { scoringWrites } from '../functions/data/scoring-writes.ts';
import { listEntryItem, listEntryWriter } from '../functions/data/account-list-entries.ts';
import { LIST_ORDERS, scoreListing } from '../functions/core/account-list-entry.ts';
import { accountFromItem } from '../functions/data/account-item.ts';
import { scoreRepo } from '../functions/data/scores.ts';
import { timelineRepo } from '../functions/data/timeline.ts';
import { healthDays } from '../functions/data/health-days.ts';
import { refreshAccountBand } from '../functions/core/metrics/upkeep.ts';
import { recordingTimeline, timelineOfEvent } from '../functions/core/timeline.ts';
import type { Band } from '../functions/core/metrics/health.ts';
import type { TendEvent } from '../functions/core/ports.ts';
import { scoringInputs } from '../functions/data/scoring-inputs.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { seedItems } from './seed-items.ts';
import { benchAccount, benchUsage, churnLines, ListingChanges } from './score-churn.ts';
import { indexWriteMeter, itemSize } from './index-writes.ts';
import { synthesize } from '../local/synth.ts';
import userConfig from '../tend.config.ts';
import { SHARDS_PER_BATCH } from '../workflows/scoring.ts';
import { scoreStates } from '../functions/data/score-states.ts';

const N = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const DAYS = 14;
const DAY = 86_400_000;

// us-east-1 list prices (2026): DynamoDB on-demand, Lambda arm64, Step Functions Standard, EventBridge custom events.
export const PRICE = { rru: 0.125 / 1e6, wru: 0.625 / 1e6, lambdaGbSecond: 0.0000133334, lambdaRequest: 0.2 / 1e6, transition: 0.025 / 1000, event: 1 / 1e6 };

interface Meter {
  requests: Record<string, number>;
  rru: number;
  /** Write units, the indexes' included when counted (`indexesOf`). */
  wru: number;
  /** Of `wru`, each index's (on DynamoDB, TOTAL includes them; dynalite reports the table's only). */
  indexWru: Record<string, number>;
  /** Writes by the item written (`writeKind`): requests, the table's write units and the indexes'. */
  byItem: Record<string, { requests: number; wru: number; indexWru: number }>;
}

/** Which item a write is for (a batch: its first item's), to split scoring's own writes from the sorted list's upkeep. */
function writeKind(command: { input: Record<string, unknown>; constructor: { name: string } }): string {
  const batch = Object.values(
    (command.input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } }[]>,
  )[0]?.[0];
  const key = (command.input.Key ?? command.input.Item ?? batch?.PutRequest?.Item ?? batch?.DeleteRequest?.Key) as { pk?: unknown; sk?: unknown } | undefined;
  const [pk, sk] = [String(key?.pk ?? ''), String(key?.sk ?? '')];
  if (sk === keys.score('x').sk) return 'score item';
  if (sk.startsWith('LIST#')) return 'other list entries';
  if (pk.startsWith('SCORESTATES#')) return 'score states';
  if (pk.startsWith('METRICS#')) return 'band moves';
  return 'timeline and tallies';
}

/**
 * A document client whose every request returns (and adds up) its consumed capacity. With
 * `indexesOf` (the table), each write's index units are counted too (index-writes.ts), as
 * DynamoDB's TOTAL counts them.
 */
export function metered(db: DynamoDBDocumentClient, indexesOf?: string): { db: DynamoDBDocumentClient; meter: Meter; reset(): void } {
  const meter: Meter = { requests: {}, rru: 0, wru: 0, indexWru: {}, byItem: {} };
  const wrapped = Object.create(db) as DynamoDBDocumentClient;
  const indexes = indexesOf ? indexWriteMeter(db, indexesOf) : undefined;
  const send = async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
    command.input.ReturnConsumedCapacity = 'TOTAL';
    const op = command.constructor.name.replace(/Command$/, '');
    const reads = ['Get', 'Query', 'Scan', 'BatchGet'].includes(op);
    const write = () => (db.send as (c: unknown) => Promise<Record<string, unknown>>)(command);
    let out: { ConsumedCapacity?: unknown };
    const item = reads ? undefined : (meter.byItem[writeKind(command)] ??= { requests: 0, wru: 0, indexWru: 0 });
    if (item) item.requests++;
    if (indexes && !reads) {
      const counted = await indexes.around(command, write);
      out = counted.out;
      for (const [index, units] of Object.entries(counted.units)) {
        meter.indexWru[index] = (meter.indexWru[index] ?? 0) + units;
        meter.wru += units;
        item!.indexWru += units;
      }
    } else out = await write();
    meter.requests[op] = (meter.requests[op] ?? 0) + 1;
    const consumed = [out.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }[];
    for (const c of consumed) {
      const units = c.CapacityUnits ?? 0;
      if (reads) meter.rru += units;
      else {
        meter.wru += units;
        item!.wru += units;
      }
    }
    return out;
  };
  (wrapped as unknown as { send: typeof send }).send = send;
  return { db: wrapped, meter, reset: () => ((meter.requests = {}), (meter.rru = 0), (meter.wru = 0), (meter.indexWru = {}), (meter.byItem = {})) };
}

const perAccount = (m: Meter, n: number) => {
  const requests = Object.values(m.requests).reduce((a, b) => a + b, 0);
  const ops =
    Object.entries(m.requests)
      .map(([k, v]) => `${k} ${(v / n).toFixed(2)}`)
      .join(', ') || 'none';
  const indexes =
    Object.entries(m.indexWru)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${(v / n).toFixed(2)}`)
      .join(', ') || 'none';
  return { requests: requests / n, rru: m.rru / n, wru: m.wru / n, ops, indexes };
};

export async function scoringBatchBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const start = Date.parse('2026-03-02T00:00:00Z');
  const rt = await startLocalRuntime({ assemblyDir: outdir, start: new Date(start), paused: true, schedules: false });
  try {
    // Seed accounts, their sorted list entries (as the account writes or `tend metrics rebuild` leave them)
    // and two weeks of usage straight into the table (the API path is measured elsewhere).
    // The usage pattern and accounts are score-churn.ts's, which runs the same pattern over many days.
    const usageDay = (i: number, d: number) => {
      const u = benchUsage(i, d, start);
      return {
        ...keys.usageDay(`bench-${i}`, u.day),
        day: u.day,
        users: new Set(u.users),
        features: new Set(u.features),
        userFeatures: new Set(u.userFeatures),
      };
    };
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < N; i++) {
      const account = { ...keys.account(`bench-${i}`), ...keys.accountIndex(`bench-${i}`), ...benchAccount(i) };
      items.push(account, ...LIST_ORDERS.map((order) => listEntryItem(order, accountFromItem(account), undefined)));
      for (let d = 1; d <= DAYS; d++) items.push(usageDay(i, d));
    }
    const seeded = Date.now();
    const db = DynamoDBDocumentClient.from(rt.dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    await seedItems(db, rt.tableName, items);
    const seedSeconds = (Date.now() - seeded) / 1000;

    // 1. The first daily run, as deployed (BENCH_SCORING_LOCAL=0 skips it: the in-process figures below do not depend on it).
    rt.clock.advanceTo(start + 6 * 3_600_000);
    if (process.env.BENCH_SCORING_LOCAL !== '0') await localRun();
    async function localRun() {
      for (const k of Object.keys(rt.dynamo.operations)) delete rt.dynamo.operations[k];
      const daily = rt.scheduler.schedules.find((s) => s.expression.startsWith('cron'))!;
      const began = performance.now();
      await rt.scheduler.fire(daily);
      const seconds = (performance.now() - began) / 1000;
      // The local TTL sweeper's scans are not part of the run.
      const { Scan: _sweeps, ...ops } = rt.dynamo.operations;
      const run = [...rt.sfn.executions.values()].find((e) => e.machineArn.includes('Scoring'))!;
      console.log(
        `\nDaily scoring run on the local runtime (Distributed Map over 16 shards, ${SHARDS_PER_BATCH} shards a batch), first scores of every account`,
      );
      console.log(`  accounts ${N.toLocaleString('en-US')} (seeded with ${DAYS} days of usage in ${seedSeconds.toFixed(1)} s)`);
      console.log(`  run ${run.status} in ${seconds.toFixed(1)} s wall = ${Math.round(N / seconds).toLocaleString('en-US')} accounts/s`);
      console.log(
        `  DynamoDB requests per account, the plays its events started included: ${Object.entries(ops)
          .map(([k, v]) => `${k} ${(v / N).toFixed(2)}`)
          .join(', ')}`,
      );
    }

    // 2. Scoring's own requests and capacity units, in process.
    const config = parseConfig(userConfig);
    // Index writes counted too: DynamoDB bills them (and TOTAL reports them), dynalite does not.
    const m = metered(db, rt.tableName);
    let published = 0;
    // The account index's pages (listIds): a per-shard cost, counted apart to give the per-account cost at any size.
    const listing = metered(m.db);
    // As the scoring Lambda, one run's writes (data/scoring-writes.ts): the score, the timeline entries of
    // the score moves and of the events published (the bus itself is not DynamoDB: counted only), the
    // metric aggregates moved on band changes only (docs/metrics.md), one health tally per shard and day.
    // BENCH_SCORING_WRITES=unbuffered: as before the run's writes were buffered (each timeline entry and
    // each band change written on its own), to compare the two in the same conditions.
    const counts = { bandChanges: 0, entries: 0 };
    const options = {
      modelFor: modelResolver(config.scoreModel),
      publisher: {
        publish: async (e: TendEvent[]) => {
          published += e.length;
          counts.entries += e.flatMap(timelineOfEvent).length;
        },
      },
      upkeep: { sources: metricSources(m.db, rt.tableName), aggregates: metricAggregates(m.db, rt.tableName) },
      // As the scoring Lambda: each score written moves the account's sorted list entries (docs/data-model.md, "Sorted account lists").
      listEntries: listEntryWriter(m.db, rt.tableName),
    };
    const unbuffered = process.env.BENCH_SCORING_WRITES === 'unbuffered';
    const writes = unbuffered
      ? {
          scores: scoreRepo(m.db, rt.tableName, options.modelFor, { listEntries: options.listEntries }),
          events: recordingTimeline(options.publisher, timelineRepo(m.db, rt.tableName)),
          bandChanged: (id: string, band: Band) => refreshAccountBand(options.upkeep, id, band),
          healthDays: healthDays(m.db, rt.tableName),
        }
      : scoringWrites(m.db, rt.tableName, options);
    const deps: ScoringDeps = {
      clock: { now: () => new Date(rt.clock.nowMs()) },
      ...scoringPolicy(config),
      inputs: scoringInputs(m.db, rt.tableName),
      accounts: accountRepo(listing.db, rt.tableName),
      ...writes,
      bandChanged: (id, band) => (counts.bandChanges++, writes.bandChanged(id, band)),
      // As the scoring Lambda: the weekly review's score states, per shard a day and per rescoring batch (docs/metrics.md).
      scoreStates: scoreStates(listing.db, rt.tableName),
    };
    // The health tallies' own size: one item per shard and day, holding the whole book's counters and
    // each segment, plan and owner group's (health-days.ts); written with the shard's last timeline entries.
    const tallies = { items: 0, wru: 0 };
    const put = deps.healthDays!.put;
    deps.healthDays = {
      put: (day, shard, tally) => {
        tallies.items++;
        tallies.wru += Math.ceil(Buffer.byteLength(JSON.stringify(tally)) / 1024);
        return put(day, shard, tally);
      },
    };
    // What the run loaded, to time the pure decision alone afterwards (the Lambda's own CPU).
    const loaded: { input: Awaited<ReturnType<ScoringDeps['inputs']['load']>>; at: Date }[] = [];
    const load = deps.inputs.load;
    deps.inputs = {
      load: async (id, from) => {
        const input = await load(id, from);
        if (loaded.length < 2000) loaded.push({ input, at: deps.clock.now() });
        return input;
      },
    };
    const dirty = dirtyAccounts(m.db, rt.tableName);
    const shards = Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i);
    const rows: { label: string; n: number; seconds: number }[] = [];
    const measure = async (label: string, n: number, work: () => Promise<unknown>) => {
      m.reset();
      const t = performance.now();
      await work();
      const s = (performance.now() - t) / 1000;
      const p = perAccount(m.meter, n);
      rows.push({ label, n, seconds: s });
      console.log(
        `  ${label.padEnd(44)} ${p.requests.toFixed(2).padStart(5)} req ${p.rru.toFixed(2).padStart(5)} RRU ${p.wru.toFixed(2).padStart(5)} WRU per account (${p.ops}; of the WRU, indexes: ${p.indexes}; ${((s * 1000) / n).toFixed(2)} ms)`,
      );
      return p;
    };
    console.log(
      `\nScoring's own DynamoDB cost, measured (ReturnConsumedCapacity TOTAL on every request, index writes counted from the items; eventually consistent reads)`,
    );
    // Without the local run, the same first scores in process, unmeasured: the measured run is the next day's.
    if (process.env.BENCH_SCORING_LOCAL === '0') await scoreShards(deps, shards);
    // A day of usage arrives before the next run, as on any working day (BENCH_SCORING_DAY=idle: none, so
    // every account's newest day is empty and most scores fall a point or two: the figures before 2026-11-28).
    const idleDay = process.env.BENCH_SCORING_DAY === 'idle';
    if (!idleDay)
      await seedItems(
        db,
        rt.tableName,
        Array.from({ length: N }, (_, i) => usageDay(i, 0)),
      );
    rt.clock.advanceTo(start + DAY + 6 * 3_600_000);
    listing.reset();
    tallies.items = 0;
    tallies.wru = 0;
    counts.bandChanges = 0;
    counts.entries = 0;
    console.log(`  the day before the run: ${idleDay ? 'no usage (BENCH_SCORING_DAY=idle)' : 'usage as on the days before'}`);
    console.log(`  the run's writes: ${unbuffered ? 'unbuffered (BENCH_SCORING_WRITES=unbuffered: as before)' : 'buffered per run (data/scoring-writes.ts)'}`);
    const changes = new ListingChanges();
    const putScore = writes.scores.put;
    writes.scores.put = (score, o) => (changes.add(o.listing, scoreListing(score)), putScore(score, o));
    const nextDay = await measure('daily run, the next day (one write each)', N, () => scoreShards(deps, shards));
    writes.scores.put = putScore;
    // Scoring's own writes apart from the sorted list's upkeep (docs/data-model.md "Sorted account lists"):
    // the score item's base write is the score's; its gsi2 writes and the other entries' writes are the list's.
    const byItem = (kind: string) => m.meter.byItem[kind] ?? { requests: 0, wru: 0, indexWru: 0 };
    const [scoreItem, otherEntries] = ['score item', 'other list entries'].map(byItem);
    const per = (x: number) => (x / N).toFixed(2);
    const others = ['timeline and tallies', 'score states', 'band moves'].map(
      (k) => `${k} ${per(byItem(k).requests)} req ${per(byItem(k).wru + byItem(k).indexWru)} WRU`,
    );
    console.log(`  ${"of which scoring's own writes".padEnd(44)} score item ${per(scoreItem!.requests)} req ${per(scoreItem!.wru)} WRU; ${others.join('; ')}`);
    console.log(
      `  ${"of which the sorted list's upkeep".padEnd(44)} the score item's gsi2 ${per(scoreItem!.indexWru)} WRU; the other entries ${per(otherEntries!.requests)} req ${per(otherEntries!.wru)} WRU + gsi2 ${per(otherEntries!.indexWru)} WRU`,
    );
    console.log(`  what the list's entries saw change that day (per account scored; cost ~2 gsi2 WRU a move, 3 req + 7 WRU a band/flag change):`);
    for (const line of changes.lines('    ')) console.log(line);
    // Per run, whatever the number of accounts: the account index's pages and one tally write per shard.
    const fixedRequests = Object.values(listing.meter.requests).reduce((a, b) => a + b, 0) + tallies.items;
    const fixed = { requests: fixedRequests, rru: listing.meter.rru, wru: tallies.wru };
    const marginal = { requests: nextDay.requests - fixed.requests / N, rru: nextDay.rru - fixed.rru / N, wru: nextDay.wru - fixed.wru / N };
    console.log(
      `  ${'of which per run, not per account'.padEnd(44)} ${fixed.requests} requests (index pages, ${tallies.items} health tallies), ${fixed.rru.toFixed(1)} RRU, ~${fixed.wru} WRU (tallies, ~${(fixed.wru / Math.max(1, tallies.items)).toFixed(1)} WRU an item)`,
    );
    console.log(
      `  ${'of which band changes, timeline entries'.padEnd(44)} ${counts.bandChanges} accounts changed band (${((100 * counts.bandChanges) / N).toFixed(1)}%); ${counts.entries} timeline entries of the events published (${(counts.entries / N).toFixed(3)} per account), score moves apart`,
    );
    console.log(
      `  ${'per account, without the per-run part'.padEnd(44)} ${marginal.requests.toFixed(3).padStart(5)} req ${marginal.rru.toFixed(3).padStart(5)} RRU ${marginal.wru.toFixed(3).padStart(5)} WRU (what each more account costs)`,
    );
    // The score item's size: a write is billed per KB started, so it must stay under 1 KB (history, flags, signals and the list entry's fields included).
    const sizes: number[] = [];
    for (let shard = 0; shard < ACCOUNT_SHARDS; shard++)
      for await (const ids of deps.accounts.listIds(shard))
        for (const id of ids) {
          const out = await db.send(new GetCommand({ TableName: rt.tableName, Key: keys.score(id) }));
          if (out.Item) sizes.push(itemSize(out.Item));
        }
    sizes.sort((a, b) => a - b);
    console.log(
      `  ${'score item size (bytes)'.padEnd(44)} median ${sizes[sizes.length >> 1]}, max ${sizes.at(-1)}; over 1 KB: ${sizes.filter((b) => b > 1024).length} of ${sizes.length}`,
    );
    listing.reset();
    tallies.items = 0;
    tallies.wru = 0;
    await measure('daily run again that day (scored today: skipped)', N, () => scoreShards(deps, shards));
    await measure('hourly rescoring, nothing marked (total)', 1, () => rescoreDirty({ ...deps, dirty }, shards));
    const marked = Array.from({ length: Math.ceil(N / 10) }, (_, i) => `bench-${i * 10}`);
    await measure('marking 10% of the accounts (one ingest call)', marked.length, () => dirty.mark(marked, new Date(rt.clock.nowMs())));
    rt.clock.advanceTo(start + DAY + 7 * 3_600_000);
    await measure('hourly rescoring of those (per marked account)', marked.length, () => rescoreDirty({ ...deps, dirty }, shards));

    // The steady state the one measured day cannot show (flags that need weeks of history, flags that flap): pure, no DynamoDB.
    for (const line of churnLines(deps, Number(process.env.BENCH_CHURN_ACCOUNTS ?? 100), 45, start)) console.log(line);

    const transitionsPerRun = 2 + Math.ceil(16 / SHARDS_PER_BATCH) * 3;
    // Lambda billed time per account, on paper: the CPU of the pure decision (timed here on what the
    // run loaded) plus the DynamoDB round trips (~6 ms each on AWS) overlapped 8 accounts at a time.
    // The in-process wall time above is no stand-in: dynalite serves every request in this process.
    const t = performance.now();
    for (const { input, at } of loaded) decideScore(deps, input, at);
    const cpuSeconds = (performance.now() - t) / 1000 / loaded.length;
    const lambdaSeconds = cpuSeconds + (nextDay.requests * 0.006) / 8;
    const lambdaGbSeconds = lambdaSeconds * 1.0; // 1,024 MB (lib/constructs/scoring.ts)
    console.log(
      `\nLambda time per account, on paper: ${(cpuSeconds * 1000).toFixed(3)} ms pure decision + ${nextDay.requests.toFixed(2)} requests x 6 ms / 8 in flight = ${(lambdaSeconds * 1000).toFixed(2)} ms`,
    );
    console.log(`\nAWS cost of one daily run, on paper (us-east-1 list prices, on-demand, arm64), from the measured units of the next day's run:`);
    for (const accounts of [10_000, 1_000_000]) {
      const dynamo = accounts * (marginal.wru * PRICE.wru + marginal.rru * PRICE.rru) + fixed.wru * PRICE.wru + fixed.rru * PRICE.rru;
      const lambda = accounts * lambdaGbSeconds * PRICE.lambdaGbSecond + Math.ceil(16 / SHARDS_PER_BATCH) * PRICE.lambdaRequest;
      const sfn = transitionsPerRun * PRICE.transition;
      const total = dynamo + lambda + sfn;
      console.log(
        `  ${accounts.toLocaleString('en-US').padStart(9)} accounts: DynamoDB $${dynamo.toFixed(4)} + Lambda $${lambda.toFixed(4)} + Step Functions $${sfn.toFixed(4)} = $${total.toFixed(4)} a day, $${(total * 30).toFixed(2)} a month`,
      );
    }
    console.log(`  (events published by the measured runs: ${published}; state transitions per run ~${transitionsPerRun}, independent of the account count)`);
  } finally {
    await rt.stop();
  }
}
