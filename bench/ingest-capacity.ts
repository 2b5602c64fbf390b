/**
 * What ingest costs in DynamoDB capacity: `ingestEvents` (the core and its repositories, as the
 * API function runs them) over a client that asks for ReturnConsumedCapacity TOTAL on every
 * request and sums what comes back. Write and read units, and requests, per event, for
 * 500-event batches, their whole replay, and single-event requests (Segment's webhook). The
 * API's own per-request writes (the key's rate window) are not ingest's and are left out.
 */
import { DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ingestEvents } from '../functions/core/ingest.ts';
import { accountRepo } from '../functions/data/accounts.ts';
import { dirtyAccounts } from '../functions/data/dirty.ts';
import { eventClaims } from '../functions/data/event-claims.ts';
import { usageRepo } from '../functions/data/usage.ts';
import type { UsageEvent } from '../functions/core/types.ts';
import { localCredentials } from '../local/credentials.ts';
import type { Clock } from '../functions/core/clock.ts';

interface Meter {
  requests: Record<string, number>;
  wru: number;
  rru: number;
}

/** A document client whose every request reports its consumed capacity into `meter`. */
function meteredClient(endpoint: string, meter: Meter) {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: localCredentials });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      meter.requests[op] = (meter.requests[op] ?? 0) + 1;
      try {
        const out = await next(args);
        count(meter, op, (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        return out;
      } catch (err) {
        // A refused conditional write is billed too, by the size of the item it was checked
        // against; dynalite does not say, so the bench reads that item (unmetered) and sizes it.
        // The input is still the document client's (plain values); the keys are strings.
        const input = args.input as { TableName?: string; Key?: Record<string, string>; Item?: Record<string, unknown> };
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException') {
          const { pk, sk } = (input.Key ?? input.Item ?? {}) as Record<string, string>;
          const { Item } = await raw.send(new GetItemCommand({ TableName: input.TableName, Key: { pk: { S: pk! }, sk: { S: sk! } }, ConsistentRead: true }));
          count(meter, op, { CapacityUnits: Math.max(1, Math.ceil(itemBytes(Item ?? {}) / 1024)) });
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'consumedCapacity' },
  );
  return DynamoDBDocumentClient.from(client);
}

/** An item's size as DynamoDB bills it: attribute names plus values (sets: their members). */
function itemBytes(item: Record<string, AttributeValue>): number {
  const size = (v: AttributeValue): number => {
    if (v.S !== undefined) return Buffer.byteLength(v.S);
    if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\./g, '').length / 2) + 1;
    if (v.B !== undefined) return v.B.length;
    if (v.SS) return v.SS.reduce((s, x) => s + Buffer.byteLength(x), 0);
    if (v.NS) return v.NS.reduce((s, x) => s + Math.ceil(x.length / 2) + 1, 0);
    if (v.BS) return v.BS.reduce((s, x) => s + x.length, 0);
    if (v.L) return 3 + v.L.reduce((s, x) => s + 1 + size(x), 0);
    if (v.M) return 3 + Object.keys(v.M).length + itemBytes(v.M);
    return 1;
  };
  return Object.entries(item).reduce((s, [k, v]) => s + Buffer.byteLength(k) + size(v), 0);
}

function count(meter: Meter, op: string, capacity: unknown) {
  const units = (Array.isArray(capacity) ? capacity : capacity ? [capacity] : []).reduce(
    (s: number, c: { CapacityUnits?: number }) => s + (c.CapacityUnits ?? 0),
    0,
  );
  if (['GetItem', 'BatchGetItem', 'Query', 'Scan'].includes(op)) meter.rru += units;
  else meter.wru += units;
}

const fresh = (): Meter => ({ requests: {}, wru: 0, rru: 0 });
const perEvent = (m: Meter, n: number) =>
  `${(m.wru / n).toFixed(3)} WRU + ${(m.rru / n).toFixed(3)} RRU, ${(Object.values(m.requests).reduce((a, b) => a + b, 0) / n).toFixed(3)} requests (${Object.entries(
    m.requests,
  )
    .map(([k, v]) => `${k} ${(v / n).toFixed(3)}`)
    .join(', ')})`;

