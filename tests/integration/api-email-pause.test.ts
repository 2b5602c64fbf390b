import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reputationRepo } from '../../functions/data/email.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/** `GET|POST /v1/email/pause`: the automatic sending pause over HTTP, on the same core as `tend email status|resume`. */
describe('the sending pause over the API', () => {
  const START = new Date('2026-03-02T10:00:00Z');
  let rt: TestRuntime;
  let readKey: string;
  beforeAll(async () => {
    rt = await testRuntime({ start: START, paused: true });
    readKey = await rt.createKey(['read'], 'read only');
  });
  afterAll(() => rt?.stop());

  it('reads the pause with a read key: not paused, no override, the policy', async () => {
    const res = await rt.request('GET', '/v1/email/pause', undefined, undefined, { key: readKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ paused: false, sent: 0, bounceRate: 0, complaintRate: 0, override: null, policy: { fraction: 0.8, days: 7 } });
  });

  it('changes it with an admin key only', async () => {
    const res = await rt.request('POST', '/v1/email/pause', { action: 'resume' }, undefined, { key: readKey });
    expect(res.status).toBe(403);
    expect((await rt.request('GET', '/v1/email/pause')).body?.override).toBeNull();
  });

  it.each([
    [{ action: 'resume', hours: 0 }, 'hours'],
    [{ action: 'resume', hours: 169 }, 'hours'],
    [{ action: 'resume', hours: 2.5 }, 'hours'],
    [{ action: 'resume', by: '' }, 'by'],
    [{ action: 'pause' }, 'action'],
    [{}, 'action'],
  ])('refuses %j with a 400 naming the field (%s), changing nothing', async (body, field) => {
    const res = await rt.request('POST', '/v1/email/pause', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
    expect((await rt.request('GET', '/v1/email/pause')).body?.override).toBeNull();
  });

  it('paused by the rates, resumed for some hours by an operator, then the resume cancelled', async () => {
    // 500 sends and 21 bounces (4.2%) today, as SES's events would have counted them.
    const repo = reputationRepo(rt.db, rt.tableName);
    for (let n = 0; n < 500; n += 50) await Promise.all(Array.from({ length: 50 }, (_, i) => repo.count(`m-${n + i}`, 'sent', START)));
    await Promise.all(Array.from({ length: 21 }, (_, i) => repo.count(`m-${i}`, 'bounced', START)));

    const paused = await rt.request('GET', '/v1/email/pause');
    expect(paused.body).toMatchObject({ paused: true, sent: 500, override: null });
    expect(paused.body?.reason).toMatch(/bounce/i);

    const resumed = await rt.request('POST', '/v1/email/pause', { action: 'resume', hours: 2, by: 'ops@tend.example' });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ paused: false, override: { by: 'ops@tend.example', until: '2026-03-02T12:00:00.000Z' } });
    // Twice is once: the same resume.
    expect((await rt.request('POST', '/v1/email/pause', { action: 'resume', hours: 2, by: 'ops@tend.example' })).body).toEqual(resumed.body);
    expect((await rt.request('GET', '/v1/email/pause', undefined, undefined, { key: readKey })).body).toMatchObject({
      paused: false,
      override: { by: 'ops@tend.example' },
    });

    const byKey = await rt.request('POST', '/v1/email/pause', { action: 'resume' });
    expect(byKey.body?.override).toMatchObject({ by: expect.stringMatching(/^api key \w+/), until: '2026-03-03T10:00:00.000Z' });

    const cancelled = await rt.request('POST', '/v1/email/pause', { action: 'cancel-resume' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ paused: true, override: null });
    expect(await repo.override()).toBeUndefined();
  });

  it('is in the OpenAPI document with its scopes', async () => {
    const doc = (await rt.request('GET', '/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/v1/email/pause'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});
