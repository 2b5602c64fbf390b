import { describe, expect, it } from 'vitest';
import { alertsSchema, type Csm } from '../../functions/core/alerts/config.ts';
import { digestEmail, digestSlackMessage, escapeSlack, type DigestContent } from '../../functions/core/alerts/messages.ts';
import { alertsForEvent, destinationsFor, digestChangeOf, ownerOf } from '../../functions/core/alerts/routing.ts';
import { AlertDeliveryError, notifyEvent, sendDigests, type NotifyDeps } from '../../functions/core/alerts/notify.ts';
import { parseConfig } from '../../functions/core/config.ts';
import type { TendEvent } from '../../functions/core/ports.ts';
import type { Account } from '../../functions/core/types.ts';
import userConfig from '../../tend.config.ts';

const NOW = '2026-03-03T07:00:00.000Z';
const csms: Csm[] = [
  { id: 'dana', name: 'Dana', email: 'dana@acme.example', slackUserId: 'U0DANA01' },
  { id: 'sam', name: 'Sam', email: 'sam@acme.example' },
];
const alerts = alertsSchema.parse({
  routes: { 'task.created': ['owner'], 'account.red': ['owner', '#cs-alerts'], 'renewal.at-risk': ['owner', 'C0RENEW1'] },
  fallbackChannel: '#cs-alerts',
});
const account = (over: Partial<Account> & { owner?: string } = {}) =>
  ({
    id: 'acme',
    name: 'Acme <Corp> & Co',
    segment: 'tech-touch',
    renewalDate: '2026-04-02',
    csm: { name: 'Dana', email: 'DANA@acme.example' },
    ...over,
  }) as Account & {
    owner?: string;
  };
const task = (priority: string) => ({ id: 't1', accountId: 'acme', title: 'Call the champion', priority, dueAt: '2026-03-04T07:00:00Z', play: 'save' });
const event = (type: TendEvent['type'], detail: Record<string, unknown>): TendEvent => ({ type, accountId: 'acme', at: NOW, detail });
const url = (id: string) => `https://app.example/accounts/${id}`;
const route = (e: TendEvent, a = account()) =>
  alertsForEvent(e, { account: a, csms, alerts, accountUrl: url }).map(
    (x) => `${x.kind} ${x.key} -> ${x.destination.via === 'slack' ? x.destination.channel : x.destination.to}`,
  );

