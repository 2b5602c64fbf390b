import { resolve } from 'node:path';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';

/**
 * What owners, the task queue and notes cost in DynamoDB (issue 14): requests, read and write
 * units per API request, from the local runtime's metered table, averaged over 50 accounts. Every
 * request also writes its key's rate window (1 write unit). The point to watch: an account write
 * whose owner does not change costs what it cost before owners existed; only a change of owner
 * pays for the book (an entry put, the old one deleted, each with its count).
 */
const ACCOUNTS = 50;

export async function ownersCostBench() {
  const assemblyDir = resolve('.tend/cdk.out');
  await synthesize(assemblyDir);
  const rt = await startLocalRuntime({ assemblyDir, start: new Date('2026-07-02T09:00:00Z'), paused: true, schedules: false });
  try {
    const key = await rt.createKey(['admin']);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${rt.url}${path}`, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), authorization: `Bearer ${key}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    const account = (i: number, extra: Record<string, unknown>) => ({
      id: `own-${i}`,
      name: `Own ${i}`,
      primaryContact: { email: `x@own${i}.example` },
      ...extra,
    });
    console.log(
      `\nOwners, tasks and notes: DynamoDB per API request, mean of ${ACCOUNTS} accounts (local metered table; includes the key's rate-window write)`,
    );
    console.log(`  ${'request'.padEnd(64)} ${'requests'.padStart(8)} ${'read units'.padStart(10)} ${'write units'.padStart(11)}`);
    const measure = async (label: string, request: (i: number) => Promise<unknown>) => {
      await rt.idle();
      const before = rt.dynamo.totals();
      for (let i = 0; i < ACCOUNTS; i++) await request(i);
      await rt.idle();
      const after = rt.dynamo.totals();
      const per = (n: number) => (n / ACCOUNTS).toFixed(2);
      console.log(
        `  ${label.padEnd(64)} ${per(after.requests - before.requests).padStart(8)} ${per(after.readUnits - before.readUnits).padStart(10)} ${per(after.writeUnits - before.writeUnits).padStart(11)}`,
      );
    };
    await measure('create without an owner (and the onboarding start it triggers)', (i) => call('POST', '/v1/accounts', account(i, { seats: 5 })));
    await measure('seats change, no owner', (i) => call('POST', '/v1/accounts', account(i, { seats: 6 })));
    await measure('owner set (none -> alex): book entry and count', (i) => call('POST', '/v1/accounts', account(i, { seats: 6, owner: 'alex' })));
    await measure('seats change, owner unchanged', (i) => call('POST', '/v1/accounts', account(i, { seats: 7, owner: 'alex' })));
    await measure('seats change, owner not sent', (i) => call('POST', '/v1/accounts', account(i, { seats: 8 })));
    await measure('owner moved (alex -> sam): new entry, old deleted, both counts', (i) =>
      call('POST', '/v1/accounts', account(i, { seats: 8, owner: 'sam' })),
    );
    await measure('the same request replayed (nothing written)', (i) => call('POST', '/v1/accounts', account(i, { seats: 8, owner: 'sam' })));
    await measure('GET /v1/csms/sam/accounts, one page of 50, per account listed', async (i) =>
      i === 0 ? call('GET', '/v1/csms/sam/accounts?limit=50') : undefined,
    );
    await measure('POST /v1/accounts/{id}/notes (note and its id claim)', (i) =>
      call('POST', `/v1/accounts/own-${i}/notes`, { noteId: 'n1', author: 'sam', text: 'Met the new champion' }),
    );
    await measure('the same note replayed', (i) => call('POST', `/v1/accounts/own-${i}/notes`, { noteId: 'n1', author: 'sam', text: 'Met the new champion' }));
    await measure('GET /v1/tasks?owner=sam (one Query of the queue)', () => call('GET', '/v1/tasks?owner=sam&limit=50'));
  } finally {
    await rt.stop();
  }
}
