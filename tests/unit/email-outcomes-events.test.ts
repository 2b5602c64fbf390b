import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock.ts';
import { applySesEvent, sesEventDetailSchema } from '../../functions/core/email/feedback.ts';
import { signToken, verifyToken } from '../../functions/core/email/token.ts';
import { unsubscribe } from '../../functions/core/email/unsubscribe.ts';
import type { EmailOutcome, SendOutcomes } from '../../functions/core/metrics/email-outcomes.ts';
import { memoryEmailDeps, TEST_KEY } from '../support/email.ts';

const at = new Date('2026-02-03T12:00:00Z');
/** Records what would be recorded on the send, once per message and outcome, as the ledger's conditional write does. */
function memoryOutcomes() {
  const seen = new Set<string>();
  const calls: [string, EmailOutcome][] = [];
  const port: SendOutcomes = {
    record: async (messageId, outcome) => {
      calls.push([messageId, outcome]);
      const first = !seen.has(`${messageId}|${outcome}`);
      seen.add(`${messageId}|${outcome}`);
      return first;
    },
    recordOnSend: async (accountId, sendKey, outcome) => port.record(`${accountId}|${sendKey}`, outcome, at),
  };
  return { port, calls };
}
const mail = { timestamp: '2026-02-02T10:00:00Z', messageId: 'msg-1', destination: ['ana@acme.example'], tags: { account: ['acme'], send: ['s1'] } };

describe('SES events to email outcomes', () => {
  it.each([
    ['Open', {}, 'opened'],
    ['Click', {}, 'clicked'],
    ['Bounce', { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ana@acme.example' }] } }, 'bounced'],
    ['Complaint', { complaint: { complainedRecipients: [{ emailAddress: 'ana@acme.example' }] } }, 'complained'],
    // A full mailbox is not a bounce of the email; Send and Delivery are not outcomes.
    ['Bounce', { bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'ana@acme.example' }] } }, undefined],
    ['Send', {}, undefined],
    ['Delivery', {}, undefined],
  ])('%s %j records %s', async (eventType, extra, outcome) => {
    const mem = memoryEmailDeps();
    const outcomes = memoryOutcomes();
    await applySesEvent({ ...mem.deps, outcomes: outcomes.port }, sesEventDetailSchema.parse({ eventType, mail, ...extra }), at);
    expect(outcomes.calls).toEqual(outcome ? [['msg-1', outcome]] : []);
  });

  it('an unsubscribe link names its send: the one-click unsubscribe records it on that send', async () => {
    const token = signToken(TEST_KEY, {
      contact: 'ana@acme.example',
      accountId: 'acme',
      category: 'tips',
      expires: at.getTime() / 1000 + 3600,
      sendKey: 'run-1#welcome#ana@acme.example',
    });
    expect(verifyToken(TEST_KEY, token, at)).toMatchObject({ sendKey: 'run-1#welcome#ana@acme.example' });
    const mem = memoryEmailDeps();
    const outcomes = memoryOutcomes();
    const deps = { clock: fixedClock(at), preferences: mem.deps.preferences, key: async () => TEST_KEY, outcomes: outcomes.port };
    await unsubscribe(deps, token);
    expect(outcomes.calls).toEqual([['acme|run-1#welcome#ana@acme.example', 'unsubscribed']]);
    // A link from before sends were named: the opt-out still works, nothing is counted.
    const old = signToken(TEST_KEY, { contact: 'ana@acme.example', accountId: 'acme', category: 'tips', expires: at.getTime() / 1000 + 3600 });
    expect(verifyToken(TEST_KEY, old, at).sendKey).toBeUndefined();
    await unsubscribe(deps, old);
    expect(outcomes.calls).toHaveLength(1);
  });
});
