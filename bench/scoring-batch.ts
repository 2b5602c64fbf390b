/**
 * The daily scoring run on the local runtime over N accounts (BENCH_ACCOUNTS, default 10,000):
 * wall time, DynamoDB requests per account by operation, the size of what it writes; then the
 * AWS cost of a daily run at 10,000 and 1,000,000 accounts, on paper from those counts.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { keys } from '../functions/data/keys.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import { SHARDS_PER_BATCH } from '../workflows/scoring.ts';

const N = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const DAYS = 14;
const DAY = 86_400_000;
const features = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];

// us-east-1 list prices (2026): DynamoDB on-demand, Lambda arm64, Step Functions Standard, EventBridge custom events.
const PRICE = { rru: 0.125 / 1e6, wru: 0.625 / 1e6, lambdaGbSecond: 0.0000133334, lambdaRequest: 0.2 / 1e6, transition: 0.025 / 1000, event: 1 / 1e6 };

export async function scoringBatchBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const start = Date.parse('2026-03-02T00:00:00Z');
  const rt = await startLocalRuntime({ assemblyDir: outdir, start: new Date(start), paused: true, schedules: false });
  try {
    // Seed accounts and two weeks of usage straight into the table (the API path is measured elsewhere).
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < N; i++) {
      const id = `bench-${i}`;
      const seats = 5 + (i % 30);
      items.push({ ...keys.account(id), ...keys.accountIndex(id), id, name: id, seats, arr: seats * 600, status: 'active', segment: 'tech-touch', startDate: '2025-09-01T00:00:00.000Z', createdAt: '2025-09-01T00:00:00.000Z', primaryContact: { email: `cs@${id}.example` } });
      for (let d = 1; d <= DAYS; d++) {
        const users = Array.from({ length: 1 + ((i + d) % seats) }, (_, u) => `u${u}`);
        const used = features.slice(0, 1 + ((i * 7 + d) % features.length));
        const day = new Date(start - d * DAY).toISOString().slice(0, 10);
        items.push({ ...keys.usageDay(id, day), day, users: new Set(users), features: new Set(used), userFeatures: new Set(users.map((u, k) => `${u}|${used[k % used.length]}`)) });
      }
    }
    const seeded = Date.now();
    const db = DynamoDBDocumentClient.from(rt.dynamo.client);
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          await db.send(new BatchWriteCommand({ RequestItems: { [rt.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) } }));
        }
      }),
    );
    const seedSeconds = (Date.now() - seeded) / 1000;

    rt.clock.advanceTo(start + 6 * 3_600_000);
    for (const k of Object.keys(rt.dynamo.operations)) delete rt.dynamo.operations[k];
    const daily = rt.scheduler.schedules.find((s) => s.expression.startsWith('cron'))!;
    const began = performance.now();
    await rt.scheduler.fire(daily);
    const seconds = (performance.now() - began) / 1000;
    // The local TTL sweeper's scans are not part of the run.
    const { Scan: _sweeps, ...ops } = rt.dynamo.operations;
    const run = [...rt.sfn.executions.values()].find((e) => e.machineArn.includes('Scoring'))!;

    // Sizes of what the run wrote, for capacity units (1 WRU per KB written, 1 RRU per 4 KB read, eventually consistent = half).
    let currentKb = 0;
    let historyKb = 0;
    let scoreItems = 0;
    let startKey: Record<string, never> | undefined;
    do {
      const page = await rt.dynamo.client.send(new ScanCommand({ TableName: rt.tableName, FilterExpression: 'begins_with(sk, :s)', ExpressionAttributeValues: { ':s': { S: 'SCORE' } }, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) {
        const kb = JSON.stringify(item).length / 1024;
        if (item.sk?.S === 'SCORE') {
          currentKb += kb;
          scoreItems++;
        } else historyKb += kb;
      }
      startKey = page.LastEvaluatedKey as typeof startKey;
    } while (startKey);
    const avgScoreKb = currentKb / scoreItems;
    const avgHistoryKb = historyKb / scoreItems;
    const wruPerAccount = Math.ceil(avgScoreKb) + Math.ceil(avgHistoryKb);
    // Eventually consistent reads: 0.5 RRU per 4 KB. The items read here are under 4 KB each, and
    // so are the queries' results for these accounts (an account with 50 daily users reads ~12 KB
    // of rollups: 1.5 RRU for that query).
    const per = (op: string) => (ops[op] ?? 0) / N;
    const rruPerAccount = 0.5 * per('GetItem') + 0.5 * per('Query');
    const lambdaGbSeconds = (seconds / N) * 1.0; // 1,024 MB functions; local wall time as a stand-in for billed time
    const transitionsPerRun = 2 + Math.ceil(16 / SHARDS_PER_BATCH) * 3;

    console.log(`\nDaily scoring run on the local runtime (Distributed Map over 16 shards, ${SHARDS_PER_BATCH} shards a batch)`);
    console.log(`  accounts ${N.toLocaleString('en-US')} (seeded with ${DAYS} days of usage in ${seedSeconds.toFixed(1)} s)`);
    console.log(`  run ${run.status} in ${seconds.toFixed(1)} s wall = ${Math.round(N / seconds).toLocaleString('en-US')} accounts/s`);
    console.log(`  DynamoDB requests per account: ${Object.entries(ops).map(([k, v]) => `${k} ${(v / N).toFixed(2)}`).join(', ')}`);
    console.log(`  score item ~${avgScoreKb.toFixed(1)} KB, history item ~${avgHistoryKb.toFixed(1)} KB -> ~${wruPerAccount.toFixed(1)} WRU and ~${rruPerAccount.toFixed(1)} RRU per account`);
    console.log(`  state transitions per run: ~${transitionsPerRun} (independent of the account count)`);
    console.log(`\nAWS cost of one daily run, on paper (us-east-1 list prices, on-demand, arm64):`);
    for (const accounts of [10_000, 1_000_000]) {
      const dynamo = accounts * (wruPerAccount * PRICE.wru + rruPerAccount * PRICE.rru);
      const lambda = accounts * lambdaGbSeconds * PRICE.lambdaGbSecond + Math.ceil(16 / SHARDS_PER_BATCH) * PRICE.lambdaRequest;
      const sfn = transitionsPerRun * PRICE.transition;
      const total = dynamo + lambda + sfn;
      console.log(`  ${accounts.toLocaleString('en-US').padStart(9)} accounts: DynamoDB $${dynamo.toFixed(4)} + Lambda $${lambda.toFixed(4)} + Step Functions $${sfn.toFixed(4)} = $${total.toFixed(4)} a day, $${(total * 30).toFixed(2)} a month`);
    }
  } finally {
    await rt.stop();
  }
}
