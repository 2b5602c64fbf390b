/**
 * GET /v1/accounts sorted and filtered pages at 10,000 and 100,000 local accounts (BENCH_ACCOUNTS,
 * comma-separated, overrides): the page read as main did (the whole book read and sorted in
 * memory, account-list-view.ts `sortedAccountList`) and from the list's index (a 16-shard merge,
 * indexed-account-list.ts), each with its requests, read units and time; then the write units
 * the entries add per account write and per daily score (docs/data-model.md "Sorted account lists").
 * Consumed capacity as dynalite counts it: base-table units; gsi2's write units are added on paper.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { LIST_ORDERS, scoreListing } from '../functions/core/account-list-entry.ts';
import { sortedAccountList, type ListDeps } from '../functions/core/account-list-view.ts';
import { indexedAccountList } from '../functions/core/indexed-account-list.ts';
import { parseConfig } from '../functions/core/config.ts';
import { decideScore } from '../functions/core/score/decide.ts';
import { scoringPolicy } from '../functions/core/score/policy.ts';
import { modelResolver } from '../functions/core/score/presets/index.ts';
import type { ScoreModel } from '../functions/core/score/model.ts';
import { explainScore } from '../functions/core/score/explain.ts';
import type { Account, StoredScore } from '../functions/core/types.ts';
import { accountCatalog } from '../functions/data/account-catalog.ts';
import { accountListIndex } from '../functions/data/account-list-index.ts';
import { listEntryItem, listEntryWriter, markListReady } from '../functions/data/account-list-entries.ts';
import { keys } from '../functions/data/keys.ts';
import { runRepo } from '../functions/data/runs.ts';
import { scoreFactsReader, scoreItem, scoreRepo } from '../functions/data/scores.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import userConfig from '../tend.config.ts';
import { metered, PRICE } from './scoring-batch.ts';
import { seedItems } from './seed-items.ts';

const SIZES = (process.env.BENCH_ACCOUNTS ?? '10000,100000').split(',').map(Number);
const DAY = 86_400_000;
const OWNERS = ['alex', 'sam', 'kim', 'lee', 'max', 'noa', 'ola', 'pat'];

/** The pages measured: a first page and a later one, sorted, filtered (a common and a rare filter), searched. */
const PAGES: { name: string; query: Record<string, string> & { sort: string }; page?: number; before?: boolean }[] = [
  { name: 'sort=-score', query: { sort: '-score' } },
  { name: 'sort=name, 3rd page', query: { sort: 'name' }, page: 3 },
  { name: 'sort=-arr&band=red', query: { sort: '-arr', band: 'red' } },
  { name: 'sort=renewalDate&owner=kim', query: { sort: 'renewalDate', owner: 'kim' } },
  { name: 'sort=-arr&flag=champion-left (rare)', query: { sort: '-arr', flag: 'champion-left' } },
  // main's sorted path builds every candidate's card for a stage filter (two reads each): measured at 10,000 only.
  { name: 'sort=score&stage=Retention', query: { sort: 'score', stage: 'Retention' }, before: false },
  { name: 'q=acme (search)', query: { sort: 'name', q: 'acme' } },
];

