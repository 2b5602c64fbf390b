import { resolve } from 'node:path';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import { observe } from '../functions/core/lift/observations.ts';
import { rateLift } from '../functions/core/lift/report.ts';
import { assign, type Assignment } from '../functions/core/plays/holdout.ts';
import { holdoutSchema } from '../functions/core/plays/holdout-schema.ts';
import { holdoutRepo } from '../functions/data/holdouts.ts';
import { playLift } from '../functions/core/lift/play-lift.ts';
import type { PlayDefinition } from '../functions/core/plays/definition.ts';
import { modelResolver } from '../functions/core/score/presets/index.ts';
import { accountRepo } from '../functions/data/accounts.ts';
import { keys } from '../functions/data/keys.ts';
import { revenueRepo } from '../functions/data/revenue.ts';
import { scoreRepo } from '../functions/data/scores.ts';
import { variantCounts } from '../functions/data/variant-counts.ts';
import { runRepo } from '../functions/data/runs.ts';
import { sendLedger } from '../functions/data/sends.ts';
import { sendOutcomes } from '../functions/data/outcome-sends.ts';
import { churns, seeded, type ChurnModel } from './holdout-simulation.ts';

/**
 * Holdouts proved on simulated populations (docs/holdouts.md, "Calibration"), with the real
 * assignment (functions/core/plays/holdout.ts), observations and interval (functions/core/lift):
 * for each seed, a population whose churn depends only on whether the play treated the account;
 * the share of seeds whose 95% interval holds the true effect (coverage: 95% is the promise),
 * excludes zero (power), and, for a play with no effect, excludes zero (false positives: 5%).
 * The runtime's part (the same groups, sends and counts through the synthesized machines) is the
 * integration test tests/integration/holdouts.test.ts. Then the cost, on the local metered table,
 * of recording the group on each run and the variant on each send.
 */
const SEEDS = Number(process.env.BENCH_SEEDS ?? 1000);
const START = '2026-03-02T09:00:00.000Z';
const NOW = new Date('2026-05-01T00:00:00.000Z');

interface Scenario {
  label: string;
  accounts: number;
  share: number;
  model: ChurnModel;
}

function calibrate(s: Scenario) {
  const holdout = holdoutSchema.parse({ share: s.share, days: 30, minimumEffect: Math.max(1, Math.abs(s.model.effect) * 100) });
  let covered = 0;
  let found = 0;
  let enough = 0;
  let width = 0;
  const t = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const random = seeded(seed);
    // A new cycle per seed: new draws for the same account ids, as a new month of red accounts would get.
    const cycle = new Date(Date.parse('2020-01-01') + seed * 86_400_000).toISOString().slice(0, 10);
    const values: { group: Assignment['group']; value: boolean | null }[] = [];
    for (let i = 0; i < s.accounts; i++) {
      const assignment = assign(holdout, { accountId: `acct-${i}`, play: 'save', cycle }, { segment: 'tech-touch' }, new Date(START));
      const churned = churns(s.model, assignment.group === 'treated', random);
      const o = observe(
        {
          run: { status: 'completed', startedAt: START, assignment },
          account: { status: churned ? 'churned' : 'active', ...(churned ? { churnedAt: '2026-03-12T00:00:00.000Z' } : {}) },
        },
        30,
        NOW,
      )!;
      values.push({ group: o.group, value: o.churned });
    }
    const lift = rateLift('churned-within-30d', 'churned within 30 days', values, holdout);
    if (!lift.interval) continue;
    width += lift.interval.high - lift.interval.low;
    if (lift.interval.low <= s.model.effect && s.model.effect <= lift.interval.high) covered++;
    if (lift.interval.low > 0 || lift.interval.high < 0) found++;
    if (lift.enoughData) enough++;
  }
  const ms = performance.now() - t;
  const pct = (n: number) => `${((n / SEEDS) * 100).toFixed(1)}%`.padStart(7);
  const effect = `${(s.model.effect * 100).toFixed(0)} pts`;
  console.log(
    `  ${s.label.padEnd(44)} ${String(s.accounts).padStart(6)} ${`${s.share}%`.padStart(5)} ${effect.padStart(8)} ${pct(covered)} ${pct(found)} ${pct(enough)} ${(width / SEEDS).toFixed(3).padStart(6)} ${(ms / 1000).toFixed(1).padStart(5)} s`,
  );
}

