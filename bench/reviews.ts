/**
 * The portfolio reviews' cost (GET /v1/renewals, GET /v1/changes) over N accounts
 * (BENCH_ACCOUNTS, default 10,000): each report run in process over a client that asks every
 * request for its consumed capacity (bench/scoring-batch.ts), with its requests, read units and
 * wall time, and the read units per 1,000 and 100,000 accounts at the same item sizes.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { parseConfig } from '../functions/core/config.ts';
import { changesReport, renewalsReport } from '../functions/core/metrics/reports.ts';
import { decideScore } from '../functions/core/score/decide.ts';
import { scoringPolicy } from '../functions/core/score/policy.ts';
import type { Account } from '../functions/core/types.ts';
import { accountRepo } from '../functions/data/accounts.ts';
import { keys } from '../functions/data/keys.ts';
import { scoreFactsReader, scoreItem } from '../functions/data/scores.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { seedItems } from './seed-items.ts';
import { seedReviewItems, type SeededAccount } from './review-items.ts';
import { renewalIndex } from '../functions/data/renewal-index.ts';
import { scoreStates } from '../functions/data/score-states.ts';
import { synthesize } from '../local/synth.ts';
import userConfig from '../tend.config.ts';
import { metered, PRICE } from './scoring-batch.ts';

const N = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const DAY = 86_400_000;

export async function reviewsBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const now = new Date('2026-05-11T07:00:00Z');
  const rt = await startLocalRuntime({ assemblyDir: outdir, start: now, paused: true, schedules: false });
  try {
    const config = parseConfig(userConfig);
    const policy = scoringPolicy(config);
    const items: Record<string, unknown>[] = [];
    const seeded: SeededAccount[] = [];
    for (let i = 0; i < N; i++) {
      const id = `bench-${i}`;
      const account = {
        id,
        name: id,
        seats: 5 + (i % 30),
        arr: (5 + (i % 30)) * 600,
        status: 'active',
        segment: 'tech-touch',
        owner: ['alex', 'sam', 'dana'][i % 3],
        startDate: '2025-09-01T00:00:00.000Z',
        renewalDate: new Date(now.getTime() + (i % 365) * DAY).toISOString().slice(0, 10),
        createdAt: '2025-09-01T00:00:00.000Z',
        updatedAt: '2025-09-01T00:00:00.000Z',
        primaryContact: { email: `cs@${id}.example` },
      } as Account;
      items.push({ ...keys.account(id), ...keys.accountIndex(id), ...account });
      const decided = decideScore(policy, { account, days: [], surveys: [], tickets: [], contacts: [] }, now);
      if (decided.kind !== 'score') {
        seeded.push({ account });
        continue;
      }
      // A full history: 35 daily scores drifting by account, as the items hold after five weeks.
      const recent = Array.from({ length: 35 }, (_, d) => ({
        day: new Date(now.getTime() - (34 - d) * DAY).toISOString().slice(0, 10),
        score: Math.max(0, Math.min(100, 50 + ((i * 13 + d * (i % 7) - 3 * d) % 50))),
      }));
      const stored = { ...decided.stored, recent, score: recent[34]!.score };
      items.push(scoreItem(stored));
      seeded.push({ account, stored });
    }
    const db = DynamoDBDocumentClient.from(rt.dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    await seedItems(db, rt.tableName, items);
    const day = (n: number) => new Date(now.getTime() + n * DAY).toISOString().slice(0, 10);
    // The book index and the daily runs' score states a 7-day review reads: today, yesterday, the day before its first.
    const sizes = await seedReviewItems(db, rt.tableName, seeded, [day(-8), day(-1), day(0)]);
    const { db: reads, meter, reset } = metered(db);
    const deps = {
      accounts: accountRepo(reads, rt.tableName),
      scoreFacts: scoreFactsReader(reads, rt.tableName),
      renewals: renewalIndex(reads, rt.tableName),
      scoreStates: scoreStates(reads, rt.tableName),
      modelFor: policy.modelFor,
    };
    // As before the states: no states, so the review reads every account and score item.
    const noStates = { ...deps, scoreStates: { read: async (d: string) => ({ day: d, shards: new Set<number>(), states: [], failed: [], notes: [] }) } };
    const week = new Date(now.getTime() - 7 * DAY).toISOString();
    console.log(`\nPortfolio reviews over ${N.toLocaleString('en-US')} accounts (local dynalite, consumed capacity as DynamoDB counts it):`);
    console.log(
      `  upkeep: the daily run's score states ~${(sizes.stateBytes / 1000).toFixed(0)} KB a day (~${(sizes.stateBytes / 1000 / N).toFixed(3)} WRU per account per day); ` +
        `the book index ~${(sizes.indexBytes / N).toFixed(0)} bytes per account (1 WRU per entry written)`,
    );
    const runs: [string, () => Promise<unknown>][] = [
      ['GET /v1/renewals (next 90 days, 100 listed)', () => renewalsReport(deps, { limit: 100 }, now)],
      ['GET /v1/renewals (next 180 days, 1 listed: the Overview)', () => renewalsReport(deps, { to: day(180), limit: 1 }, now)],
      ['GET /v1/changes (since 7 days, from the states)', () => changesReport(deps, { since: week, top: 10 }, now)],
      ['GET /v1/changes (days=7, 10 listed a figure: the Overview)', () => changesReport(deps, { days: 7, top: 5, list: 10 }, now)],
      ['GET /v1/changes (since 7 days, owner=alex: My day)', () => changesReport(deps, { since: week, top: 100, owner: 'alex' }, now)],
      ['GET /v1/changes (since 7 days, every item: as before)', () => changesReport(noStates, { since: week, top: 10 }, now)],
    ];
    for (const [name, run] of runs) {
      reset();
      const began = performance.now();
      const answer = await run();
      const seconds = (performance.now() - began) / 1000;
      const answerKb = JSON.stringify(answer).length / 1000;
      const requests = Object.entries(meter.requests)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const per1k = (meter.rru / N) * 1000;
      console.log(
        `  ${name}: ${requests}; ${meter.rru.toFixed(0)} RRU in ${seconds.toFixed(2)} s, a ${answerKb.toFixed(0)} KB answer; ` +
          `${per1k.toFixed(0)} RRU per 1,000 accounts, ${(per1k * 100).toLocaleString('en-US', { maximumFractionDigits: 0 })} per 100,000 ($${(per1k * 100 * PRICE.rru).toFixed(4)} on demand)`,
      );
    }
  } finally {
    await rt.stop();
  }
}