export async function accountListBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const config = parseConfig(userConfig);
  const policy = scoringPolicy(config);
  const now = new Date('2026-05-11T07:00:00Z');
  const context = {
    now,
    thresholds: { newAccountDays: config.scoring.flags.newAccountDays, renewalWithinDays: config.scoring.flags.renewalWithinDays },
    onboardingPlay: 'onboarding',
  };
  console.log('\nGET /v1/accounts, 50 a page (local dynalite; read units as DynamoDB counts them, eventually consistent):');
  for (const n of SIZES) {
    const rt = await startLocalRuntime({ assemblyDir: outdir, start: now, paused: true, schedules: false });
    try {
      const db = DynamoDBDocumentClient.from(rt.dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
      const seeded = performance.now();
      const items: Record<string, unknown>[] = [];
      const flush = async () => {
        await seedItems(db, rt.tableName, items);
        items.length = 0;
      };
      for (let i = 0; i < n; i++) {
        const id = `bench-${i}`;
        const account = {
          id,
          name: `${i % 97 === 0 ? 'Acme' : 'Globex'} ${(i * 7919) % n}`,
          seats: 5 + (i % 30),
          arr: (5 + (i % 30)) * 600,
          status: 'active',
          segment: 'tech-touch',
          startDate: '2025-09-01T00:00:00.000Z',
          renewalDate: new Date(now.getTime() + (i % 365) * DAY).toISOString().slice(0, 10),
          createdAt: '2025-09-01T00:00:00.000Z',
          updatedAt: '2025-09-01T00:00:00.000Z',
          owner: OWNERS[i % OWNERS.length],
          primaryContact: { email: `cs@${id}.example` },
        } as Account;
        items.push({ ...keys.account(id), ...keys.accountIndex(id), ...account });
        const decided = decideScore(policy, { account, days: [], surveys: [], tickets: [], contacts: [] }, now);
        let score: StoredScore | undefined;
        if (decided.kind === 'score') {
          const value = (i * 37) % 101;
          const band = value < 35 ? 'red' : value < 70 ? 'yellow' : 'green';
          // One account in 250 has lost its champion: a rare filter.
          score = { ...decided.stored, score: value, band, tier: band, flags: i % 250 === 0 ? { 'champion-left': { kind: 'risk', since: '2026-05-01' } } : {} };
          // The score item is also the account's entry in the score order (account-list-entries.ts): the entry's fields and the score's.
          items.push({ ...listEntryItem('score', account, score), ...scoreItem(score) });
        }
        for (const order of LIST_ORDERS) if (!(score && order === 'score')) items.push(listEntryItem(order, account, score));
        if (items.length >= 20_000) await flush();
      }
      await flush();
      await markListReady(db, rt.tableName, now);
      console.log(`  ${n.toLocaleString('en-US')} accounts (seeded in ${((performance.now() - seeded) / 1000).toFixed(0)} s):`);
      const { db: reads, meter, reset } = metered(db);
      const deps: ListDeps & { listIndex: ReturnType<typeof accountListIndex> } = {
        catalog: accountCatalog(reads, rt.tableName),
        scores: scoreRepo(reads, rt.tableName, modelResolver(config.scoreModel)),
        runs: runRepo(reads, rt.tableName),
        scoreFacts: scoreFactsReader(reads, rt.tableName),
        listIndex: accountListIndex(reads, rt.tableName),
      };
      await deps.listIndex.ready();
      for (const p of PAGES) {
        const runBefore = p.before !== false || n <= 10_000;
        const results: string[] = [];
        for (const [label, list] of [
          ['before', runBefore ? sortedAccountList : undefined],
          ['after', indexedAccountList],
        ] as const) {
          if (!list) {
            results.push(`${label}: not run (a card read per candidate)`);
            continue;
          }
          let cursor: string | undefined;
          // The pages before the one measured are read, not counted.
          for (let k = 1; k < (p.page ?? 1); k++) {
            const query = { ...p.query, limit: 50, ...(cursor ? { cursor } : {}) };
            const page =
              label === 'before'
                ? await sortedAccountList(deps, { ...query, sort: query.sort as never }, context, 16)
                : await indexedAccountList(deps, query as never, context);
            cursor = page.cursor ?? undefined;
          }
          reset();
          const began = performance.now();
          const query = { ...p.query, limit: 50, ...(cursor ? { cursor } : {}) };
          const page =
            label === 'before'
              ? await sortedAccountList(deps, { ...query, sort: query.sort as never }, context, 16)
              : await indexedAccountList(deps, query as never, context);
          const seconds = (performance.now() - began) / 1000;
          const requests = Object.values(meter.requests).reduce((a, b) => a + b, 0);
          results.push(`${label} ${requests} requests, ${meter.rru.toFixed(1)} RRU, ${seconds.toFixed(2)} s (${page.accounts.length} rows)`);
        }
        console.log(`    ${p.name}: ${results.join('; ')}`);
      }
      if (n === SIZES[0]) await writeCosts(db, rt.tableName, now, modelResolver(config.scoreModel));
    } finally {
      await rt.stop();
    }
  }
}

