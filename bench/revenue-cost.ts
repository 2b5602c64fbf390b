import { resolve } from 'node:path';
import { startLocalRuntime } from '../local/runtime.ts';
import { synthesize } from '../local/synth.ts';

/**
 * What the revenue history costs in DynamoDB: requests, read and write units per API request,
 * from the local runtime's metered table, averaged over 50 accounts. Every request also writes its
 * key's rate window (1 write unit): compare an ARR change (records a history point) with a seats
 * change (records none) for the history's own share.
 */
const ACCOUNTS = 50;

export async function revenueCostBench() {
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
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      await res.text();
    };
    const account = (i: number, extra: Record<string, unknown>) => ({
      id: `rev-${i}`,
      name: `Rev ${i}`,
      primaryContact: { email: `x@rev${i}.example` },
      ...extra,
    });
    console.log(`\nRevenue history: DynamoDB per API request, mean of ${ACCOUNTS} accounts (local metered table; includes the key's rate-window write)`);
    console.log(`  ${'request'.padEnd(64)} ${'requests'.padStart(8)} ${'read units'.padStart(10)} ${'write units'.padStart(11)}`);
    const measure = async (label: string, request: (i: number) => Promise<void>) => {
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
    await measure('create (a `new` point; and the onboarding start it triggers)', (i) =>
      call('POST', '/v1/accounts', account(i, { arr: 20_000, startDate: '2025-07-01', renewalDate: '2026-07-01' })),
    );
    await measure('seats change (no point)', (i) => call('POST', '/v1/accounts', account(i, { seats: 10 })));
    await measure('ARR change (a point, and the previous one put again)', (i) =>
      call('POST', '/v1/accounts', account(i, { arr: 24_000, effectiveDate: '2026-06-01' })),
    );
    await measure('the same ARR change replayed (nothing written)', (i) =>
      call('POST', '/v1/accounts', account(i, { arr: 24_000, effectiveDate: '2026-06-01' })),
    );
    const renewal = { outcome: 'renewed', renewalDate: '2026-07-01', newArr: 26_000, nextRenewalDate: '2027-07-01' };
    await measure('renewal outcome, renewed with a new ARR', (i) => call('POST', `/v1/accounts/rev-${i}/renewals`, renewal));
    await measure('the same renewal outcome replayed', (i) => call('POST', `/v1/accounts/rev-${i}/renewals`, renewal));
    await measure('GET /v1/accounts/{id}/revenue (4 points, 1 outcome)', (i) => call('GET', `/v1/accounts/rev-${i}/revenue`));
  } finally {
    await rt.stop();
  }
}
