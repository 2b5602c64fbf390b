/**
 * `npm run bench`: figures, not pass/fail.
 * 1. Per Lambda: the bytes a cold start loads, and the time to import the bundle in a fresh Node
 *    process next to a bundle of its SDK clients alone (bench/bundles.ts).
 * 2. Pure scoring throughput (signals derived from 60 days of usage, then scored), accounts a second.
 * 3. Each play's typical run: state transitions and Lambda calls, and its cost per 1,000 accounts.
 * 4. The portfolio reviews (GET /v1/renewals, GET /v1/changes): requests and read units (bench/reviews.ts).
 * 5. The outcome counters: write units per counted transition, reads of a period's figures (bench/outcomes-cost.ts).
 * 6. Owners, tasks and notes: requests and units per account write, with and without an owner change (bench/owners-cost.ts).
 * 7. The account timeline: the write units each source write adds, and a page read back (bench/timeline.ts).
 * 8. GET /v1/metrics at 10,000 and 100,000 accounts, and the aggregate upkeep's cost on paper (bench/metrics.ts).
 * 9. `tend clock step 7d` on the local runtime: real seconds per stepped day, for 2 and 100 accounts (bench/clock-step.ts).
 * 10. Holdouts: the calibration of the lift's interval over many simulated populations, and what recording groups and variants costs (bench/holdout-calibration.ts).
 * 11. The daily health tallies' write units, whole book only and with the segment, plan and owner cuts (bench/health-tallies.ts).
 * 12. The web app's JavaScript per chunk, and what its first page loads, in gzip bytes (bench/web-bundle.ts).
 * 13. The web app's Overview over 10,000 local accounts in headless Chromium, time to figures and to every panel (bench/web-overview.ts).
 * 14. GET /v1/accounts sorted and filtered pages at 10,000 and 100,000 accounts, main's whole-book path and the list's index (bench/account-list.ts).
 * 15. The local runtime's DynamoDB path: CPU per request of the SDK alone and of the whole path to dynalite (bench/local-requests.ts).
 */
import { healthTalliesBench } from './health-tallies.ts';
import { bundlesBench } from './bundles.ts';
import { computeScore } from '../functions/core/score/compute.ts';
import { deriveSignals } from '../functions/core/score/derive.ts';
import { decideScore } from '../functions/core/score/decide.ts';
import { presetModel, presetNames, type PresetName } from '../functions/core/score/presets/index.ts';
import { scoringBatchBench } from './scoring-batch.ts';
import { playsCostBench } from './plays-cost.ts';
import { ingestBench } from './ingest.ts';
import { emailSendBench } from './email-send.ts';
import { templatesBench } from './templates.ts';
import { reviewsBench } from './reviews.ts';
import { revenueCostBench } from './revenue-cost.ts';
import { outcomesCostBench } from './outcomes-cost.ts';
import { ownersCostBench } from './owners-cost.ts';
import { timelineBench } from './timeline.ts';
import { metricsBench } from './metrics.ts';
import { clockStepBench } from './clock-step.ts';
import { holdoutCalibrationBench } from './holdout-calibration.ts';
import { webBundleBench } from './web-bundle.ts';
import { webOverviewBench } from './web-overview.ts';
import { accountListBench } from './account-list.ts';
import { localRequestsBench } from './local-requests.ts';
import type { Account, UsageDay } from '../functions/core/types.ts';

/** Passes over the accounts per scoring figure (`BENCH_SCORING_PASSES`). */
const SCORING_PASSES = Number(process.env.BENCH_SCORING_PASSES ?? 7);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.round((xs.length - 1) * q)]!;