describe('alert routing', () => {
  it.each([
    ['an urgent task, to the owner', event('task.created', { task: task('urgent') }), account(), ['task.created task#acme#t1 -> U0DANA01']],
    ['a high task', event('task.created', { task: task('high') }), account(), ['task.created task#acme#t1 -> U0DANA01']],
    ['a medium task: nothing', event('task.created', { task: task('medium') }), account(), []],
    [
      'an owner without Slack: the fallback channel',
      event('task.created', { task: task('urgent') }),
      account({ owner: 'sam' }),
      ['task.created task#acme#t1 -> #cs-alerts'],
    ],
    [
      'no owner: the fallback channel',
      event('task.created', { task: task('urgent') }),
      account({ csm: undefined }),
      ['task.created task#acme#t1 -> #cs-alerts'],
    ],
    [
      'turning red far from the renewal: owner and channel, keyed by the move',
      event('tier.changed', { from: 'yellow', to: 'red', fromBand: 'yellow', band: 'red', score: 41 }),
      account({ renewalDate: '2026-12-01' }),
      [`account.red red#acme#${NOW} -> U0DANA01`, `account.red red#acme#${NOW} -> #cs-alerts`],
    ],
    [
      'turning red inside the renewal window: red and renewal at risk, keyed by the renewal',
      event('tier.changed', { from: 'yellow', to: 'red', fromBand: 'yellow', band: 'red', score: 41 }),
      account(),
      [
        `account.red red#acme#${NOW} -> U0DANA01`,
        `account.red red#acme#${NOW} -> #cs-alerts`,
        'renewal.at-risk renewal#acme#2026-04-02 -> U0DANA01',
        'renewal.at-risk renewal#acme#2026-04-02 -> C0RENEW1',
      ],
    ],
    [
      'red to red (a tier inside red): nothing',
      event('tier.changed', { from: 'critical', to: 'bad', fromBand: 'red', band: 'red' }),
      account({ renewalDate: undefined }),
      [],
    ],
    [
      'green to yellow inside the window: renewal at risk only',
      event('tier.changed', { from: 'green', to: 'yellow', fromBand: 'green', band: 'yellow' }),
      account(),
      ['renewal.at-risk renewal#acme#2026-04-02 -> U0DANA01', 'renewal.at-risk renewal#acme#2026-04-02 -> C0RENEW1'],
    ],
    ['to green inside the window: nothing', event('tier.changed', { from: 'yellow', to: 'green', fromBand: 'yellow', band: 'green' }), account(), []],
    [
      'a renewal already past: nothing',
      event('tier.changed', { from: 'green', to: 'yellow', fromBand: 'green', band: 'yellow' }),
      account({ renewalDate: '2026-03-01' }),
      [],
    ],
    [
      'the renewal-near-unhealthy flag',
      event('flag.started', { flag: 'renewal-near-unhealthy', tier: 'yellow' }),
      account(),
      ['renewal.at-risk renewal#acme#2026-04-02 -> U0DANA01', 'renewal.at-risk renewal#acme#2026-04-02 -> C0RENEW1'],
    ],
    ['another flag: nothing', event('flag.started', { flag: 'no-login-7d' }), account(), []],
  ])('%s', (_, e, a, expected) => expect(route(e, a)).toEqual(expected));

  it('finds the owner by id first, else by the csm email an upsert gave', () => {
    expect(ownerOf({ owner: 'sam', csm: { name: 'x', email: 'dana@acme.example' } }, csms)?.id).toBe('sam');
    expect(ownerOf({ csm: { name: 'x', email: 'Dana@Acme.example' } }, csms)?.id).toBe('dana');
    expect(ownerOf({ owner: 'nobody' }, csms)).toBeUndefined();
    expect(ownerOf({}, csms)).toBeUndefined();
  });

  it('posts to each channel once, and drops owner alerts with no owner and no fallback', () => {
    const twice = { routes: { ...alerts.routes, 'account.red': ['owner', '#cs-alerts', '#cs-alerts'] }, fallbackChannel: '#cs-alerts' };
    expect(destinationsFor('account.red', undefined, twice)).toEqual([{ via: 'slack', channel: '#cs-alerts' }]);
    expect(destinationsFor('task.created', undefined, { routes: alerts.routes })).toEqual([]);
  });

  it.each([
    [{ routes: { 'task.created': ['@dana'] } }, 'routes.task.created.0'],
    [{ fallbackChannel: 'owner' }, 'fallbackChannel'],
    [{ taskPriorities: ['critical'] }, 'taskPriorities.0'],
    [{ renewalWindowDays: 0 }, 'renewalWindowDays'],
    [{ digest: { schedule: 'daily' } }, 'digest.schedule'],
  ])('refuses a bad alerts config %j at %s', (bad, path) => {
    const r = alertsSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('refuses a CSM with a bad id or Slack id, naming the field', () => {
    expect(() => parseConfig({ ...userConfig, csms: [{ id: 'Dana!', name: 'D', email: 'd@x.example' }] })).toThrow(/csms\[0\]\.id/);
    expect(() => parseConfig({ ...userConfig, csms: [{ id: 'd', name: 'D', email: 'd@x.example', slackUserId: 'dana' }] })).toThrow(/csms\[0\]\.slackUserId/);
    const twice = [
      { id: 'd', name: 'D', email: 'd@x.example' },
      { id: 'd', name: 'E', email: 'D@x.example' },
    ];
    expect(() => parseConfig({ ...userConfig, csms: twice })).toThrow(/csms\[1\]\.id: duplicate CSM id "d"[\s\S]*csms\[1\]\.email/);
  });

  it.each([
    [event('tier.changed', { from: 'green', to: 'red', band: 'red' }), 'tier green → red (red)'],
    [event('flag.started', { flag: 'usage-drop' }), 'flag raised: usage-drop'],
    [event('flag.stopped', { flag: 'usage-drop' }), 'flag cleared: usage-drop'],
    [event('task.created', { task: task('urgent') }), undefined],
  ])('lists %j in the digest as %s', (e, line) => expect(digestChangeOf(e)).toBe(line));
});

describe('alert messages', () => {
  it('escapes what people typed and links the account', () => {
    expect(escapeSlack('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
    const [alert] = alertsForEvent(event('task.created', { task: { ...task('urgent'), title: 'Fix <script>' } }), {
      account: account(),
      csms,
      alerts,
      accountUrl: url,
    });
    expect(alert!.slack.text).toBe('urgent task on Acme <Corp> & Co: Fix <script>');
    const shown = JSON.stringify(alert!.slack.blocks);
    expect(shown).toContain('<https://app.example/accounts/acme|Acme &lt;Corp&gt; &amp; Co>');
    expect(shown).toContain('Fix &lt;script&gt;');
  });

  const digest = (n: number): DigestContent => ({
    csmName: 'Dana',
    day: '2026-03-03',
    dueToday: Array.from({ length: n }, (_, i) => ({
      id: `t${i}`,
      title: `Task ${i}`,
      priority: 'high',
      dueAt: '2026-03-03T12:00:00Z',
      account: { id: 'a', name: 'A', url: url('a') },
    })),
    overdue: [],
    changed: [{ account: { id: 'b', name: 'B & B', url: url('b') }, what: ['tier green → red (red)'] }],
  });
  it.each([
    [2, 'Your day, 2026-03-03: 2 due today, 0 overdue, 1 account changed', 2],
    [20, 'Your day, 2026-03-03: 20 due today, 0 overdue, 1 account changed', 15],
  ])('builds the digest of %i tasks (at most 15 lines a section)', (n, title, lines) => {
    const slack = digestSlackMessage(digest(n));
    expect(slack.text).toBe(title);
    expect(slack.blocks[1]!.text!.text.split('\n').filter((l) => l.startsWith('•'))).toHaveLength(lines);
    if (n > 15) expect(slack.blocks[1]!.text!.text).toContain(`…and ${n - 15} more`);
    expect(slack.blocks[2]!.text!.text).toContain('_none_');
    const email = digestEmail(digest(n));
    expect(email.subject).toBe(title);
    expect(email.html).toContain('B &amp; B');
    expect(email.text).toContain('Overdue:\nnone');
  });
});

describe('notify: claimed before posting, released when the post fails', () => {
  function fakes(options: { failures?: number } = {}) {
    const claims = new Map<string, string>();
    const posts: { channel: string; text: string }[] = [];
    let failures = options.failures ?? 0;
    const deps: NotifyDeps = {
      clock: { now: () => new Date(NOW) },
      alerts,
      csms,
      accounts: {
        get: async (id) => (id === 'acme' ? account() : undefined),
        names: async (ids) => new Map(ids.filter((id) => id === 'acme').map((id) => [id, account().name])),
      },
      claims: {
        claim: async (k, d) => (claims.has(`${k}|${d}`) ? false : (claims.set(`${k}|${d}`, 'posting'), true)),
        posted: async (k, d) => void claims.set(`${k}|${d}`, 'posted'),
        release: async (k, d) => void (claims.get(`${k}|${d}`) === 'posting' && claims.delete(`${k}|${d}`)),
      },
      digest: { openTasks: async () => [], noteChange: async () => {}, changes: async () => new Map() },
      slack: {
        post: async (channel, message) => {
          if (failures-- > 0) throw new Error('An API error occurred: internal_error');
          posts.push({ channel, text: message.text });
          return { ts: String(posts.length) };
        },
      },
      sender: { name: 'Tend', from: 'cs@acme.example' },
      accountUrl: url,
    };
    return { deps, claims, posts };
  }
  const red = event('tier.changed', { from: 'yellow', to: 'red', fromBand: 'yellow', band: 'red', score: 41 });

  it('posts every destination once, however often the event comes', async () => {
    const { deps, posts } = fakes();
    expect(await notifyEvent(deps, red)).toMatchObject({ posted: 4, duplicate: 0, alerts: 4 });
    expect(await notifyEvent(deps, red)).toMatchObject({ posted: 0, duplicate: 4 });
    expect(posts.map((p) => p.channel)).toEqual(['U0DANA01', '#cs-alerts', 'U0DANA01', 'C0RENEW1']);
  });

  it('a failed post fails the delivery after the others went out; the retry posts only it', async () => {
    const { deps, posts } = fakes({ failures: 1 });
    const first = await notifyEvent(deps, red).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AlertDeliveryError);
    expect((first as AlertDeliveryError).failed.map((f) => f.destination)).toEqual(['slack:U0DANA01']);
    expect(posts).toHaveLength(3);
    expect(await notifyEvent(deps, red)).toMatchObject({ posted: 1, duplicate: 3 });
    expect(posts.map((p) => p.channel).sort()).toEqual(['#cs-alerts', 'C0RENEW1', 'U0DANA01', 'U0DANA01']);
  });

  it.each<[string, string | undefined, number]>([
    ['an urgent task: the account read, the alert posted', 'urgent', 1],
    ['a medium task: neither alert nor digest line, so the account is not read', 'medium', 0],
    ['a task.created without its task: nothing read', undefined, 0],
  ])('%s', async (_name, priority, reads) => {
    const { deps, posts } = fakes();
    let read = 0;
    const get = deps.accounts.get;
    deps.accounts = { ...deps.accounts, get: (id) => (read++, get(id)) };
    await notifyEvent(deps, event('task.created', priority ? { task: task(priority) } : {}));
    expect(read).toBe(reads);
    expect(posts).toHaveLength(reads);
  });

  it("the digests read every CSM's changes in one call and name their accounts in one look-up, and read the same as one call per CSM", async () => {
    const lines = new Map([
      ['dana', new Map([['acme', ['tier yellow → red (red)']]])],
      ['sam', new Map([['beta', ['flag raised: promoter']]])],
    ]);
    const texts: string[][] = [];
    for (const together of [false, true]) {
      const { deps, posts } = fakes();
      const calls: string[] = [];
      const names = deps.accounts.names;
      deps.accounts = { ...deps.accounts, names: (ids) => (calls.push(`names ${ids.join(',')}`), names(ids)) };
      deps.digest = {
        openTasks: async (csm) => (csm.id === 'dana' ? [{ id: 't1', accountId: 'acme', title: 'Call', priority: 'high', dueAt: NOW }] : []),
        noteChange: async () => {},
        changes: async (csm) => (calls.push(`changes ${csm}`), lines.get(csm) ?? new Map()),
        ...(together ? { changesOf: async (ids: string[]) => (calls.push(`changesOf ${ids.join(',')}`), new Map(ids.map((id) => [id, lines.get(id)!]))) } : {}),
      };
      await sendDigests(deps);
      expect(calls.filter((c) => c.startsWith('names'))).toEqual(['names acme,beta']);
      expect(calls.filter((c) => c.startsWith('changes'))).toEqual(together ? ['changesOf dana,sam'] : ['changes dana', 'changes sam']);
      texts.push(posts.map((p) => p.text));
    }
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[0]!.length).toBeGreaterThan(0);
  });

  it('does nothing for an unknown account, and sends no empty digest', async () => {
    const { deps, posts } = fakes();
    expect(await notifyEvent(deps, { ...red, accountId: 'gone' })).toMatchObject({ posted: 0, alerts: 0 });
    expect(await sendDigests(deps)).toMatchObject({ digests: 0, posted: 0 });
    expect(posts).toEqual([]);
  });
});
