import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tendOpenApiDocument } from '../../functions/api/openapi.ts';
import { ROUTES, routeParts, routesServedBy, type RouteSpec } from '../../functions/api/routes.ts';
import { queryParameterNames } from '../../functions/api/query-check.ts';
import { config } from '../../functions/shared/config.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const account = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `${id} Inc`,
  seats: 5,
  primaryContact: { email: `owner@${id}.example` },
  ...extra,
});

describe('reading accounts: list, card, OpenAPI; racing writes', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z'), paused: true });
    rt.clock.resume();
    // 30 accounts over the 16 shards: 10 of each tier, some by plan name.
    for (let i = 0; i < 30; i++) {
      const extra = i % 3 === 0 ? { arr: 80_000 } : i % 3 === 1 ? { arr: 20_000 } : { plan: 'Starter monthly' };
      expect((await rt.request('POST', '/v1/accounts', account(`list-${String(i).padStart(2, '0')}`, extra))).status).toBe(201);
    }
  });
  afterAll(() => rt?.stop());

  it('pages through every account with an opaque cursor, each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await rt.request('GET', `/v1/accounts?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body?.accounts.length).toBeLessThanOrEqual(7);
      seen.push(...(res.body?.accounts ?? []).map((a: { customer: { id: string } }) => a.customer.id));
      cursor = res.body?.cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen.filter((id) => id.startsWith('list-')).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `list-${String(i).padStart(2, '0')}`));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters by plan, segment, stage and band, and names a bad filter', async () => {
    const enterprise = await rt.request('GET', '/v1/accounts?plan=Enterprise&limit=200');
    expect(enterprise.body?.accounts).toHaveLength(10);
    expect(enterprise.body?.cursor).toBeNull();
    const medium = await rt.request('GET', '/v1/accounts?segment=medium-touch&limit=200');
    expect(medium.body?.accounts.every((a: { plan: string; segment: string }) => a.plan === 'Pro' && a.segment === 'medium-touch')).toBe(true);
    expect((await rt.request('GET', '/v1/accounts?stage=Onboarding&limit=200')).body?.accounts.length).toBeGreaterThanOrEqual(30);
    expect((await rt.request('GET', '/v1/accounts?flag=champion-left')).body?.accounts).toEqual([]);
    const bad = await rt.request('GET', '/v1/accounts?plan=Gold');
    expect(bad.status).toBe(400);
    expect(bad.body?.message).toContain('plan:');
    // The issue's request: `tier` is not a filter (plan and band are), and the 400 says where each went.
    const renamed = await rt.request('GET', '/v1/accounts?tier=red');
    expect(renamed.status).toBe(400);
    expect(renamed.body?.details).toEqual([{ field: 'tier', message: expect.stringMatching(/`plan`.*`band`/) }]);
    const urgent = await rt.request('GET', '/v1/accounts?priority=urgent');
    expect([urgent.status, urgent.body?.message]).toEqual([
      400,
      expect.stringMatching(/^priority: unknown query parameter; this route takes plan, segment, stage, band, flag, owner, q, sort, limit, cursor$/),
    ]);
    const unscored = await rt.request('GET', '/v1/accounts?band=unscored&limit=200');
    const all = await rt.request('GET', '/v1/accounts?limit=200');
    const bands = ['green', 'yellow', 'red', 'unscored'];
    const counts = await Promise.all(bands.map(async (b) => (await rt.request('GET', `/v1/accounts?band=${b}&limit=200`)).body?.accounts.length as number));
    // Every account is in exactly one band, as its card says.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(all.body?.accounts.length);
    expect(unscored.body?.accounts.every((a: { healthScore: { band: string | null } }) => a.healthScore.band === null)).toBe(true);
    expect((await rt.request('GET', '/v1/accounts?cursor=bm9wZQ')).status).toBe(400);
  });

  it('shows the account card as JSON and as text, with the next onboarding step as next action', async () => {
    await rt.idle();
    const card = await rt.request('GET', '/v1/accounts/list-00/card');
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({
      customer: { id: 'list-00', name: 'list-00 Inc' },
      plan: 'Enterprise',
      stage: 'Onboarding',
      priority: expect.stringMatching(/^(low|medium|high|urgent)$/),
    });
    expect(card.body?.nextAction).toMatch(/onboarding step welcome on 2026-03-03/);
    const text = await fetch(`${rt.url}/v1/accounts/list-00/card`, { headers: { authorization: `Bearer ${rt.adminKey}`, accept: 'text/plain' } });
    expect(text.headers.get('content-type')).toContain('text/plain');
    const lines = (await text.text())
      .trim()
      .split('\n')
      .map((l) => l.split(':')[0]);
    expect(lines).toEqual(['CUSTOMER', 'PLAN', 'HEALTH_SCORE', 'STAGE', 'LAST_CONTACT', 'NEXT_ACTION', 'PRIORITY', 'NOTES']);
    expect((await rt.request('GET', '/v1/accounts/list-00/card?format=text')).body?.text).toContain('PLAN: Enterprise');
    expect((await rt.request('GET', '/v1/accounts/nobody/card')).status).toBe(404);
  });

  // Every route the API function serves, present and future: an unknown query parameter is a 400 naming it, before the route runs.
  it.each(routesServedBy('api').map((r) => [r.key, r] as const))('%s answers an unknown query parameter with a 400 naming it', async (_, r) => {
    const path = r.path.replace(/\{(\w+)\}/g, 'list-00');
    const res = await rt.request(r.method, `${path}?not-a-filter=1&colour=blue`, r.method === 'POST' ? {} : undefined);
    expect(res.status).toBe(400);
    expect(res.body?.details).toEqual([
      { field: 'not-a-filter', message: expect.stringContaining('unknown query parameter') },
      { field: 'colour', message: expect.stringContaining('unknown query parameter') },
    ]);
    // The message says which parameters the route does take.
    const names = queryParameterNames(r.spec.query);
    expect(res.body?.message).toContain(names.length ? `this route takes ${names.join(', ')}` : 'takes no query parameters');
  });

  it('publishes an OpenAPI 3.1 document listing exactly the routes of the route list, with their auth and errors', async () => {
    const doc = (await rt.request('GET', '/v1/openapi.json')).body!;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
    for (const [key, spec] of Object.entries(ROUTES) as [string, RouteSpec][]) {
      const { method, path } = routeParts(key);
      const op = doc.paths[path][method.toLowerCase()];
      expect(op['x-tend-scope'], key).toBe(spec.auth === 'any' ? 'any valid key' : spec.auth === 'public' ? 'none: the signed token in the link' : spec.auth);
      if (spec.auth === 'public') expect(op.security, key).toEqual([]);
      else {
        expect(op.security.length, key).toBeGreaterThan(0);
        expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['400', '401', '403', '429']));
      }
      expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(Object.keys(spec.ok)));
      expect(op.requestBody !== undefined, key).toBe(spec.body !== undefined);
    }
    expect(doc.paths['/v1/events'].post.requestBody.content['application/json'].schema.properties.events.maxItems).toBe(500);
    expect(doc.paths['/v1/accounts/{id}/plays/{play}/{action}'].post.requestBody.required).toBe(false);
    expect(doc.paths['/v1/accounts'].post.requestBody.required).toBe(true);
    // The bundle serves the document synth generated (lib/bundled-openapi.ts): the one the route list gives.
    expect(doc).toEqual(tendOpenApiDocument(config.product.name));
  });

  it('loses and double-counts nothing when 100 posts for one account race, half of them replays', async () => {
    await rt.request('POST', '/v1/accounts', account('racy'));
    const post = (i: number) =>
      rt.request('POST', '/v1/events', {
        events: [
          {
            id: `race-${i % 50}`,
            accountId: 'racy',
            userId: `u${i % 50}`,
            name: 'feature_used',
            timestamp: '2026-03-02T10:00:00Z',
            properties: { feature: 'reports', sessionId: `s${i % 50}`, durationSeconds: 60 },
          },
        ],
      });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => post(i)));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const statuses = results.flatMap((r) => r.body?.results.map((x: { status: string }) => x.status));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(50);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(50);
    const [day] = await rt.items('racy', 'S#DAY#');
    expect((day?.users as Set<string>).size).toBe(50);
    expect((day?.sessions as Set<string>).size).toBe(50);
    expect((day?.sessionSeconds as Set<string>).size).toBe(50);
    // Each id claimed once, in the day's rollup item (no item per event).
    expect((day?.ids as Set<string>).size).toBe(50);
    expect(await rt.items('racy', 'EVENT#')).toEqual([]);
  });

  it('changes nothing when the same account is posted again', async () => {
    const first = await rt.request('GET', '/v1/accounts/list-01');
    const again = await rt.request('POST', '/v1/accounts', account('list-01', { arr: 20_000 }));
    expect(again.status).toBe(200);
    expect(again.body?.unchanged).toBe(true);
    expect((await rt.request('GET', '/v1/accounts/list-01')).body?.account.updatedAt).toBe(first.body?.account.updatedAt);
  });
});
