import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/** EMF lines the bundled functions printed (the local runtime runs them in this process). */
const emf = (writes: unknown[][]) =>
  writes
    .map((args) => String(args[0]))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/**
 * On the bundled functions of the local runtime: the correlation id of a request through the API,
 * EventBridge, the play trigger and the run; the metrics they count (EMF, turned on for this file).
 */
describe('correlation id and metrics of the bundled functions', () => {
  let rt: TestRuntime;
  const write = process.stdout.write.bind(process.stdout);
  // EMF lines are kept for the assertions and out of the test output; the rest is printed.
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation(((chunk: unknown, ...rest: never[]) =>
      String(chunk).includes('"_aws"') ? true : write(chunk as string, ...rest)) as typeof process.stdout.write);
  beforeAll(async () => {
    // Off Lambda no EMF is printed unless asked: this file asks, before the bundles load.
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z') });
  });
  afterAll(() => rt?.stop());

  it("answers with the client's id and the onboarding run it started carries it", async () => {
    const account = { id: 'corr', name: 'Corr', primaryContact: { email: 'cs@corr.example' } };
    const res = await rt.request('POST', '/v1/accounts', account, undefined, { headers: { 'x-correlation-id': 'crm-sync-42' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-correlation-id')).toBe('crm-sync-42');
    await rt.idle();
    const [run] = await rt.items('corr', 'RUN#onboarding#');
    expect(run).toMatchObject({ trigger: { on: 'account.created', detail: { correlationId: 'crm-sync-42' } } });
  });

  it('an invalid header is replaced by the request id, errors included', async () => {
    const res = await rt.request('GET', '/v1/accounts/nobody', undefined, undefined, { headers: { 'x-correlation-id': 'not valid!' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-correlation-id')).toMatch(/^[A-Za-z0-9._:@-]{1,128}$/);
    expect(res.headers.get('x-correlation-id')).not.toBe('not valid!');
  });

  it('counts events ingested and plays started as EMF metrics in the Tend namespace', async () => {
    stdout.mockClear();
    const events = [1, 2, 3].map((i) => ({ id: `m-${i}`, accountId: 'corr', userId: 'u1', name: 'opened', timestamp: '2026-03-02T08:00:00Z' }));
    expect((await rt.request('POST', '/v1/events', { events })).status).toBe(202);
    expect((await rt.request('POST', '/v1/events', { events })).status).toBe(202); // replays: counted once
    expect((await rt.request('POST', '/v1/accounts', { id: 'corr-2', name: 'Corr 2', primaryContact: { email: 'cs@corr2.example' } })).status).toBe(201);
    await rt.idle();
    const lines = emf(stdout.mock.calls);
    const total = (name: string) => lines.reduce((n, l) => n + (typeof l[name] === 'number' ? (l[name] as number) : 0), 0);
    expect(total('EventsIngested')).toBe(3);
    expect(total('PlaysStarted')).toBe(1);
    expect(lines[0]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: 'Tend' }] } });
  });
});
