import { describe, expect, it } from 'vitest';
import { noteEntry, recordingTimeline, taskDoneEntry, ticketEntry, timelineOfEvent, type TimelineEntry } from '../../functions/core/timeline.ts';
import { readTimeline, timelineQuerySchema, type TimelineRepo } from '../../functions/core/timeline-query.ts';
import { timelineItemOf } from '../../functions/data/timeline.ts';
import type { TendEvent } from '../../functions/core/ports.ts';

const AT = '2026-03-03T07:00:00.000Z';
const event = (type: TendEvent['type'], detail: Record<string, unknown>): TendEvent => ({ type, accountId: 'acme', at: AT, detail });
const task = {
  id: 't1',
  accountId: 'acme',
  title: 'Call',
  priority: 'urgent',
  status: 'open',
  dueAt: AT,
  createdAt: AT,
  play: 'save',
  step: 'review',
  executionName: 'x',
};

describe('timeline entries of published events', () => {
  it.each([
    [event('tier.changed', { from: 'yellow', to: 'red', band: 'red', score: 41 }), 'tier.changed', 'yellow-red', 'Tier yellow → red'],
    [event('tier.changed', { from: null, to: 'red', band: 'red' }), 'tier.changed', 'none-red', 'Tier (first score) → red'],
    [event('flag.started', { flag: 'usage-drop', kind: 'risk' }), 'flag.raised', 'usage-drop', 'Flag raised: usage-drop'],
    [event('flag.stopped', { flag: 'usage-drop', kind: 'risk' }), 'flag.cleared', 'usage-drop', 'Flag cleared: usage-drop'],
    [event('milestone.reached', { milestone: 'firstValue' }), 'milestone', 'firstValue', 'Milestone reached: firstValue'],
    [event('task.created', { task }), 'task.created', 't1', 'Task created: Call (urgent)'],
    [event('account.created', { segment: 'tech-touch' }), 'account.created', 'acme', 'Account created'],
    [event('account.churned', {}), 'account.churned', 'acme', 'Account churned'],
    [
      event('play.save-started', { play: 'save', step: 'review', executionName: 'e1' }),
      'play.step',
      'e1#review#play.save-started',
      'Play save: play.save-started',
    ],
  ])('%j is a %s entry', (e, kind, ref, summary) => {
    expect(timelineOfEvent(e)).toEqual([expect.objectContaining({ accountId: 'acme', kind, at: AT, ref, summary })]);
  });

  it('records the entries before publishing, so a retried publish writes the same entries', async () => {
    const written: TimelineEntry[][] = [];
    const published: TendEvent[][] = [];
    const publisher = recordingTimeline({ publish: async (e) => void published.push(e) }, { record: async (e) => void written.push(e) });
    const events = [event('flag.started', { flag: 'usage-drop' }), event('tier.changed', { from: 'green', to: 'yellow', band: 'yellow' })];
    await publisher.publish(events);
    await publisher.publish(events);
    expect(written[0]).toEqual(written[1]);
    expect(written[0]!.map((e) => e.kind)).toEqual(['flag.raised', 'tier.changed']);
    expect(published).toEqual([events, events]);
  });
});

describe('timeline items', () => {
  it('keys an entry by time, kind and source, small and expiring after two years', () => {
    const item = timelineItemOf(noteEntry({ id: 'n1', accountId: 'acme', at: AT, author: 'Dana', text: 'x'.repeat(5000), pinned: true }));
    expect(item).toMatchObject({ pk: 'ACCOUNT#acme', sk: `TL#${AT}#note#n1`, kind: 'note', detail: { noteId: 'n1', author: 'Dana', pinned: true } });
    expect(String(item.summary).length).toBe(200);
    expect(Number(item.expiresAt)).toBe(Date.parse(AT) / 1000 + 730 * 86_400);
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(1024);
  });

  it('gives a ticket one entry per status, and a task its done entry', () => {
    const open = ticketEntry({ id: 'k1', accountId: 'acme', status: 'open', priority: 'high', openedAt: AT });
    const closed = ticketEntry({ id: 'k1', accountId: 'acme', status: 'closed', priority: 'high', openedAt: AT, closedAt: '2026-03-05T00:00:00Z' });
    expect([open.ref, closed.ref, closed.at]).toEqual(['k1#open', 'k1#closed', '2026-03-05T00:00:00Z']);
    expect(taskDoneEntry({ id: 't1', accountId: 'acme', title: 'Call', doneAt: AT, outcome: 'reached the champion' })).toMatchObject({
      kind: 'task.done',
      summary: 'Task done: Call (reached the champion)',
    });
  });
});

describe('GET /v1/accounts/{id}/timeline query', () => {
  it.each([
    [{}, { limit: 25 }],
    [
      { limit: '100', kinds: 'email.sent, survey' },
      { limit: 100, kinds: ['email.sent', 'survey'] },
    ],
  ])('takes %j', (q, out) => expect(timelineQuerySchema.parse(q)).toEqual(out));

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '2.5' }, 'limit'],
    [{ kinds: 'email.sent,nope' }, 'kinds'],
    [{ kinds: ',' }, 'kinds'],
    [{ cursor: 'no spaces' }, 'cursor'],
  ])('refuses %j at %s', (q, field) => {
    const r = timelineQuerySchema.safeParse(q);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path[0]).toBe(field);
  });

  const repo = (items: number, pageLast?: string): TimelineRepo & { calls: unknown[] } => {
    const calls: unknown[] = [];
    return {
      calls,
      record: async () => {},
      page: async (accountId, options) => {
        calls.push(options);
        return { items: Array.from({ length: items }, (_, i) => ({ at: AT, kind: 'survey' as const, ref: `s${i}`, summary: 'NPS 9' })), last: pageLast };
      },
    };
  };

  it('hands the cursor back as the key it came from, and refuses one that is not a timeline key', async () => {
    const timeline = repo(2, `TL#${AT}#survey#s1`);
    const page = await readTimeline({ timeline, accounts: { get: async () => undefined } }, 'acme', { limit: 2 });
    expect(page.nextCursor).toBe(Buffer.from(`TL#${AT}#survey#s1`).toString('base64url'));
    await readTimeline({ timeline, accounts: { get: async () => undefined } }, 'acme', { limit: 2, cursor: page.nextCursor });
    expect(timeline.calls[1]).toEqual({ limit: 2, before: `TL#${AT}#survey#s1`, kinds: undefined });
    await expect(
      readTimeline({ timeline, accounts: { get: async () => undefined } }, 'acme', { limit: 2, cursor: Buffer.from('S#PROFILE').toString('base64url') }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('is a 404 for an account that does not exist, and an empty page for one with no history', async () => {
    await expect(readTimeline({ timeline: repo(0), accounts: { get: async () => undefined } }, 'ghost', { limit: 5 })).rejects.toMatchObject({ status: 404 });
    const found = { get: async () => ({ id: 'quiet' }) as never };
    expect(await readTimeline({ timeline: repo(0), accounts: found }, 'quiet', { limit: 5 })).toEqual({ items: [] });
  });
});
