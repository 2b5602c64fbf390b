/**
 * Ingest through the local HTTP API (POST /v1/events, 500-event batches, with an API key), in
 * events a second, next to the raw write rate of the same local DynamoDB measured in the same run
 * (an UpdateItem ADD, a conditional PutItem and BatchWriteItem, sent straight to dynalite).
 * BENCH_INGEST_EVENTS (default 50,000) events over 200 accounts. First, what ingest costs in
 * capacity units (ingest-capacity.ts).
 */
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { resolve } from 'node:path';
import { keys } from '../functions/data/keys.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';
import { ingestCapacityBench } from './ingest-capacity.ts';

const EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 50_000);
const ACCOUNTS = 200;
const BATCH = 500;
const IN_FLIGHT = 4;
/** Single-item writes in flight for the raw rates. */
const RAW_IN_FLIGHT = 25;

async function pool(n: number, inFlight: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

export async function ingestBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const rt = await startLocalRuntime({ assemblyDir: outdir, start: new Date('2026-03-02T08:00:00Z'), schedules: false });
  try {
    const key = await rt.createKey(['ingest'], 'bench');
    const db = DynamoDBDocumentClient.from(rt.dynamo.client);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    await pool(ACCOUNTS, 8, async (i) => {
      const res = await fetch(`${rt.url}/v1/accounts`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ id: `ing-${i}`, name: `Ingest ${i}`, primaryContact: { email: `cs@ing-${i}.example` } }),
      });
      if (res.status !== 201) throw new Error(`account ${i}: ${res.status} ${await res.text()}`);
    });
    await rt.idle();
    await ingestCapacityBench({
      endpoint: rt.dynamo.endpoint,
      table: rt.tableName,
      clock: rt.clock,
      accountIds: Array.from({ length: ACCOUNTS }, (_, i) => `ing-${i}`),
    });
    // BENCH_INGEST_EVENTS=0: the capacity figures only.
    if (EVENTS === 0) return;

    // Through the API: batches of 500 events, each batch over 10 accounts and 50 users.
    const batches = Math.ceil(EVENTS / BATCH);
    for (const k of Object.keys(rt.dynamo.operations)) delete rt.dynamo.operations[k];
    const latencies: number[] = [];
    let began = performance.now();
    await pool(batches, IN_FLIGHT, async (b) => {
      const events = Array.from({ length: BATCH }, (_, j) => ({
        id: `b${b}-e${j}`,
        accountId: `ing-${(b * 10 + (j % 10)) % ACCOUNTS}`,
        userId: `u${j % 50}`,
        name: 'feature_used',
        timestamp: '2026-03-02T07:00:00Z',
        properties: { feature: ['reports', 'alerts', 'dashboards'][j % 3] },
      }));
      const t = performance.now();
      const res = await fetch(`${rt.url}/v1/events`, { method: 'POST', headers, body: JSON.stringify({ events }) });
      const body = (await res.json()) as { accepted: number };
      if (res.status !== 202 || body.accepted !== BATCH) throw new Error(`batch ${b}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      latencies.push(performance.now() - t);
    });
    const seconds = (performance.now() - began) / 1000;
    const { Scan: _sweeps, ...ops } = { ...rt.dynamo.operations };

    // Raw, after the API run (dynalite warmed up alike): the writes an event costs, straight to dynalite.
    const rawN = 5_000;
    began = performance.now();
    await pool(rawN, RAW_IN_FLIGHT, async (i) => {
      const id = `ing-${i % ACCOUNTS}`;
      await db.send(
        new UpdateCommand({
          TableName: rt.tableName,
          Key: keys.usageDay(`raw-${id}`, '2026-03-02'),
          UpdateExpression: 'ADD #u :u',
          ExpressionAttributeNames: { '#u': 'users' },
          ExpressionAttributeValues: { ':u': new Set([`u${i}`]) },
        }),
      );
    });
    const rawUpdates = rawN / ((performance.now() - began) / 1000);
    began = performance.now();
    await pool(rawN, RAW_IN_FLIGHT, async (i) => {
      await db.send(
        new PutCommand({ TableName: rt.tableName, Item: { pk: `RAW#${i}`, sk: 'EVENT', at: 'x' }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    });
    const rawPuts = rawN / ((performance.now() - began) / 1000);
    began = performance.now();
    await pool(rawN / 25, 8, async (b) => {
      const items = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: `RAWB#${b}-${j}`, sk: 'EVENT', at: 'x' } } }));
      await db.send(new BatchWriteCommand({ RequestItems: { [rt.tableName]: items } }));
    });
    const rawBatched = rawN / ((performance.now() - began) / 1000);

    const total = batches * BATCH;
    latencies.sort((a, b) => a - b);
    console.log(`\nIngest through the local HTTP API (POST /v1/events, ${BATCH}-event batches, ${IN_FLIGHT} in flight, auth and rate limit on)`);
    console.log(
      `  ${total.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s = ${Math.round(total / seconds).toLocaleString('en-US')} events/s; batch latency p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(0)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)]!.toFixed(0)} ms`,
    );
    console.log(
      `  DynamoDB requests per event: ${Object.entries(ops)
        .map(([k, v]) => `${k} ${(v / total).toFixed(3)}`)
        .join(', ')}`,
    );
    console.log(
      `  raw local DynamoDB, same run, ${RAW_IN_FLIGHT} in flight: UpdateItem ADD ${Math.round(rawUpdates).toLocaleString('en-US')}/s, conditional PutItem ${Math.round(rawPuts).toLocaleString('en-US')}/s; BatchWriteItem ${Math.round(rawBatched).toLocaleString('en-US')} items/s (25 a call, 8 in flight)`,
    );
    console.log(`  (an event costs a share of its account-day's conditional UpdateItem, which claims its id and adds its usage)`);
  } finally {
    await rt.stop();
  }
}
