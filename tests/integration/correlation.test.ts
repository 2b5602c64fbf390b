import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/** The correlation id of a request, on the bundled functions of the local runtime: API, EventBridge, play trigger, run. */
describe('correlation id from the API to the runs it starts', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
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
});
