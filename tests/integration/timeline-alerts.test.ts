import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/data/keys.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => iso(ms).slice(0, 10);

type Item = { at: string; kind: string; ref: string; summary: string; detail?: Record<string, unknown> };

/**
 * Two tech-touch accounts owned by the configured CSMs (tend.config.ts: Dana with a Slack id, Sam
 * without) are scored red on the local runtime: the save and renewal plays run, Tend's own
 * functions write the timeline and publish the events the notifier turns into Slack messages on
 * the stand-in (local/slack.ts), with the configured routing; the daily digest follows.
 */
describe('the account timeline and Slack alerts on the local runtime', () => {
  let rt: TestRuntime;
  let notifier: string;

  const advance = async (toMs: number) => {
    while (rt.clock.nowMs() < toMs) {
      rt.clock.advanceTo(Math.min(toMs, rt.clock.nowMs() + 6 * HOUR));
      await rt.idle();
    }
  };
  const account = async (id: string, csm: { name: string; email: string }, extra: Record<string, unknown> = {}) => {
    const res = await rt.request('POST', '/v1/accounts', {
      id,
      name: `${id} Inc`,
      seats: 20,
      arr: 8_000,
      startDate: iso(T0 - 300 * DAY),
      renewalDate: dayOf(T0 + 60 * DAY),
      primaryContact: { email: `pat@${id}.example`, name: 'Pat Lee' },
      csm,
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  };
  const timeline = async (id: string, query = '') => rt.request('GET', `/v1/accounts/${id}/timeline${query}`);
  /** Every page, `limit` at a time, following nextCursor. */
  const allPages = async (id: string, limit: number, extra = '') => {
    const items: Item[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await timeline(id, `?limit=${limit}${extra}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body!.items.length).toBeLessThanOrEqual(limit);
      items.push(...(res.body!.items as Item[]));
      cursor = res.body!.nextCursor as string | undefined;
      pages++;
    } while (cursor && pages < 100);
    return { items, pages };
  };
  const messages = () => rt.slack.messages;
  const to = (channel: string) => messages().filter((m) => m.channel === channel);
  const invokeNotifier = (event: unknown) => rt.lambdas.invoke(notifier, event);

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(T0), paused: true, schedules: true });
    notifier = rt.lambdas.byLogicalId('NotifierHandler').arn;
    await account('tl-acme', { name: 'Dana Reyes', email: 'dana@acme.example' });
    await account('tl-sam', { name: 'Sam Ito', email: 'sam@acme.example' });
    await rt.idle();
    // A Slack 500 on the first post: the SDK retries it (the message goes out once).
    rt.slack.fail({ kind: '500' });
    // No usage at all for accounts of 300 days: the first daily scoring (06:00) finds them red.
    await advance(T0 + 22 * HOUR);
    await rt.request('POST', '/v1/surveys', {
      surveys: [{ id: 's1', accountId: 'tl-acme', kind: 'nps', score: 4, answeredAt: iso(rt.clock.nowMs() - HOUR), comment: 'Too slow lately' }],
    });
    await rt.request('POST', '/v1/tickets', {
      tickets: [
        { id: 't1', accountId: 'tl-acme', status: 'open', priority: 'high', openedAt: iso(rt.clock.nowMs() - 30 * 60_000), subject: 'Exports time out' },
      ],
    });
    await rt.request('POST', '/v1/accounts/tl-acme/milestones', { milestone: 'kickoff-held' });
    await account('tl-acme', { name: 'Dana Reyes', email: 'dana@acme.example' }, { arr: 9_000 });
    // The save outreach goes out when the contact's sending window opens; the customer opens it, as SES reports it.
    await advance(rt.clock.nowMs() + 3 * HOUR);
    const outreach = rt.ses.outbox().find((e) => e.destination.to.includes('pat@tl-acme.example'));
    if (outreach) {
      const mail = { timestamp: iso(rt.clock.nowMs()), messageId: outreach.messageId, destination: outreach.destination.to, tags: { account: ['tl-acme'] } };
      rt.events.put([
        { Source: 'aws.ses', DetailType: 'Email Opened', Detail: JSON.stringify({ eventType: 'Open', mail, open: { timestamp: iso(rt.clock.nowMs()) } }) },
      ]);
    }
    await advance(rt.clock.nowMs() + HOUR);
  }, 120_000);
  afterAll(() => rt?.stop());

  it("lists each kind of an account's history, newest first, the same through any page size", async () => {
    const { items, pages } = await allPages('tl-acme', 100);
    expect(pages).toBe(1);
    const kinds = new Set(items.map((i) => i.kind));
    for (const kind of [
      'account.created',
      'arr.changed',
      'tier.changed',
      'flag.raised',
      'task.created',
      'play.step',
      'email.sent',
      'email.opened',
      'survey',
      'ticket',
      'milestone',
    ])
      expect(kinds, `${kind} in ${[...kinds].join(', ')}`).toContain(kind);
    const times = items.map((i) => i.at);
    expect(times, 'newest first').toEqual([...times].sort().reverse());
    expect(items.find((i) => i.kind === 'tier.changed')!.detail).toMatchObject({ band: 'red' });
    expect(items.find((i) => i.kind === 'survey')!.summary).toBe('NPS 4: Too slow lately');
    expect(items.filter((i) => i.kind === 'arr.changed').map((i) => i.detail!.arrAfter)).toContain(9_000);

    const paged = await allPages('tl-acme', 3);
    expect(paged.pages).toBeGreaterThanOrEqual(Math.ceil(items.length / 3));
    expect(paged.items).toEqual(items);
  });

  it('filters by kind (pages may come short; the cursor goes on) and refuses bad input with a 400 naming the field', async () => {
    const { items } = await allPages('tl-acme', 4, '&kinds=task.created,survey');
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['task.created', 'survey']));
    const all = (await allPages('tl-acme', 100)).items.filter((i) => i.kind === 'task.created' || i.kind === 'survey');
    expect(items).toEqual(all);
    for (const [query, field] of [
      ['?kinds=email.sent,nonsense', 'kinds'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?cursor=bm90LWEta2V5', 'cursor'],
    ] as const) {
      const res = await timeline('tl-acme', query);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(field);
    }
    expect((await timeline('no-such-account')).status).toBe(404);
  });

  it('posts each alert to its configured destination once: urgent tasks to the owner, red and renewals at risk to the owner and their channels', async () => {
    const dana = to('U0DANA01');
    expect(dana.some((m) => /task on tl-acme Inc/.test(m.text))).toBe(true);
    expect(dana.some((m) => /tl-acme Inc turned red/.test(m.text))).toBe(true);
    expect(dana.some((m) => /Renewal at risk: tl-acme Inc/.test(m.text))).toBe(true);
    expect(to('#cs-alerts').some((m) => /tl-acme Inc turned red/.test(m.text))).toBe(true);
    expect(to('#renewals').some((m) => /Renewal at risk: tl-acme Inc/.test(m.text))).toBe(true);
    // Sam has no Slack id and tend.config.ts no fallback channel: his task alerts are dropped (his digest lists them);
    // his account's red turn still reaches the channel.
    expect(messages().some((m) => /task on tl-sam Inc/.test(m.text))).toBe(false);
    expect(to('#cs-alerts').some((m) => /tl-sam Inc turned red/.test(m.text))).toBe(true);
    expect(messages().some((m) => m.channel === 'U0DANA01' && /tl-sam/.test(m.text))).toBe(false);
    // Every message links to its account; none was posted twice (the first call failed with a 500 and was retried by the SDK).
    for (const m of messages()) expect(JSON.stringify(m.blocks), m.text).toMatch(/\/v1\/accounts\/tl-(acme|sam)\/card/);
    const seen = messages().map((m) => `${m.channel}|${m.text}`);
    expect(seen).toEqual([...new Set(seen)]);
    expect(rt.slack.calls).toBe(messages().length + 1);
  });

  it('posts once when the same event is delivered again, and after a failed delivery posts on the retry only', async () => {
    const before = messages().length;
    const task = {
      id: 'manual-1',
      accountId: 'tl-acme',
      title: 'Escalate to the VP',
      priority: 'urgent',
      status: 'open',
      dueAt: iso(rt.clock.nowMs() + DAY),
      createdAt: iso(rt.clock.nowMs()),
      owner: 'dana@acme.example',
      play: 'save',
      step: 'review',
      executionName: 'x',
    };
    const event = { source: 'tend', 'detail-type': 'task.created', detail: { accountId: 'tl-acme', at: task.createdAt, task } };
    // Three 500s: more than the SDK's two retries. The invocation fails (Lambda would retry it) and nothing is posted.
    rt.slack.fail({ kind: '500' }, 3);
    await expect(invokeNotifier(event)).rejects.toThrow(/AlertDeliveryError|failed/);
    expect(messages().length).toBe(before);
    // Lambda's retry: posted once. Delivered again (EventBridge is at-least-once): nothing more.
    await invokeNotifier(event);
    await invokeNotifier(event);
    const posted = messages().slice(before);
    expect(posted.map((m) => m.channel)).toEqual(['U0DANA01']);
    expect(posted[0]!.text).toBe('urgent task on tl-acme Inc: Escalate to the VP');
  });

  it('waits out a rate limit (429 with Retry-After) and posts once', async () => {
    const before = messages().length;
    rt.slack.fail({ kind: 'ratelimited', retryAfterSeconds: 1 });
    const task = {
      id: 'manual-2',
      accountId: 'tl-acme',
      title: 'Book the QBR',
      priority: 'high',
      status: 'open',
      dueAt: iso(rt.clock.nowMs() + DAY),
      createdAt: iso(rt.clock.nowMs()),
      owner: 'dana@acme.example',
      play: 'save',
      step: 'review',
      executionName: 'x',
    };
    await invokeNotifier({ source: 'tend', 'detail-type': 'task.created', detail: { accountId: 'tl-acme', at: task.createdAt, task } });
    expect(
      messages()
        .slice(before)
        .map((m) => m.text),
    ).toEqual(['high task on tl-acme Inc: Book the QBR']);
  });

  it('sends the daily digest at 07:00: a Slack message to a CSM with a Slack id, an email to one without, once', async () => {
    const outboxBefore = rt.ses.outbox().length;
    const day = dayOf(rt.clock.nowMs() + DAY);
    // Dana's queue: one task due that day, one overdue, one overdue but done (the plays' own tasks are due later).
    for (const [id, dueAt, status] of [
      ['due-today', `${day}T15:00:00.000Z`, 'open'],
      ['overdue', '2026-03-01T10:00:00.000Z', 'open'],
      ['finished', '2026-03-01T09:00:00.000Z', 'done'],
    ] as const)
      await rt.db.send(
        new PutCommand({
          TableName: rt.tableName,
          Item: {
            ...keys.task('tl-acme', id),
            ...keys.taskIndex('dana@acme.example', dueAt, id),
            id,
            accountId: 'tl-acme',
            title: `Task ${id}`,
            priority: 'high',
            status,
            dueAt,
            createdAt: iso(T0),
            owner: 'dana@acme.example',
            play: 'save',
            step: 'review',
            executionName: 'x',
          },
        }),
      );
    await advance(Date.parse(`${day}T07:30:00Z`));
    const digest = to('U0DANA01').filter((m) => m.text.startsWith('Your day'));
    expect(digest.map((m) => m.text)).toEqual([`Your day, ${day}: 1 due today, 1 overdue, 1 account changed`]);
    const shown = JSON.stringify(digest[0]!.blocks);
    for (const text of ['Task due-today', 'Task overdue', 'tl-acme Inc', 'tier (first score) → red'])
      expect(shown).toContain(text.replace('(first score)', 'none'));
    expect(shown).not.toContain('Task finished');
    const emails = rt.ses
      .outbox()
      .slice(outboxBefore)
      .filter((e) => e.destination.to.includes('sam@acme.example'));
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe(`Your day, ${day}: 0 due today, 0 overdue, 1 account changed`);
    // The schedule fired again (a retry): nothing goes out twice.
    await invokeNotifier({ digest: true });
    expect(to('U0DANA01').filter((m) => m.text.startsWith('Your day'))).toHaveLength(1);
    expect(rt.ses.outbox().filter((e) => e.destination.to.includes('sam@acme.example'))).toHaveLength(1);
  }, 60_000);
});
