/**
 * Tech-touch email through the local send path: the plays' step function (the one that calls
 * `deliver`) running onboarding's welcome step as its state machine would, over N accounts
 * (BENCH_EMAILS, default 500),
 * to the local SES. Emails a second end to end (DynamoDB reads, the ledger claim, the cap slot,
 * rendering, SendEmail, the engagement write), DynamoDB requests per email, and the bundle's
 * cold import time in a fresh Node process. Then the same step in this process through the same
 * repositories, each request named by the item it reads or writes (bench/step-requests.ts).
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/data/keys.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import { stepRequests } from './step-requests.ts';

const N = Number(process.env.BENCH_EMAILS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** Steps run in this process for the per-item breakdown. */
const IN_PROCESS = 20;
// Monday 10:00 UTC: inside the default send window, so nothing is deferred.
const NOW = Date.parse('2026-03-02T10:00:00Z');
const CYCLE = '2026-03-01';

function importMs(file: string, env: Record<string, string>): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' }));
}

export async function emailSendBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const rt = await startLocalRuntime({ assemblyDir: outdir, start: new Date(NOW), paused: true, schedules: false });
  try {
    const db = DynamoDBDocumentClient.from(rt.dynamo.client);
    // Each account with its onboarding run, the welcome step due now (the step records itself there).
    const accountsWithRuns = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const id = `${prefix}-${i}`;
        return [
          {
            ...keys.account(id),
            ...keys.accountIndex(id),
            id,
            name: `Account ${i}`,
            seats: 10,
            status: 'active',
            segment: 'tech-touch',
            startDate: '2026-02-01T00:00:00.000Z',
            createdAt: '2026-02-01T00:00:00.000Z',
            primaryContact: { email: `cs@${id}.example`, name: `Sam ${i}` },
          },
          {
            ...keys.run(id, 'onboarding', CYCLE),
            accountId: id,
            play: 'onboarding',
            cycle: CYCLE,
            executionName: `bench-${i}`,
            status: 'running',
            startedAt: new Date(NOW).toISOString(),
            trigger: { on: 'account.created', at: new Date(NOW).toISOString() },
            schedule: { welcome: new Date(NOW).toISOString() },
            steps: {},
            next: null,
          },
        ];
      }).flat();
    const items = [...accountsWithRuns('mail', N), ...accountsWithRuns('inproc', IN_PROCESS)];
    for (let i = 0; i < items.length; i += 25)
      await db.send(new BatchWriteCommand({ RequestItems: { [rt.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    const journey = rt.lambdas.byLogicalId('PlaysSteps');
    const send = (i: number) =>
      rt.lambdas.invoke(journey.arn, {
        action: 'step',
        play: 'onboarding',
        accountId: `mail-${i}`,
        cycle: CYCLE,
        executionName: `bench-${i}`,
        step: 'welcome',
      });
    await send(0); // the first call pays for the signing key and the template compile
    const before = { ...rt.dynamo.operations };
    const t = performance.now();
    let next = 1;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) await send(next++);
      }),
    );
    const seconds = (performance.now() - t) / 1000;
    const sent = rt.ses.sentTotal;
    const requests = Object.entries(rt.dynamo.operations)
      .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
      .filter(([, n]) => n > 0);
    const total = requests.reduce((s, [, n]) => s + n, 0);
    console.log(`\nEmail send path (a play step: account snapshot, deliver -> local SES, run record), ${N - 1} emails, ${CONCURRENCY} at a time`);
    console.log(
      `  ${(N - 1) / seconds >= 1 ? Math.round((N - 1) / seconds) : ((N - 1) / seconds).toFixed(2)} emails/s (${seconds.toFixed(2)} s); outbox holds ${sent}`,
    );
    console.log(
      `  DynamoDB requests per email: ${(total / (N - 1)).toFixed(1)} (${requests.map(([op, n]) => `${op} ${(n / (N - 1)).toFixed(1)}`).join(', ')})`,
    );
    const env = { AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...journey.environment };
    const ms = [...Array(RUNS)].map(() => importMs(journey.bundle, env)).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    const perStep = await stepRequests(
      rt.dynamo.client,
      rt.tableName,
      new Date(NOW),
      Array.from({ length: IN_PROCESS }, (_, i) => ({
        play: 'onboarding',
        accountId: `inproc-${i}`,
        cycle: CYCLE,
        executionName: `bench-${i}`,
        step: 'welcome',
      })),
    );
    const byItem = Object.entries(perStep).sort((a, b) => a[0].localeCompare(b[0]));
    console.log(`  per email, by item (${IN_PROCESS} steps in this process, same repositories): ${byItem.map(([k, n]) => `${k} ${n.toFixed(1)}`).join(', ')}`);
    console.log(
      `  the account is read ${(perStep['GetItem ACCOUNT'] ?? 0).toFixed(1)}x and usage queried ${(perStep['Query DAY#'] ?? 0).toFixed(1)}x per step (before issue 11: 2x and 2x, 16.0 requests per email: GetItem 6.0, Query 4.0, PutItem 2.0, UpdateItem 4.0)`,
    );
    console.log(
      `  sending function bundle: ${statSync(journey.bundle).size} bytes, cold import ${ms.toFixed(1)} ms (median of ${RUNS} fresh processes; templates precompiled at synth)`,
    );
  } finally {
    await rt.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await emailSendBench();
}
