import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentSecretStore } from '../../functions/data/segment-secret.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Payloads shaped as Segment's spec documents them (segment.com/docs/connections/spec: common
 * fields, track, identify, group, page; the HTTP tracking API's batch), with this run's dates.
 */
const ts = '2026-03-02T09:28:55.111Z';
const group = {
  anonymousId: '507f191e810c19729de860ea',
  channel: 'server',
  context: { ip: '8.8.8.8', library: { name: 'analytics-node', version: '2.1.0' } },
  groupId: 'initech',
  integrations: { All: true },
  messageId: '022bb90c-bbac-11e4-8dfc-aa07a5b093db',
  receivedAt: '2026-03-02T09:28:55.387Z',
  sentAt: ts,
  timestamp: ts,
  traits: { name: 'Initech', industry: 'Technology', employees: 329, plan: 'enterprise', 'total billed': 830 },
  type: 'group',
  userId: '97980cfea0067',
  version: '1.1',
};
/** A group call announcing an account Tend does not know yet, as a product using Segment sends it. */
const newGroup = (groupId: string, messageId: string, traits: Record<string, unknown>, userId = 'milton') => ({
  ...group,
  anonymousId: null,
  groupId,
  messageId,
  traits: { industry: 'Software', employees: 40, website: `https://${groupId}.example`, ...traits },
  userId,
});
const identify = {
  anonymousId: '507f191e810c19729de860ea',
  channel: 'server',
  context: { ip: '8.8.8.8', timezone: 'Europe/Amsterdam' },
  integrations: { All: false, Mixpanel: true },
  messageId: '022bb90c-bbac-11e4-8dfc-aa07a5b093dc',
  receivedAt: '2026-03-02T09:28:55.387Z',
  sentAt: ts,
  timestamp: ts,
  traits: {
    name: 'Peter Gibbons',
    email: 'peter@initech.example',
    role: 'Executive Sponsor',
    title: 'CTO',
    plan: 'premium',
    logins: 5,
    address: { street: '6th St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'USA' },
  },
  type: 'identify',
  userId: '97980cfea0067',
  version: '1.1',
};
const track = (messageId: string, extra: Record<string, unknown> = {}) => ({
  anonymousId: '23adfd82-aa0f-45a7-a756-24f2a7a4c895',
  context: {
    library: { name: 'analytics.js', version: '2.11.1' },
    page: { path: '/academy/', url: 'https://segment.com/academy/' },
    userAgent: 'Mozilla/5.0',
    ip: '108.0.78.21',
  },
  event: 'Report Viewed',
  integrations: {},
  messageId,
  properties: { title: 'Quarterly numbers', feature: 'reports' },
  receivedAt: '2026-03-02T10:11:01.266Z',
  sentAt: '2026-03-02T10:11:01.169Z',
  timestamp: '2026-03-02T10:11:01.249Z',
  type: 'track',
  userId: '97980cfea0067',
  originalTimestamp: '2026-03-02T10:11:01.152Z',
  ...extra,
});
const page = {
  anonymousId: '507f191e810c19729de860ea',
  channel: 'browser',
  context: { ip: '8.8.8.8', userAgent: 'Mozilla/5.0', groupId: 'initech' },
  integrations: { All: true },
  messageId: '022bb90c-bbac-11e4-8dfc-aa07a5b093dd',
  name: 'Home',
  category: 'dashboards',
  properties: { title: 'Welcome | Initech', url: 'http://www.initech.example' },
  receivedAt: '2026-03-02T10:28:55.387Z',
  sentAt: '2026-03-02T10:28:55.111Z',
  timestamp: '2026-03-02T10:28:55.111Z',
  type: 'page',
  userId: '97980cfea0067',
  version: '1.1',
};

describe('POST /v1/segment', () => {
  let rt: TestRuntime;
  let writeKey: string;
  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(`${rt.url}/v1/segment`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z') });
    writeKey = await rt.createKey(['ingest'], 'segment');
    await rt.request('POST', '/v1/accounts', { id: 'initech', name: 'Initech', primaryContact: { email: 'bill@initech.example' } });
  });
  afterAll(() => rt?.stop());

  it('takes a tracking-API batch with the write key as Basic user: group ties the user, identify makes the contact, track counts for the account', async () => {
    const res = await post(
      { batch: [group, identify, track('ajs-f8ca1e4de5024d9430b3928bd8ac6b96')], context: { device: { type: 'server' } }, sentAt: ts },
      basic(writeKey),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; results: { status: string; type: string }[] };
    expect(body.results.map((r) => [r.type, r.status])).toEqual([
      ['group', 'accepted'],
      ['identify', 'accepted'],
      ['track', 'accepted'],
    ]);
    const [contact] = await rt.items('initech', 'S#PERSON#');
    expect(contact).toMatchObject({ email: 'peter@initech.example', name: 'Peter Gibbons', role: 'executive-sponsor', timezone: 'Europe/Amsterdam' });
    const [day] = await rt.items('initech', 'S#DAY#2026-03-02');
    expect([...(day?.users as Set<string>)]).toEqual(['97980cfea0067']);
    expect([...(day?.features as Set<string>)]).toEqual(['reports']);
  });

  it('takes the write key in the body, and a track of a user grouped earlier (stored link) goes to that account', async () => {
    const res = await post({ batch: [track('msg-later', { properties: { feature: 'alerts' } })], writeKey }, {});
    expect(res.status).toBe(200);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
    const [day] = await rt.items('initech', 'S#DAY#2026-03-02');
    expect([...(day?.features as Set<string>)].sort()).toEqual(['alerts', 'reports']);
  });

  it('takes a webhook delivery signed with X-Signature, and a retried delivery is a duplicate that changes nothing', async () => {
    await segmentSecretStore(rt.db, rt.tableName).put('whsec-initech', new Date());
    const raw = JSON.stringify(page);
    const signature = createHmac('sha1', 'whsec-initech').update(raw).digest('hex');
    const deliver = () =>
      fetch(`${rt.url}/v1/segment`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body: raw });
    const first = (await (await deliver()).json()) as { results: { status: string }[] };
    expect(first.results[0]?.status).toBe('accepted');
    const before = await rt.items('initech', 'S#DAY#');
    const retry = await deliver();
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { results: { status: string }[] }).results[0]?.status).toBe('duplicate');
    expect(await rt.items('initech', 'S#DAY#')).toEqual(before);
    expect([...(before[0]?.features as Set<string>)]).toContain('dashboards');
  });

  it('refuses a wrong signature and a wrong write key with 401', async () => {
    const raw = JSON.stringify(track('bad-sig'));
    expect((await fetch(`${rt.url}/v1/segment`, { method: 'POST', headers: { 'x-signature': 'ab'.repeat(20) }, body: raw })).status).toBe(401);
    expect((await post(track('bad-key'), basic('tend_000000000000_' + 'a'.repeat(43)))).status).toBe(401);
    expect((await post({ batch: [track('bad-body-key')], writeKey: 'nope' }, {})).status).toBe(401);
  });

  it('reports per message: a track of a user no group names is rejected, the rest stored; screen is ignored', async () => {
    const stranger = track('msg-stranger', { userId: 'stranger', anonymousId: null });
    const res = await post(
      { batch: [stranger, { ...track('msg-ok'), context: { groupId: 'initech' } }, { type: 'screen', name: 'Home', userId: 'x', messageId: 'scr-1' }] },
      basic(writeKey),
    );
    const body = (await res.json()) as { results: { status: string; reason?: string }[] };
    expect(body.results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'ignored']);
    expect(body.results[0]?.reason).toContain('group');
  });

  it('counts a batch without messageIds once when it is sent again (the HTTP API makes them optional)', async () => {
    const batch = {
      batch: [{ type: 'track', userId: '97980cfea0067', event: 'Song Played', properties: { name: 'Fallin for You' }, timestamp: '2026-03-02T11:30:12.984Z' }],
    };
    const first = (await (await post(batch, basic(writeKey))).json()) as { accepted: number };
    const second = (await (await post(batch, basic(writeKey))).json()) as { duplicates: number };
    expect([first.accepted, second.duplicates]).toEqual([1, 1]);
  });
  describe('group traits create and update accounts', () => {
    type Body = { results: { type: string; status: string; reason?: string; account?: string }[] };
    const outcomes = (body: Body) => body.results.map((r) => [r.type, r.status, r.account ?? r.reason ?? null]);
    const runsOf = (accountId: string) => [...rt.sfn.executions.values()].filter((e) => JSON.parse(e.input).accountId === accountId);
    const initrode = newGroup('initrode', 'grp-initrode-1', {
      name: 'Initrode',
      email: 'owner@initrode.example',
      plan: 'pro',
      mrr: '250',
      createdAt: '2026-02-15T00:00:00Z',
    });

    it('creates the account of a group with name and email, starts one onboarding run, and counts a later track of the batch for it', async () => {
      const res = await post({ batch: [initrode, track('trk-initrode-1', { userId: 'milton', anonymousId: null })] }, basic(writeKey));
      expect(outcomes((await res.json()) as Body)).toEqual([
        ['group', 'accepted', 'created'],
        ['track', 'accepted', null],
      ]);
      const view = await rt.request('GET', '/v1/accounts/initrode');
      expect(view.body?.account).toMatchObject({
        id: 'initrode',
        name: 'Initrode',
        plan: 'pro',
        arr: 3000,
        startDate: '2026-02-15T00:00:00.000Z',
        primaryContact: { email: 'owner@initrode.example' },
      });
      expect(view.body?.account).not.toHaveProperty('industry');
      await rt.idle();
      expect(runsOf('initrode')).toHaveLength(1);
      const [day] = await rt.items('initrode', 'S#DAY#2026-03-02');
      expect([...(day?.users as Set<string>)]).toEqual(['milton']);
    });

    it('writes nothing for a replayed group: a duplicate, the account untouched, no second run', async () => {
      const before = (await rt.request('GET', '/v1/accounts/initrode')).body?.account;
      const res = await post({ batch: [initrode] }, basic(writeKey));
      expect(outcomes((await res.json()) as Body)).toEqual([['group', 'duplicate', 'unchanged']]);
      expect((await rt.request('GET', '/v1/accounts/initrode')).body?.account).toEqual(before);
      await rt.idle();
      expect(runsOf('initrode')).toHaveLength(1);
    });

    it('updates plan and ARR of a known account from its traits, keeping its primary contact; an older replay undoes nothing', async () => {
      const update = newGroup('initech', 'grp-initech-2', { name: 'Initech', plan: 'scale', arr: '60000' }, '97980cfea0067');
      const res = await post(update, basic(writeKey));
      expect(outcomes((await res.json()) as Body)).toEqual([['group', 'accepted', 'updated']]);
      const account = (await rt.request('GET', '/v1/accounts/initech')).body?.account;
      expect(account).toMatchObject({ plan: 'scale', arr: 60_000 });
      // Recorded in the revenue history as coming from Segment.
      expect((await rt.request('GET', '/v1/accounts/initech/revenue')).body?.history.at(-1)).toMatchObject({ arr: 60_000, plan: 'scale', source: 'segment' });
      expect(account.primaryContact).toEqual({ email: 'bill@initech.example' });
      // The first test's group (plan enterprise) delivered again: it must not bring its plan back.
      const replay = (await (await post(group, basic(writeKey))).json()) as Body;
      expect(outcomes(replay)).toEqual([['group', 'duplicate', 'unchanged']]);
      expect((await rt.request('GET', '/v1/accounts/initech')).body?.account).toEqual(account);
    });

    it('refuses a group of an unknown account without email, saying what to send, and writes nothing', async () => {
      const res = await post(newGroup('globex', 'grp-globex-1', { name: 'Globex' }), basic(writeKey));
      const body = (await res.json()) as Body;
      expect(body.results[0]).toMatchObject({
        status: 'rejected',
        reason: 'account "globex" not found: send traits.name and traits.email to create it (missing traits.email), or create it with POST /v1/accounts first',
      });
      expect(await rt.items('globex')).toEqual([]);
      expect((await rt.request('GET', '/v1/accounts/globex')).status).toBe(404);
    });

    it("creates the account of an identify's traits.company, the user its primary contact and a contact, and a replay writes nothing", async () => {
      const withCompany = {
        ...identify,
        messageId: 'idf-umbrella-1',
        userId: 'alice',
        traits: { name: 'Alice Wu', email: 'alice@umbrella.example', company: { id: 'umbrella', name: 'Umbrella', plan: 'enterprise', employee_count: 5000 } },
      };
      const first = (await (await post(withCompany, basic(writeKey))).json()) as Body;
      expect(outcomes(first)).toEqual([['identify', 'accepted', null]]);
      expect((await rt.request('GET', '/v1/accounts/umbrella')).body?.account).toMatchObject({
        name: 'Umbrella',
        plan: 'enterprise',
        primaryContact: { email: 'alice@umbrella.example' },
      });
      expect((await rt.items('umbrella', 'S#PERSON#'))[0]).toMatchObject({ email: 'alice@umbrella.example', name: 'Alice Wu' });
      const before = (await rt.request('GET', '/v1/accounts/umbrella')).body?.account;
      expect(outcomes((await (await post(withCompany, basic(writeKey))).json()) as Body)).toEqual([['identify', 'duplicate', null]]);
      expect((await rt.request('GET', '/v1/accounts/umbrella')).body?.account).toEqual(before);
      // Another user of the same company changes its plan, not its primary contact.
      const second = {
        ...withCompany,
        messageId: 'idf-umbrella-2',
        userId: 'bob',
        traits: { email: 'bob@umbrella.example', company: { id: 'umbrella', plan: 'scale' } },
      };
      expect(outcomes((await (await post(second, basic(writeKey))).json()) as Body)).toEqual([['identify', 'accepted', null]]);
      expect((await rt.request('GET', '/v1/accounts/umbrella')).body?.account).toMatchObject({
        plan: 'scale',
        primaryContact: { email: 'alice@umbrella.example' },
      });
      // A new company with no name says what is missing, naming the company trait.
      const nameless = { ...withCompany, messageId: 'idf-vandelay-1', traits: { email: 'art@vandelay.example', company: { id: 'vandelay', plan: 'pro' } } };
      const rejected = (await (await post(nameless, basic(writeKey))).json()) as Body;
      expect(rejected.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('missing traits.company.name') });
      expect(await rt.items('vandelay')).toEqual([]);
    });

    it('rejects a group with a bad trait value naming the trait, and takes the rest of the batch', async () => {
      const bad = newGroup('hooli', 'grp-hooli-1', { name: 'Hooli', email: 'gavin@hooli.example', arr: 'lots' }, 'gavin');
      const good = newGroup('piedpiper', 'grp-piedpiper-1', { name: 'Pied Piper', email: 'richard@piedpiper.example', seats: '6' }, 'richard');
      const res = await post({ batch: [bad, good, track('trk-piedpiper-1', { userId: 'richard', anonymousId: null })] }, basic(writeKey));
      const body = (await res.json()) as Body;
      expect(outcomes(body)).toEqual([
        ['group', 'rejected', 'traits.arr: a number such as 12000 or "12000", got "lots"'],
        ['group', 'accepted', 'created'],
        ['track', 'accepted', null],
      ]);
      expect(await rt.items('hooli')).toEqual([]);
      expect((await rt.request('GET', '/v1/accounts/piedpiper')).body?.account).toMatchObject({ name: 'Pied Piper', seats: 6 });
    });
  });
});
