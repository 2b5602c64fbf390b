/**
 * The Overview page over 10,000 local accounts (BENCH_WEB_ACCOUNTS): account and score items as
 * bench/reviews.ts seeds them, the metric aggregates as bench/metrics.ts computes them, the web
 * app served by the local runtime, and headless Chromium (tests/browser/support) signed in as the
 * admin. Timed from navigation: the headline figures and bands on screen (GET /v1/metrics, the
 * aggregates), then every panel (renewals by month from the renewal day items, the week's changes
 * from the book index and the daily runs' score states, seeded as the upkeep and the scoring run write them).
 * Median of 3 loads after a warm-up; the API requests' own times from the browser's resource timing;
 * and, independent of the machine's load, a load's DynamoDB requests and read units and the runtime's CPU.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { parseConfig } from '../functions/core/config.ts';
import { addInto, contributionOf, entriesOf, type Counters } from '../functions/core/metrics/contribution.ts';
import { decideScore } from '../functions/core/score/decide.ts';
import { scoringPolicy } from '../functions/core/score/policy.ts';
import type { Account } from '../functions/core/types.ts';
import { keys } from '../functions/data/keys.ts';
import { storedItemsOf } from '../functions/data/metric-layout.ts';
import { scoreItem } from '../functions/data/scores.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import userConfig from '../tend.config.ts';
import { launchChromium } from '../tests/browser/support/chromium.ts';
import { openTab, signedInContext } from '../tests/browser/support/app-session.ts';
import { ensureWebApp, WEB_DIST } from '../web/build.ts';
import { syntheticAccount } from './metrics.ts';
import { seedItems } from './seed-items.ts';
import { seedReviewItems, type SeededAccount } from './review-items.ts';

const N = Number(process.env.BENCH_WEB_ACCOUNTS ?? 10_000);
const DAY = 86_400_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function webOverviewBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  await ensureWebApp();
  const now = new Date('2026-04-20T07:00:00Z');
  const rt = await startLocalRuntime({ assemblyDir: outdir, start: now, paused: true, schedules: false, webDir: WEB_DIST });
  const browser = await launchChromium();
  try {
    const policy = scoringPolicy(parseConfig(userConfig));
    const items: Record<string, unknown>[] = [];
    const seeded: SeededAccount[] = [];
    const sums = new Map<string, Counters>();
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
      if (decided.kind === 'score') {
        const recent = Array.from({ length: 35 }, (_, d) => ({
          day: new Date(now.getTime() - (34 - d) * DAY).toISOString().slice(0, 10),
          score: Math.max(0, Math.min(100, 50 + ((i * 13 + d * (i % 7) - 3 * d) % 50))),
        }));
        const stored = { ...decided.stored, recent, score: recent[34]!.score };
        items.push(scoreItem(stored));
        seeded.push({ account, stored });
      } else seeded.push({ account });
      addInto(sums, entriesOf(contributionOf(syntheticAccount(i))));
    }
    items.push(...storedItemsOf(sums));
    const db = DynamoDBDocumentClient.from(rt.dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    await seedItems(db, rt.tableName, items);
    // The book index the upkeep keeps and the score states of the daily runs a week's review reads (today, yesterday, 8 days ago).
    const day = (n: number) => new Date(now.getTime() + n * DAY).toISOString().slice(0, 10);
    await seedReviewItems(db, rt.tableName, seeded, [day(-8), day(-1), day(0)]);
    rt.clock.resume();
    const admin = rt.oidc.newUsers.find((u) => u.email === 'admin@tend.local')!;
    const context = await signedInContext(browser, rt.url, admin.email, admin.password);
    const { page, errors } = await openTab(context);
    // What a load costs the runtime, whatever the machine's load: DynamoDB requests and read units served, and this process's CPU (API handlers and dynalite's thread).
    const snapshot = () => ({
      ops: { ...rt.dynamo.operations },
      rru: Object.values(rt.dynamo.capacity).reduce((t, u) => t + u.read, 0),
      cpu: process.cpuUsage(),
    });
    const load = async () => {
      const before = snapshot();
      const began = performance.now();
      await page.goto(`${rt.url}/`);
      await page.getByTestId('health-table').waitFor({ timeout: 120_000 });
      const figures = performance.now() - began;
      await page.locator('[data-testid=renewals-table]').waitFor({ timeout: 120_000 });
      await page.getByTestId('kpi-turned-red').waitFor({ timeout: 120_000 });
      await page.waitForFunction(() => !document.querySelector('main')?.textContent?.includes('Loading'), undefined, { timeout: 120_000 });
      const all = performance.now() - began;
      const api = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/v1/'))
          .map((e) => ({ path: new URL(e.name).pathname, ms: Math.round(e.duration) })),
      );
      const after = snapshot();
      const cpu = process.cpuUsage(before.cpu);
      const requests = Object.fromEntries(
        Object.entries(after.ops)
          .map(([op, n]) => [op, n - (before.ops[op] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      return { figures, all, api, requests, rru: after.rru - before.rru, cpuMs: (cpu.user + cpu.system) / 1000 };
    };
    await load();
    const runs = [await load(), await load(), await load()];
    console.log(
      `\nThe web app's Overview over ${N.toLocaleString('en-US')} local accounts (headless Chromium, local runtime; median of 3 loads after a warm-up):`,
    );
    console.log(`  headline figures and health bands on screen: ${median(runs.map((r) => r.figures)).toFixed(0)} ms from navigation`);
    console.log(`  every panel (renewals by month, this week's changes, retention by month and quarter): ${median(runs.map((r) => r.all)).toFixed(0)} ms`);
    const byPath = new Map<string, number[]>();
    for (const r of runs) for (const a of r.api) byPath.set(a.path, [...(byPath.get(a.path) ?? []), a.ms]);
    for (const [path, ms] of byPath) console.log(`  ${path}: ${ms.length / runs.length} request(s) a load, median ${median(ms)} ms`);
    const last = runs.at(-1)!;
    console.log(
      `  a load's DynamoDB requests: ${Object.entries(last.requests)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')}; ${last.rru.toFixed(0)} RRU; the runtime's CPU (API and dynalite) median ${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms a load`,
    );
    if (errors.length) console.log(`  console errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await rt.stop();
  }
}

if (process.argv[1]?.endsWith('web-overview.ts')) await webOverviewBench();
