import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../local/api-keys.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const account = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `${id} Inc`,
  seats: 5,
  primaryContact: { email: `owner@${id}.example` },
  ...extra,
});
const event = (id: string, accountId: string, extra: Record<string, unknown> = {}) => ({
  id,
  accountId,
  userId: 'u1',
  name: 'feature_used',
  timestamp: '2026-03-02T10:00:00Z',
  properties: { feature: 'reports' },
  ...extra,
});

describe('API keys, scopes, limits and bad input', () => {
  let rt: TestRuntime;
  let ingestKey: string;
  let readKey: string;
  /** Items of the table other than the per-key rate windows (every authenticated request counts in one). */
  const dataItems = async () => {
    const out = await rt.db.send(new ScanCommand({ TableName: rt.tableName }));
    return (out.Items ?? [])
      .filter((i) => !String(i.pk).startsWith('RATE#'))
      .map((i) => `${i.pk}|${i.sk}|${JSON.stringify(i.updatedAt ?? '')}`)
      .sort();
  };

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z') });
    ingestKey = await rt.createKey(['ingest'], 'ingest only');
    readKey = await rt.createKey(['read'], 'read only');
    await rt.request('POST', '/v1/accounts', account('acme'));
  });
  afterAll(() => rt?.stop());

  it('answers /health without a key, and nothing else', async () => {
    expect((await rt.request('GET', '/health', undefined, undefined, { key: null })).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/v1/accounts'],
      ['GET', '/v1/accounts/acme'],
      ['GET', '/v1/accounts/acme/card'],
      ['GET', '/v1/openapi.json'],
      ['POST', '/v1/events'],
      ['POST', '/v1/segment'],
    ] as const) {
      const res = await rt.request(method, path, method === 'POST' ? { events: [] } : undefined, undefined, { key: null });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body?.message).toContain('API key');
    }
  });

  it('takes the key as a Bearer token or in x-api-key', async () => {
    expect((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key: readKey })).status).toBe(200);
    expect((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key: null, headers: { 'x-api-key': readKey } })).status).toBe(200);
  });

  it('refuses unknown, malformed and tampered keys with 401, and a key without the scope with 403', async () => {
    const tampered = `${readKey.slice(0, -4)}AAAA`;
    for (const key of ['nope', 'tend_000000000000_' + 'x'.repeat(43), tampered])
      expect((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key })).status).toBe(401);
    const wrong = await rt.request('POST', '/v1/events', { events: [event('e1', 'acme')] }, undefined, { key: readKey });
    expect(wrong.status).toBe(403);
    expect(wrong.body?.error).toBe('ForbiddenError');
    expect(wrong.body?.message).toContain('"ingest"');
    expect((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key: ingestKey })).status).toBe(403);
    expect((await rt.request('POST', '/v1/events', { events: [event('e1', 'acme')] }, undefined, { key: ingestKey })).status).toBe(202);
  });

  it('stops honouring a revoked key', async () => {
    const { key, record } = await createApiKey(rt.dynamo.client, rt.tableName, { scopes: ['read'], name: 'soon revoked' });
    const { apiKeyRepo } = await import('../../functions/data/api-keys.ts');
    await apiKeyRepo(rt.db, rt.tableName).revoke(record.id, new Date());
    // Lookups are cached 30 s in the function; this key was never looked up, so the first answer is final.
    expect((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key })).status).toBe(401);
  });

  it('answers 429 with Retry-After once a key passes its rate', async () => {
    const { key } = await createApiKey(rt.dynamo.client, rt.tableName, { scopes: ['read'], name: 'slow', rateLimit: 3, now: rt.clock.now() });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another window, another allowance.
    rt.clock.pause();
    rt.clock.advanceTo(rt.clock.nowMs() + 61_000);
    rt.clock.resume();
    expect((await rt.request('GET', '/v1/accounts/acme', undefined, undefined, { key })).status).toBe(200);
  });

  const tooBig = JSON.stringify({ events: [event('big', 'acme', { properties: { feature: 'x'.repeat(100), pad: 'y'.repeat(1024 * 1024) } })] });
  it.each([
    ['a wrong type', 'POST', '/v1/events', JSON.stringify({ events: [event('t1', 'acme', { userId: 7 })] }), 400, 'events[0].userId'],
    ['a missing field', 'POST', '/v1/events', JSON.stringify({ events: [{ ...event('t2', 'acme'), timestamp: undefined }] }), 400, 'events[0].timestamp'],
    ['no events', 'POST', '/v1/events', JSON.stringify({ events: [] }), 400, 'events:'],
    ['an event that is not an object', 'POST', '/v1/events', JSON.stringify({ events: ['x'] }), 400, 'events[0]'],
    ['malformed JSON', 'POST', '/v1/events', '{"events": [', 400, 'not valid JSON'],
    ['a JSON array', 'POST', '/v1/accounts', '[]', 400, '(root)'],
    [
      'a survey score out of range',
      'POST',
      '/v1/surveys',
      JSON.stringify({ surveys: [{ id: 's', accountId: 'acme', kind: 'csat', score: 0, answeredAt: '2026-03-02T10:00:00Z' }] }),
      400,
      'surveys[0].score',
    ],
    [
      'a ticket sentiment out of range',
      'POST',
      '/v1/tickets',
      JSON.stringify({ tickets: [{ id: 't', accountId: 'acme', status: 'open', sentiment: 3, openedAt: '2026-03-02T10:00:00Z' }] }),
      400,
      'tickets[0].sentiment',
    ],
    ['a contact without email', 'POST', '/v1/contacts', JSON.stringify({ contacts: [{ accountId: 'acme' }] }), 400, 'contacts[0].email'],
    ['an account with negative ARR', 'POST', '/v1/accounts', JSON.stringify(account('neg', { arr: -1 })), 400, 'arr'],
    ['a segment message of an unknown shape', 'POST', '/v1/segment', JSON.stringify({ batch: 'no' }), 400, 'batch'],
    ['a body over 1 MB', 'POST', '/v1/events', tooBig, 413, 'limit'],
  ])('refuses %s with the right 4xx, naming it, and writes nothing', async (_, method, path, raw, status, text) => {
    const before = await dataItems();
    const res = await rt.request(method, path, undefined, raw);
    expect(res.status).toBe(status);
    expect(res.body?.message).toContain(text);
    expect(await dataItems()).toEqual(before);
  });

  it('refuses a body that is not JSON with 415, and an unknown account per event, writing nothing for it', async () => {
    const before = await dataItems();
    const res = await rt.request('POST', '/v1/events', undefined, 'id,accountId\n1,acme', { headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(415);
    const ghost = await rt.request('POST', '/v1/events', { events: [event('g1', 'ghost')] });
    expect(ghost.status).toBe(202);
    expect(ghost.body?.results).toEqual([{ index: 0, id: 'g1', status: 'rejected', reason: expect.stringContaining('"ghost" not found') }]);
    expect(await dataItems()).toEqual(before);
  });

  it('decodes a base64 body as API Gateway sends it, and refuses a bad one with 400', async () => {
    const fn = rt.lambdas.byLogicalId('ApiHandler');
    const call = (body: string) =>
      rt.lambdas.invoke(fn.arn, {
        version: '2.0',
        routeKey: 'POST /v1/events',
        rawPath: '/v1/events',
        headers: { authorization: `Bearer ${rt.adminKey}`, 'content-type': 'application/json' },
        body,
        isBase64Encoded: true,
        requestContext: { http: { method: 'POST', path: '/v1/events' } },
      }) as Promise<{ statusCode: number; body: string }>;
    expect((await call(Buffer.from(JSON.stringify({ events: [event('b64', 'acme')] })).toString('base64'))).statusCode).toBe(202);
    expect((await call(Buffer.from('{nope').toString('base64'))).statusCode).toBe(400);
  });

  it('answers 404, not 500, for a malformed account id in the path', async () => {
    expect((await rt.request('GET', '/v1/accounts/%ZZ/card')).status).toBe(404);
    expect((await rt.request('GET', '/v1/accounts/a%20b')).status).toBe(404);
  });

  it('lets the local server refuse what API Gateway would (over 10 MB) with 413', async () => {
    const res = await fetch(`${rt.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rt.adminKey}` },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });
});
