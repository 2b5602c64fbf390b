/**
 * `npm run bench`: figures, not pass/fail.
 * 1. Per Lambda: bundle bytes, and the time to import the bundle (the cold-start init work) in a
 *    fresh Node process, next to an empty-module baseline measured in the same run.
 * 2. Pure scoring throughput (signals derived from 60 days of usage, then scored), accounts a second.
 * 3. Each play's typical run: state transitions and Lambda calls, and its cost per 1,000 accounts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloudAssembly } from '../local/assembly.ts';
import { LambdaHost } from '../local/lambdas.ts';
import { synthesize } from '../local/synth.ts';
import { computeScore } from '../functions/core/score/compute.ts';
import { deriveSignals } from '../functions/core/score/derive.ts';
import { decideScore } from '../functions/core/score/decide.ts';
import { presetModel, presetNames, type PresetName } from '../functions/core/score/presets/index.ts';
import { scoringBatchBench } from './scoring-batch.ts';
import { playsCostBench } from './plays-cost.ts';
import { ingestBench } from './ingest.ts';
import { emailSendBench } from './email-send.ts';
import { templatesBench } from './templates.ts';
import type { Account, UsageDay } from '../functions/core/types.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function importMs(file: string, env: Record<string, string>): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return Number(out);
}

async function bundles() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const assembly = new CloudAssembly(outdir);
  const empty = join(mkdtempSync(join(tmpdir(), 'tend-bench-')), 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => {};\n');
  // Each function's own environment from the template (resolved to local names), as at a cold start.
  const host = new LambdaHost(assembly, { AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'WARN', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  const env = { AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const baseline = median(Array.from({ length: RUNS }, () => importMs(empty, env)));
  console.log(`\nLambda bundles (ESM, minified; import time = median of ${RUNS} fresh processes, node ${process.version})`);
  console.log(`  ${'function'.padEnd(28)} ${'bytes'.padStart(10)} ${'import ms'.padStart(10)} ${'over empty'.padStart(11)}`);
  console.log(`  ${'(empty module baseline)'.padEnd(28)} ${'-'.padStart(10)} ${baseline.toFixed(2).padStart(10)} ${'0.00'.padStart(11)}`);
  for (const fn of host.functions.values()) {
    const ms = median(Array.from({ length: RUNS }, () => importMs(fn.bundle, fn.environment)));
    console.log(`  ${fn.logicalId.padEnd(28)} ${String(statSync(fn.bundle).size).padStart(10)} ${ms.toFixed(2).padStart(10)} ${(ms - baseline).toFixed(2).padStart(11)}`);
  }
}

function scoring(preset: PresetName) {
  const model = presetModel(preset);
  const features = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];
  const now = new Date('2026-03-01T06:00:00Z');
  const n = 5_000;
  const inputs = Array.from({ length: n }, (_, i) => {
    const seats = 5 + (i % 40);
    const account = { id: `a${i}`, name: 'x', seats, arr: seats * 700, startDate: '2025-06-01T00:00:00Z', paymentStatus: 'current', status: 'active', segment: 'tech-touch', primaryContact: { email: `cs@a${i}.example` } } as unknown as Account;
    const days: UsageDay[] = Array.from({ length: 60 }, (_, d) => {
      const users = Array.from({ length: (i + d) % seats }, (_, u) => `u${u}`);
      const used = features.slice(0, 1 + ((i + d) % features.length));
      return { day: new Date(now.getTime() - (60 - d) * 86_400_000).toISOString().slice(0, 10), users, features: used, userFeatures: users.flatMap((u) => used.slice(0, 2).map((f) => `${u}|${f}`)) };
    });
    return { account, days };
  });
  for (const x of inputs.slice(0, 200)) computeScore(model, deriveSignals(x.account, x.days, features, now)); // warm-up
  const t = performance.now();
  let checksum = 0;
  for (const x of inputs) checksum += computeScore(model, deriveSignals(x.account, x.days, features, now)).score ?? 0;
  const seconds = (performance.now() - t) / 1000;
  // As scoring runs it: no reason text (the score item stores none; reasons are rebuilt on read).
  const t2 = performance.now();
  for (const x of inputs) computeScore(model, deriveSignals(x.account, x.days, features, now), undefined, { explain: false });
  const silent = (performance.now() - t2) / 1000;
  console.log(`  ${preset}: ${n} accounts in ${seconds.toFixed(3)} s = ${Math.round(n / seconds).toLocaleString('en-US')} accounts/s with reason text, ${Math.round(n / silent).toLocaleString('en-US')} without, as scoring runs (checksum ${checksum})`);
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
  console.log(`  whole step (${model.id}): ${inputs.length} accounts in ${seconds.toFixed(3)} s = ${Math.round(inputs.length / seconds).toLocaleString('en-US')} accounts/s (${written} scored)`);
}

// This machine may run Node 20; the SDK's notice about it would repeat for every client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `BENCH_ONLY=bundles,templates npm run bench` runs just those sections.
const only = process.env.BENCH_ONLY?.split(',').map((x) => x.trim());
const sections: [string, () => unknown][] = [
  ['bundles', bundles],
  ['scoring', () => {
    console.log(`\nScoring, pure core on one core (signals derived from 60 days of usage, then scored)`);
    for (const preset of presetNames) scoring(preset);
    scoringStep(scoring('seed-002'));
  }],
  ['scoring-run', scoringBatchBench],
  ['plays', playsCostBench],
  ['ingest', ingestBench],
  ['email', emailSendBench],
  ['templates', templatesBench],
];
for (const [name, run] of sections) if (!only || only.includes(name)) await run();