/** Runs against a started local runtime whose accounts `accountIds` exist. */
export async function ingestCapacityBench(options: { endpoint: string; table: string; clock: Clock; accountIds: string[] }) {
  const meter = fresh();
  const db = meteredClient(options.endpoint, meter);
  const deps = {
    clock: options.clock,
    accounts: accountRepo(db, options.table),
    usage: usageRepo(db, options.table),
    dirty: dirtyAccounts(db, options.table),
    claims: eventClaims(db, options.table),
  };
  const accounts = options.accountIds;
  const BATCH = 500;
  const BATCHES = 100;
  // An account's events: 50 users, 6 features, each user on a few of them (up to 300 user|feature pairs a day).
  const FEATURES = ['reports', 'alerts', 'dashboards', 'exports', 'sharing', 'api'];
  const use = (accountId: string, id: string, n: number, timestamp: string): UsageEvent => ({
    id,
    accountId,
    userId: `u${n % 50}`,
    name: 'feature_used',
    timestamp,
    properties: { feature: FEATURES[(n * 7 + Math.floor(n / 50)) % FEATURES.length]! },
  });
  // Each batch: 10 accounts, 50 events each; 100 batches fill each account-day with 250 events.
  const batch = (b: number, day: string): UsageEvent[] =>
    Array.from({ length: BATCH }, (_, j) =>
      use(accounts[(b * 10 + (j % 10)) % accounts.length]!, `cap-${day}-b${b}-e${j}`, Math.floor(j / 10) + 50 * Math.floor(b / 20), `${day}T07:00:00Z`),
    );
  const run = async (label: string, requests: UsageEvent[][], expectAccepted: boolean) => {
    Object.assign(meter, fresh());
    let n = 0;
    for (const events of requests) {
      const out = await ingestEvents(deps, events);
      n += events.length;
      if (out.accepted !== (expectAccepted ? events.length : 0)) throw new Error(`${label}: ${out.accepted} of ${events.length} accepted`);
    }
    console.log(`  ${label.padEnd(44)} ${perEvent(meter, n)}`);
  };
  console.log(`\nIngest capacity (ingestEvents on the local DynamoDB, ReturnConsumedCapacity TOTAL; ${accounts.length} accounts)`);
  const day = '2026-03-01';
  const batches = Array.from({ length: BATCHES }, (_, b) => batch(b, day));
  await run(`${BATCH}-event batches (${BATCHES}, 10 accounts each)`, batches, true);
  await run(`the same, replayed whole (first 10)`, batches.slice(0, 10), false);
  const single = (i: number, d: string, account = i) => [use(accounts[account % accounts.length]!, `cap-single-${d}-${i}`, i, `${d}T09:00:00Z`)];
  await run(
    `single events, each account-day new`,
    accounts.map((_, i) => single(i, '2026-02-27')),
    true,
  );
  await run(
    `single events, account-day of 250 events`,
    accounts.map((_, i) => single(i, day)),
    true,
  );
  // A busy account: 5 accounts with 4 batches of 500 events each on one day, then single events.
  const busy = '2026-02-26';
  const own = (a: number, b: number): UsageEvent[] =>
    Array.from({ length: BATCH }, (_, j) => use(accounts[a]!, `cap-${busy}-a${a}-b${b}-e${j}`, j + BATCH * b, `${busy}T07:00:00Z`));
  await run(
    `${BATCH}-event batches of one account (4 a day, 5 accounts)`,
    Array.from({ length: 20 }, (_, k) => own(k % 5, Math.floor(k / 5))),
    true,
  );
  await run(
    `single events, account-day of 2,000 events`,
    Array.from({ length: 50 }, (_, i) => single(i, busy, i % 5)),
    true,
  );
}
