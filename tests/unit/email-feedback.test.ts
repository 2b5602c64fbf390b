import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock.ts';
import { applySesEvent, sesEventDetailSchema } from '../../functions/core/email/feedback.ts';
import { encodeTag } from '../../functions/core/email/policy.ts';
import { signToken } from '../../functions/core/email/token.ts';
import { checkUnsubscribe, unsubscribe, unsubscribePage } from '../../functions/core/email/unsubscribe.ts';
import { memoryEmailDeps, TEST_KEY } from '../support/email.ts';

const at = new Date('2026-02-03T12:00:00Z');
const mail = (extra: Record<string, unknown> = {}) => ({
  timestamp: '2026-02-02T10:00:00Z',
  messageId: 'msg-1',
  destination: ['Ana Ortiz <ana@acme.example>'],
  tags: { account: [encodeTag('acme.com')] },
  ...extra,
});
const apply = (detail: unknown) => {
  const mem = memoryEmailDeps();
  return { mem, run: () => applySesEvent(mem.deps, sesEventDetailSchema.parse(detail), at) };
};

describe('SES events', () => {
  it('a permanent bounce suppresses each bounced recipient, with the diagnostic', async () => {
    const { mem, run } = apply({
      eventType: 'Bounce',
      mail: mail(),
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Ana@Acme.example', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
    });
    expect(await run()).toEqual({ suppressed: ['ana@acme.example'], counted: 'bounced' });
    expect(mem.suppressed.get('ana@acme.example')).toEqual({ reason: 'hard bounce: smtp; 550 5.1.1 user unknown', source: 'ses-bounce', at: at.toISOString() });
  });

  it('a transient bounce (a full mailbox) suppresses nobody', async () => {
    const { mem, run } = apply({
      eventType: 'Bounce',
      mail: mail(),
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'ana@acme.example' }] },
    });
    expect(await run()).toEqual({ suppressed: [] });
    expect(mem.suppressed.size).toBe(0);
  });

  it('a complaint suppresses the complainant, or the destination when SES names nobody', async () => {
    const named = apply({ eventType: 'Complaint', mail: mail(), complaint: { complainedRecipients: [{ emailAddress: 'bob@acme.example' }] } });
    expect(await named.run()).toEqual({ suppressed: ['bob@acme.example'], counted: 'complained' });
    const anonymous = apply({ eventType: 'Complaint', mail: mail(), complaint: {} });
    expect(await anonymous.run()).toEqual({ suppressed: ['ana@acme.example'], counted: 'complained' });
  });

  it('an event tagged with a send id settles that send (the first event stands) and a Send counts once towards the reputation', async () => {
    const mem = memoryEmailDeps();
    const send = sesEventDetailSchema.parse({ eventType: 'Send', mail: mail({ tags: { account: ['acme'], send: ['abc_-123'] } }) });
    expect(await applySesEvent(mem.deps, send, at)).toEqual({ suppressed: [], confirmed: 'abc_-123', counted: 'sent' });
    expect(await applySesEvent(mem.deps, send, at)).toEqual({ suppressed: [], confirmed: 'abc_-123' });
    const delivery = sesEventDetailSchema.parse({ eventType: 'Delivery', mail: mail({ tags: { send: ['abc_-123'] } }) });
    expect(await applySesEvent(mem.deps, delivery, at)).toEqual({ suppressed: [], confirmed: 'abc_-123' });
    expect(mem.confirmed.get('abc_-123')).toEqual({ sendId: 'abc_-123', messageId: 'msg-1', event: 'Send', at: '2026-02-02T10:00:00Z' });
    expect(mem.reputationDays.get('2026-02-02')).toEqual({ day: '2026-02-02', sent: 1, bounced: 0, complained: 0 });
  });

  it('an open or a click counts for the account in the tag, on the day the email was sent', async () => {
    const { mem, run } = apply({ eventType: 'Click', mail: mail(), click: { timestamp: at.toISOString() } });
    expect(await run()).toEqual({ suppressed: [], engagement: 'clicked' });
    expect(mem.engagement).toEqual([{ accountId: 'acme.com', day: '2026-02-02', kind: 'clicked', messageId: 'msg-1' }]);
  });
});

describe('unsubscribe', () => {
  const deps = () => {
    const mem = memoryEmailDeps();
    return { mem, deps: { clock: fixedClock(at), preferences: mem.deps.preferences, key: async () => TEST_KEY } };
  };
  const token = (category: string, expires = at.getTime() / 1000 + 60) =>
    signToken(TEST_KEY, { contact: 'ana@acme.example', accountId: 'acme', category, expires });

  it('checking a link changes nothing; the one-click POST opts out of that category', async () => {
    const { mem, deps: d } = deps();
    expect(await checkUnsubscribe(d, token('tips'))).toMatchObject({ contact: 'ana@acme.example', category: 'tips' });
    expect(mem.optOuts.size).toBe(0);
    expect(await unsubscribe(d, token('tips'))).toEqual({ contact: 'ana@acme.example', categories: ['tips'] });
    expect(await mem.deps.preferences.optedOut('acme', 'ana@acme.example')).toEqual(['tips']);
  });

  it('the link of a renewal notice opts out of every optional category (renewal notices still go out)', async () => {
    const { mem, deps: d } = deps();
    await unsubscribe(d, token('renewal'));
    expect((await mem.deps.preferences.optedOut('acme', 'ana@acme.example')).sort()).toEqual(['onboarding', 'success', 'tips']);
  });

  it('an expired link changes nothing', async () => {
    const { mem, deps: d } = deps();
    await expect(unsubscribe(d, token('tips', at.getTime() / 1000 - 1))).rejects.toMatchObject({ status: 410 });
    expect(mem.optOuts.size).toBe(0);
  });

  it('the page escapes what it shows', () => {
    expect(unsubscribePage({ title: '<x>', message: 'a & b', productName: 'P' })).toContain('&#60;x&#62;');
  });
});