function scoring(preset: PresetName) {
  const model = presetModel(preset);
  const features = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];
  const now = new Date('2026-03-01T06:00:00Z');
  const n = 5_000;
  const inputs = Array.from({ length: n }, (_, i) => {
    const seats = 5 + (i % 40);
    const account = {
      id: `a${i}`,
      name: 'x',
      seats,
      arr: seats * 700,
      startDate: '2025-06-01T00:00:00Z',
      paymentStatus: 'current',
      status: 'active',
      segment: 'tech-touch',
      primaryContact: { email: `cs@a${i}.example` },
    } as unknown as Account;
    const days: UsageDay[] = Array.from({ length: 60 }, (_, d) => {
      const users = Array.from({ length: (i + d) % seats }, (_, u) => `u${u}`);
      const used = features.slice(0, 1 + ((i + d) % features.length));
      return {
        day: new Date(now.getTime() - (60 - d) * 86_400_000).toISOString().slice(0, 10),
        users,
        features: used,
        userFeatures: users.flatMap((u) => used.slice(0, 2).map((f) => `${u}|${f}`)),
      };
    });
    return { account, days };
  });
  for (const x of inputs.slice(0, 200)) computeScore(model, deriveSignals(x.account, x.days, features, now)); // warm-up
  // Accounts per CPU second (user + system, the GC's threads included): on a shared machine the wall
  // clock also counts waiting for a core. Several passes over the accounts, each timed: median and quartiles.
  const cpuSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const rates = (explain: boolean) =>
    Array.from({ length: SCORING_PASSES }, () => {
      const c = cpuSeconds();
      for (const x of inputs) computeScore(model, deriveSignals(x.account, x.days, features, now), undefined, { explain });
      return n / (cpuSeconds() - c);
    });
  let checksum = 0;
  for (const x of inputs) checksum += computeScore(model, deriveSignals(x.account, x.days, features, now)).score ?? 0;
  const explained = rates(true);
  // As scoring runs it: no reason text (the score item stores none; reasons are rebuilt on read).
  const silent = rates(false);
  const k = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `  ${preset}: ${k(quantile(silent, 0.5))} accounts per CPU second as scoring runs (quartiles ${k(quantile(silent, 0.25))}-${k(quantile(silent, 0.75))}), ${k(quantile(explained, 0.5))} with reason text (${SCORING_PASSES} passes of ${n} accounts; checksum ${checksum})`,
  );
  return { model, features, now, inputs };
}

/** The whole pure scoring step (score/decide.ts): derive today and a week ago, score, trend, flags, events. */
function scoringStep({ model, features, now, inputs }: ReturnType<typeof scoring>) {
  const policy = { modelFor: () => model, features, fallingFastPoints: 10 };
  for (const x of inputs.slice(0, 200)) decideScore(policy, { ...x, surveys: [], tickets: [], contacts: [] }, now); // warm-up
  const t = performance.now();
  let written = 0;
  for (const x of inputs) if (decideScore(policy, { ...x, surveys: [], tickets: [], contacts: [] }, now).kind === 'score') written++;
  const seconds = (performance.now() - t) / 1000;
  console.log(
    `  whole step (${model.id}): ${inputs.length} accounts in ${seconds.toFixed(3)} s = ${Math.round(inputs.length / seconds).toLocaleString('en-US')} accounts/s (${written} scored)`,
  );
}

// This machine may run Node 20; the SDK's notice about it would repeat for every client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `BENCH_ONLY=bundles,templates npm run bench` runs just those sections.
const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
const sections: [string, () => unknown][] = [
  ['bundles', bundlesBench],
  [
    'scoring',
    () => {
      console.log(`\nScoring, pure core on one core (signals derived from 60 days of usage, then scored)`);
      for (const preset of presetNames) scoring(preset);
      scoringStep(scoring('seed-002'));
    },
  ],
  ['scoring-run', scoringBatchBench],
  ['reviews', reviewsBench],
  ['plays', playsCostBench],
  ['ingest', ingestBench],
  ['email', emailSendBench],
  ['templates', templatesBench],
  ['revenue', revenueCostBench],
  ['outcomes', outcomesCostBench],
  ['owners', ownersCostBench],
  ['timeline', timelineBench],
  ['metrics', metricsBench],
  ['clock-step', clockStepBench],
  ['holdouts', holdoutCalibrationBench],
  ['health-tallies', healthTalliesBench],
  ['web-bundle', webBundleBench],
  ['web-overview', webOverviewBench],
  ['account-list', accountListBench],
  ['local-requests', localRequestsBench],
];
for (const [name, run] of sections) if (!only || only.includes(name)) await run();