async function costs() {
  const assemblyDir = resolve('.tend/cdk.out');
  await synthesize(assemblyDir);
  const rt = await startLocalRuntime({ assemblyDir, start: new Date(START), paused: true, schedules: false });
  try {
    const db = DynamoDBDocumentClient.from(rt.dynamo.client);
    const table = rt.tableName;
    const runs = runRepo(db, table);
    const holdouts = holdoutRepo(db, table);
    const ledger = sendLedger(db, table);
    const outcomes = sendOutcomes(db, table);
    const N = 100;
    const at = new Date(START);
    console.log(`\nHoldouts and variants: DynamoDB per run and per send, mean of ${N} (local metered table)`);
    console.log(`  ${'operation'.padEnd(72)} ${'requests'.padStart(8)} ${'read units'.padStart(10)} ${'write units'.padStart(11)}`);
    const measure = async (label: string, op: (i: number) => Promise<unknown>) => {
      const before = rt.dynamo.totals();
      for (let i = 0; i < N; i++) await op(i);
      const after = rt.dynamo.totals();
      const per = (x: number) => (x / N).toFixed(2);
      console.log(
        `  ${label.padEnd(72)} ${per(after.requests - before.requests).padStart(8)} ${per(after.readUnits - before.readUnits).padStart(10)} ${per(after.writeUnits - before.writeUnits).padStart(11)}`,
      );
    };
    const holdout = holdoutSchema.parse({ share: 10, exclude: [{ segment: ['high-touch'] }, { renewalWithinDays: 30 }] });
    const begin = (i: number, play: string, extra: object) =>
      runs.begin({
        accountId: `acc-${i}`,
        play,
        cycle: '2026-03-02',
        executionName: `${play}-acc-${i}`,
        schedule: { outreach: START, review: START, 'review-check': START, watch: START },
        startedAt: START,
        trigger: { on: 'tier.changed', at: START },
        next: { step: 'outreach', at: START },
        ...extra,
      });
    await measure('run begin, a play without holdout or variants', (i) => begin(i, 'plain', {}));
    await measure('run begin with its group and a variant recorded (the same write)', (i) =>
      begin(i, 'save', {
        assignment: {
          ...assign(holdout, { accountId: `acc-${i}`, play: 'save', cycle: '2026-03-02' }, { segment: 'tech-touch' }, at),
          baseline: { score: 42, arr: 12000 },
        },
        variants: { 'outreach:save-outreach': i % 2 ? 'save-outreach' : 'save-outreach-b' },
      }),
    );
    await measure('the reads a holdout adds at begin: its end record', () => holdouts.ended('save'));
    // One lift request over those 100 runs, their accounts in the table (no score or revenue items: the reads are made, and find little).
    for (let i = 0; i < N; i++)
      await db.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...keys.account(`acc-${i}`),
            id: `acc-${i}`,
            name: 'x',
            status: 'active',
            segment: 'tech-touch',
            startDate: '2025-01-01T00:00:00.000Z',
            arr: 12000,
            createdAt: START,
            updatedAt: START,
            primaryContact: { email: `pat@acc${i}.example` },
          },
        }),
      );
    const before = rt.dynamo.totals();
    const plays = { save: { id: 'save', exitWhen: [], holdout } as unknown as PlayDefinition };
    await playLift(
      {
        clock: { now: () => new Date('2026-06-01T00:00:00.000Z') },
        plays,
        runs,
        holdouts,
        accounts: accountRepo(db, table),
        revenue: revenueRepo(db, table),
        scores: scoreRepo(db, table, modelResolver('seed-002')),
        variantEmail: variantCounts(db, table),
      },
      'save',
    );
    const after = rt.dynamo.totals();
    console.log(
      `  ${`GET /v1/plays/{play}/lift over ${N} runs of ${N} accounts (one request)`.padEnd(72)} ${String(after.requests - before.requests).padStart(8)} ${(after.readUnits - before.readUnits).toFixed(1).padStart(10)} ${(after.writeUnits - before.writeUnits).toFixed(1).padStart(11)}`,
    );
    const send = (i: number, variant: boolean) => ({
      accountId: `acc-${i}`,
      sendKey: `save-acc-${i}#outreach#${variant ? 'v' : 'p'}`,
      sendId: `send-${i}-${variant}`,
      contact: `pat@acc${i}.example`,
      template: 'save-outreach',
      play: 'save',
      step: 'outreach',
      ...(variant ? { variantOf: 'save/outreach' } : {}),
      status: 'claimed' as const,
      claimedAt: at.toISOString(),
      attempt: 1,
      attemptedAt: at.toISOString(),
    });
    for (let i = 0; i < N; i++) await ledger.claim(send(i, false));
    for (let i = 0; i < N; i++) await ledger.claim(send(i, true));
    await measure('markSent, a send without variants (the update and its template count)', (i) =>
      ledger.markSent(`acc-${i}`, send(i, false).sendKey, `p-${i}`, at),
    );
    await measure('markSent, a variant send (and its variant count)', (i) => ledger.markSent(`acc-${i}`, send(i, true).sendKey, `v-${i}`, at));
    await measure('SES Open of a send without variants', (i) => outcomes.record(`p-${i}`, 'opened', at));
    await measure('SES Open of a variant send', (i) => outcomes.record(`v-${i}`, 'opened', at));
  } finally {
    await rt.stop();
  }
}

export async function holdoutCalibrationBench() {
  console.log(`\nHoldout calibration: ${SEEDS} seeds a row, the real assignment and interval (Newcombe), churn within 30 days simulated`);
  console.log(
    `  ${'population'.padEnd(44)} ${'runs'.padStart(6)} ${'held'.padStart(5)} ${'effect'.padStart(8)} ${'covered'.padStart(7)} ${'found'.padStart(7)} ${'enough'.padStart(7)} ${'width'.padStart(6)} ${'time'.padStart(7)}`,
  );
  calibrate({ label: 'save lowers churn 10 pts (30% -> 20%)', accounts: 2000, share: 10, model: { base: 0.3, effect: -0.1 } });
  calibrate({ label: 'the same, a small book', accounts: 400, share: 10, model: { base: 0.3, effect: -0.1 } });
  calibrate({ label: 'the same, a 50% holdout', accounts: 400, share: 50, model: { base: 0.3, effect: -0.1 } });
  calibrate({ label: 'no effect (30% either way)', accounts: 2000, share: 10, model: { base: 0.3, effect: 0 } });
  calibrate({ label: 'the CI test: 45% -> 10%, 60 runs, 50% held out', accounts: 60, share: 50, model: { base: 0.45, effect: -0.35 } });
  console.log('  covered: the interval holds the true effect (95% promised); found: it excludes 0 (power; for no effect, false positives: 5% promised);');
  console.log('  enough: both groups reached the runs planned for the minimum effect (the effect size, power 80%); width: the mean interval width');
  await costs();
}
