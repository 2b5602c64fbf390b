import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/data/keys.ts';

const account = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `${id} Inc`,
  seats: 5,
  primaryContact: { email: `owner@${id}.example`, name: 'Owner' },
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

describe('HTTP API on the local runtime', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z') });
  });
  afterAll(() => rt?.stop());

  it('answers /health when ready', async () => {
    expect((await rt.request('GET', '/health')).status).toBe(200);
  });

  it.each([
    ['a missing field', { ...account('bad1'), name: undefined }, 'name'],
    ['a wrong type', account('bad2', { seats: 'ten' }), 'seats'],
    ['a bad nested field', account('bad3', { primaryContact: { email: 'not-an-email' } }), 'primaryContact.email'],
    ['a bad id', account('bad 4'), 'id'],
    ['an unknown status', account('bad5', { status: 'sleeping' }), 'status'],
  ])('rejects an account with %s: 400 naming the field, nothing written', async (_, body, field) => {
    const res = await rt.request('POST', '/v1/accounts', body);
    expect(res.status).toBe(400);
    expect(res.body?.message).toContain(`${field}:`);
    expect(res.body?.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(await rt.items(String((body as { id: string }).id))).toEqual([]);
  });

  it('rejects malformed JSON and an empty body with a 400', async () => {
    const malformed = await rt.request('POST', '/v1/accounts', undefined, '{"id": "x",');
    expect(malformed).toMatchObject({ status: 400, body: { message: 'request body is not valid JSON' } });
    expect((await rt.request('POST', '/v1/events', undefined, '')).status).toBe(400);
  });

  it('creates an account once (201, then 200) and starts one onboarding run', async () => {
    expect(await rt.request('POST', '/v1/accounts', account('solo'))).toMatchObject({ status: 201, body: { outcome: 'created' } });
    const again = await rt.request('POST', '/v1/accounts', account('solo', { seats: 9 }));
    expect(again.status).toBe(200);
    expect(again.body?.outcome).toBe('changed');
    expect(again.body?.account.seats).toBe(9);
    // The run is started by the plays' starter, behind the event: wait for it as the race test below does.
    await rt.idle();
    const runs = [...rt.sfn.executions.values()].filter((e) => JSON.parse(e.input).accountId === 'solo');
    expect(runs).toHaveLength(1);
    const view = await rt.request('GET', '/v1/accounts/solo');
    expect(view.body?.account).toMatchObject({ id: 'solo', seats: 9, segment: 'tech-touch', primaryContact: { email: 'owner@solo.example' } });
  });

  it('answers what each post did: created, changed, churned, unchanged, reactivated', async () => {
    const post = async (extra: Record<string, unknown>) => rt.request('POST', '/v1/accounts', account('life', extra));
    const steps: [Record<string, unknown>, number, string][] = [
      [{}, 201, 'created'],
      [{ seats: 7 }, 200, 'changed'],
      [{ seats: 7, status: 'churned' }, 200, 'churned'],
      [{ seats: 7, status: 'churned' }, 200, 'unchanged'],
      [{ seats: 7, status: 'active' }, 200, 'reactivated'],
    ];
    for (const [extra, status, outcome] of steps) expect(await post(extra), outcome).toMatchObject({ status, body: { outcome } });
    const item = (await rt.items('life', keys.account('life').sk))[0]!;
    expect(item).toMatchObject({ status: 'active', seats: 7, rev: 4 });
    // The first churn's date stays through the reactivation: it is the outcome the churn model learns from.
    expect(typeof item.churnedAt).toBe('string');
    expect((await rt.request('GET', '/v1/accounts/life')).body?.account).not.toHaveProperty('rev');
  });

  it('creates an account once when posts of it race: one 201, one onboarding run, the last body of each write kept whole', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => rt.request('POST', '/v1/accounts', account('crowd', { seats: i + 1 }))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(results.filter((r) => r.body?.outcome === 'created')).toHaveLength(1);
    await rt.idle();
    expect([...rt.sfn.executions.values()].filter((e) => JSON.parse(e.input).accountId === 'crowd')).toHaveLength(1);
    const [item] = await rt.items('crowd', keys.account('crowd').sk);
    // Five writes, each on the revision the one before left.
    expect(item?.rev).toBe(5);
    expect(results.map((r) => r.body?.account.seats)).toContain(item?.seats);
  });

  it('updates an account written before revisions (no rev) and from then on counts its revisions', async () => {
    const at = '2026-01-05T00:00:00.000Z';
    const legacy = { ...account('legacy'), status: 'active', segment: 'tech-touch', startDate: at, createdAt: at, updatedAt: at, announcedAt: at };
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: { ...keys.account('legacy'), ...keys.accountIndex('legacy'), ...legacy } }));
    expect(await rt.request('POST', '/v1/accounts', account('legacy', { seats: 6 }))).toMatchObject({
      status: 200,
      body: { outcome: 'changed', account: { seats: 6, createdAt: at } },
    });
    expect((await rt.items('legacy', keys.account('legacy').sk))[0]).toMatchObject({ rev: 1, seats: 6 });
  });

  it('keeps the segment of an account updated without its ARR', async () => {
    await rt.request('POST', '/v1/accounts', account('big', { arr: 80_000 }));
    const updated = await rt.request('POST', '/v1/accounts', account('big', { seats: 50 }));
    expect(updated.body?.account).toMatchObject({ segment: 'high-touch', arr: 80_000, seats: 50 });
  });

  it('pins a segment against ARR, keeps the pin through ARR changes, and unpins it with auto', async () => {
    const post = async (extra: Record<string, unknown>) => (await rt.request('POST', '/v1/accounts', account('logo', extra))).body?.account;
    expect(await post({ arr: 5_000, segment: 'high-touch' })).toMatchObject({ segment: 'high-touch', segmentSet: 'high-touch' });
    // A pinned segment stands when ARR moves (it would be medium-touch by ARR).
    expect(await post({ arr: 20_000 })).toMatchObject({ segment: 'high-touch', arr: 20_000 });
    // Re-sending the pin changes nothing; asking for the pin on an unpinned account does.
    expect((await rt.request('POST', '/v1/accounts', account('logo', { arr: 20_000, segment: 'high-touch' }))).body?.unchanged).toBe(true);
    // auto without an ARR: back to what the stored ARR gives.
    const unpinned = await post({ segment: 'auto' });
    expect(unpinned).toMatchObject({ segment: 'medium-touch', arr: 20_000 });
    expect(unpinned).not.toHaveProperty('segmentSet');
    expect(await post({ arr: 90_000 })).toMatchObject({ segment: 'high-touch' });
    expect(await post({ segment: 'tech-touch', arr: 90_000 })).toMatchObject({ segment: 'tech-touch', segmentSet: 'tech-touch' });
    const list = await rt.request('GET', '/v1/accounts?segment=tech-touch&limit=200');
    expect(list.body?.accounts.map((a: { customer: { id: string } }) => a.customer.id)).toContain('logo');
    const bad = await rt.request('POST', '/v1/accounts', account('logo', { segment: 'vip' }));
    expect(bad.status).toBe(400);
    expect(bad.body?.message).toMatch(/^segment:/);
  });

  it('rejects a whole batch with one bad event, naming it, and writes none of it', async () => {
    await rt.request('POST', '/v1/accounts', account('batchy'));
    const res = await rt.request('POST', '/v1/events', { events: [event('ok-1', 'batchy'), event('bad-1', 'batchy', { timestamp: 'yesterday' })] });
    expect(res.status).toBe(400);
    expect(res.body?.message).toContain('events[1].timestamp');
    expect(await rt.items('batchy', 'S#DAY#')).toEqual([]);
  });

  it('rejects a batch over 500 events', async () => {
    const events = Array.from({ length: 501 }, (_, i) => event(`big-${i}`, 'batchy'));
    const res = await rt.request('POST', '/v1/events', { events });
    expect(res.status).toBe(400);
    expect(res.body?.message).toContain('events:');
  });

  it('counts a replayed event once', async () => {
    await rt.request('POST', '/v1/accounts', account('replay'));
    const batch = { events: [event('r-1', 'replay'), event('r-2', 'replay', { userId: 'u2', properties: { feature: 'alerts' } })] };
    expect((await rt.request('POST', '/v1/events', batch)).body).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    for (let i = 0; i < 2; i++) {
      const again = await rt.request('POST', '/v1/events', batch);
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 2, rejected: [] });
      expect(again.body?.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate']);
    }
    const [day] = await rt.items('replay', 'S#DAY#');
    expect([...(day?.users as Set<string>)].sort()).toEqual(['u1', 'u2']);
    expect([...(day?.userFeatures as Set<string>)].sort()).toEqual(['u1|reports', 'u2|alerts']);
  });

  it('keeps session lengths, API use and completed trainings idempotently, and scores them', async () => {
    await rt.request('POST', '/v1/accounts', account('learner'));
    const batch = {
      events: [
        event('l-1', 'learner', { name: 'page', properties: { feature: 'reports', sessionId: 's1', durationSeconds: 600 } }),
        event('l-2', 'learner', { name: 'page', properties: { feature: 'reports', sessionId: 's1', durationSeconds: 900 } }),
        event('l-3', 'learner', { name: 'api.export', properties: {} }),
        event('l-4', 'learner', { name: 'training.completed', properties: { course: 'getting-started' } }),
      ],
    };
    expect((await rt.request('POST', '/v1/events', batch)).body).toMatchObject({ accepted: 4, rejected: [] });
    expect((await rt.request('POST', '/v1/events', batch)).body).toMatchObject({ accepted: 0, duplicates: 4, rejected: [] });
    const [day] = await rt.items('learner', 'S#DAY#');
    expect([...(day?.sessionSeconds as Set<string>)].sort()).toEqual(['u1|s1|600', 'u1|s1|900']);
    expect([...(day?.apiUsers as Set<string>)]).toEqual(['u1']);
    const [item] = await rt.items('learner', 'S#PROFILE');
    expect([...(item?.trainingsCompleted as Set<string>)]).toEqual(['u1|getting-started']);
    expect((await rt.request('POST', '/v1/events', { events: [event('l-5', 'learner', { properties: { durationSeconds: -1 } })] })).body?.message).toContain(
      'events[0].properties.durationSeconds',
    );
    await rt.rescore();
    const [score] = await rt.items('learner', 'S#SCORE');
    expect(score?.signals).toMatchObject({ trainingCompletion: 1 / 3, minutesPerUserWeek: expect.any(Number) });
  });

  it('reports events of unknown accounts per event and stores the rest', async () => {
    await rt.request('POST', '/v1/accounts', account('known'));
    const res = await rt.request('POST', '/v1/events', { events: [event('k-1', 'known'), event('k-2', 'ghost')] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 1, rejected: [{ index: 1, id: 'k-2' }] });
    expect(res.body?.rejected[0].error).toContain('ghost');
    expect(await rt.items('ghost')).toEqual([]);
    expect(await rt.items('known', 'S#DAY#')).toHaveLength(1);
  });

  it('takes surveys and tickets: bad scores are named, replays stored once, and they move the score and flags', async () => {
    await rt.request('POST', '/v1/accounts', account('voice', { arr: 20_000 }));
    const at = '2026-03-01T09:00:00Z';
    const bad = await rt.request('POST', '/v1/surveys', { surveys: [{ id: 's0', accountId: 'voice', kind: 'nps', score: 11, answeredAt: at }] });
    expect(bad.status).toBe(400);
    expect(bad.body?.message).toContain('surveys[0].score: a NPS score is a whole number from 0 to 10');
    const badTicket = await rt.request('POST', '/v1/tickets', { tickets: [{ id: 't0', accountId: 'voice', status: 'lost', openedAt: at }] });
    expect(badTicket.status).toBe(400);
    expect(badTicket.body?.message).toContain('tickets[0].status');
    expect(await rt.items('voice', 'S#SURVEY#')).toEqual([]);

    const before = (await rt.request('GET', '/v1/accounts/voice')).body?.health;
    const survey = { surveys: [{ id: 's1', accountId: 'voice', kind: 'nps', score: 3, answeredAt: at, comment: 'too slow' }] };
    for (let i = 0; i < 2; i++) expect((await rt.request('POST', '/v1/surveys', survey)).body).toEqual({ accepted: 1, rejected: [] });
    const tickets = [1, 2].map((n) => ({ id: `t${n}`, accountId: 'voice', status: 'open', priority: 'high', sentiment: -0.6, openedAt: at }));
    expect((await rt.request('POST', '/v1/tickets', { tickets })).body).toEqual({ accepted: 2, rejected: [] });
    expect(await rt.items('voice', 'S#SURVEY#')).toHaveLength(1);
    // Closing a ticket updates it in place.
    await rt.request('POST', '/v1/tickets', { tickets: [{ ...tickets[0], status: 'closed', closedAt: at }] });
    expect((await rt.items('voice', 'S#TICKET#')).map((t) => t.status).sort()).toEqual(['closed', 'open']);

    await rt.rescore();
    const health = (await rt.request('GET', '/v1/accounts/voice')).body?.health;
    expect(health.coverage).toBeGreaterThan(before?.coverage ?? 0);
    expect(health.flags.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['nps-detractor', 'ticket-spike']));
    const sentiment = health.components.find((c: { id: string }) => c.id === 'sentiment');
    // NPS 3 -> 30, ticket sentiment -0.6 -> 20: (30 + 20) / 2 = 25, with 2 of 4 sentiment signals present.
    expect(sentiment).toMatchObject({ score: 25, coverage: 0.5 });
  });

  it('takes contacts: names a bad field, and a champion who left raises the flag once', async () => {
    await rt.request('POST', '/v1/accounts', account('people', { arr: 20_000 }));
    const bad = await rt.request('POST', '/v1/contacts', { contacts: [{ accountId: 'people', email: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.body?.message).toContain('contacts[0].email');
    const champion = { accountId: 'people', email: 'Bo@people.example', name: 'Bo', role: 'champion' };
    expect(
      (await rt.request('POST', '/v1/contacts', { contacts: [champion, { accountId: 'people', email: 'cfo@people.example', role: 'executive-sponsor' }] }))
        .body,
    ).toEqual({ accepted: 2, rejected: [] });
    expect((await rt.request('POST', '/v1/contacts', { contacts: [{ ...champion, left: true }] })).status).toBe(202);
    expect((await rt.items('people', 'S#PERSON#')).map((c) => c.sk).sort()).toEqual(['S#PERSON#bo@people.example', 'S#PERSON#cfo@people.example']);
    await rt.rescore();
    const health = (await rt.request('GET', '/v1/accounts/people')).body?.health;
    expect(health.flags.map((f: { name: string }) => f.name)).toContain('champion-left');
    expect(health.flags.map((f: { name: string }) => f.name)).not.toContain('sponsor-left');
    // A new champion clears it.
    await rt.request('POST', '/v1/contacts', { contacts: [{ accountId: 'people', email: 'cy@people.example', role: 'champion' }] });
    await rt.rescore();
    expect((await rt.request('GET', '/v1/accounts/people')).body?.health.flags.map((f: { name: string }) => f.name)).not.toContain('champion-left');
    const started = rt.events.log.filter((e) => e.detail.accountId === 'people' && e.detail.flag === 'champion-left').map((e) => e['detail-type']);
    expect(started).toEqual(['flag.started', 'flag.stopped']);
  });

  it('answers 404 for an unknown account and an unknown route', async () => {
    expect((await rt.request('GET', '/v1/accounts/nobody')).status).toBe(404);
    expect((await rt.request('GET', '/v1/nothing')).status).toBe(404);
  });

  it('shows the score after the scoring run', async () => {
    await rt.request('POST', '/v1/accounts', account('scored', { arr: 60_000, paymentStatus: 'current' }));
    await rt.request('POST', '/v1/events', { events: [event('s-1', 'scored'), event('s-2', 'scored', { userId: 'u2' })] });
    for (const s of rt.scheduler.schedules) await rt.scheduler.fire(s);
    const view = await rt.request('GET', '/v1/accounts/scored');
    expect(view.body?.account.segment).toBe('high-touch');
    expect(view.body?.health).toMatchObject({ model: 'seed-002@1' });
    expect(view.body?.health.score).toBeGreaterThanOrEqual(0);
    expect(view.body?.health.score).toBeLessThanOrEqual(100);
    expect(['green', 'yellow', 'red']).toContain(view.body?.health.tier);
    expect(view.body?.health.coverage).toBeGreaterThan(0);
    expect(view.body?.health.coverage).toBeLessThan(1);
    expect(view.body?.health.driversDown.length).toBeGreaterThan(0);
  });
});