/** What keeping the entries costs: base-table write units and gsi2's, both measured (bench/index-writes.ts counts the index's). */
async function writeCosts(db: DynamoDBDocumentClient, table: string, now: Date, modelFor: (segment: string) => ScoreModel) {
  const { db: writes, meter, reset } = metered(db, table);
  const writer = listEntryWriter(writes, table);
  // The score's own write included: the score order's entry is the score item, which that write moves.
  const scores = scoreRepo(writes, table, modelFor, { listEntries: writer });
  const facts = scoreFactsReader(db, table);
  const sample = Array.from({ length: 200 }, (_, i) => `bench-${i * 7}`);
  const stored = await facts.many(sample);
  const measure = async (label: string, run: (id: string) => Promise<unknown>) => {
    reset();
    for (const id of sample) await run(id);
    const gsi = (meter.indexWru.gsi2 ?? 0) / sample.length;
    const base = meter.wru / sample.length - gsi;
    const requests = Object.values(meter.requests).reduce((a, b) => a + b, 0) / sample.length;
    console.log(`    ${label}: ${requests.toFixed(1)} requests, ${base.toFixed(2)} WRU base + ${gsi.toFixed(2)} gsi2 = ${(base + gsi).toFixed(2)} WRU`);
    return base + gsi;
  };
  console.log('  Keeping the entries (per account, 200 accounts):');
  // Each account's stored score as the scoring run reads it, moved on by each write below.
  const current = new Map([...stored].map(([id, f]) => [id, explainScore(modelFor(f.segment), f)]));
  let minute = 0;
  const write = async (id: string, delta: number, flags?: StoredScore['flags']) => {
    const s = current.get(id)!;
    const next = {
      ...s,
      score: s.score === null ? 50 : Math.min(100, s.score + delta),
      ...(flags ? { flags } : {}),
      accountId: id,
      computedAt: new Date(now.getTime() + ++minute * 60_000).toISOString(),
    } as unknown as StoredScore;
    // As the scoring run: what the entries hold of the stored score (its item's listing) against the new score.
    await scores.put(next, { previousComputedAt: s.computedAt, listing: scoreListing(s) });
    current.set(id, next);
  };
  const same = await measure("a daily score that did not move (the score's own write)", (id) => write(id, 0));
  const moved = await measure('a daily score that moved (its entry moves with it)', (id) => write(id, 1));
  await measure('a score whose flags changed (the three other entries too)', (id) =>
    write(id, 1, { 'usage-drop': { kind: 'risk', since: now.toISOString() } } as never),
  );
  const accounts = new Map<string, Account>();
  for (const id of sample)
    accounts.set(id, { id, name: `Renamed ${id}`, segment: 'tech-touch', startDate: '2025-09-01T00:00:00.000Z', owner: 'kim' } as Account);
  await measure('an account write that changed a listed field (3 entries and the score item, no read)', (id) => writer.accountChanged(accounts.get(id)!, 1));
  const perDay = (share: number) => share * moved + (1 - share) * same;
  console.log(
    `    per account per day, the score's own write included (the daily scoring writes each score once): ${perDay(1).toFixed(2)} WRU if every score moves, ${perDay(0.5).toFixed(2)} if half do; ` +
      `at 100,000 accounts ${(perDay(1) * 100_000).toLocaleString('en-US', { maximumFractionDigits: 0 })} WRU a day at most ($${(perDay(1) * 100_000 * PRICE.wru).toFixed(3)} on demand)`,
  );
}
