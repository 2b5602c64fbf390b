import { describe, expect, it } from 'vitest';
import { deliver, refusedBySes, type DeliveryRequest } from '../../functions/core/email/deliver.ts';
import { playsWorld } from './support/plays-world.ts';

/** deliver() over in-memory ports: what reaches the mailer and the send ledger, per failure. */
const NOW = '2026-01-08T09:00:00.000Z';
const request: DeliveryRequest = { accountId: 'acme', runKey: 'onboarding-acme-20260101-abc', play: 'onboarding', step: 'day-7', day: 7, template: 'checkin-inactive', category: 'onboarding' };
const SEND_KEY = 'onboarding-acme-20260101-abc#day-7#ana@acme.example';

function world(status: 'active' | 'churned' | 'trial' = 'active') {
  const w = playsWorld({ now: NOW });
  w.addAccount({ status });
  return w;
}

const sesError = (name: string) => Object.assign(new Error(`${name} from SES`), { name });

describe('deliver: exactly once', () => {
  it('sends once, records the send, and a retry sends nothing more', async () => {
    const w = world();
    expect(await deliver(w.deps, request)).toEqual({ outcome: 'sent', messageId: 'msg-1', to: 'ana@acme.example' });
    expect(w.ledger.get(SEND_KEY)).toMatchObject({ status: 'sent', messageId: 'msg-1', sentAt: NOW, contact: 'ana@acme.example', template: 'checkin-inactive', play: 'onboarding', step: 'day-7' });
    expect(await deliver(w.deps, request)).toEqual({ outcome: 'duplicate', previous: 'sent', messageId: 'msg-1' });
    expect(w.sent).toHaveLength(1);
  });

  it('sends again for another run or another step (the key is run, step and contact)', async () => {
    const w = world();
    await deliver(w.deps, request);
    expect((await deliver(w.deps, { ...request, runKey: 'onboarding-acme-20260201-def' })).outcome).toBe('sent');
    expect((await deliver(w.deps, { ...request, step: 'day-14', day: 14 })).outcome).toBe('sent');
    expect(w.sent).toHaveLength(3);
    expect(w.ledger.size).toBe(3);
  });

  it.each(['TooManyRequestsException', 'MessageRejected', 'ThrottlingException'])('gives the claim back on a clear refusal (%s), so the retry sends', async (name) => {
    const w = world();
    w.mailerFailures.push(sesError(name));
    await expect(deliver(w.deps, request)).rejects.toThrow(`${name} from SES`);
    expect(w.ledger.size).toBe(0);
    expect(await deliver(w.deps, request)).toMatchObject({ outcome: 'sent', messageId: 'msg-1' });
    expect(w.sent).toHaveLength(1);
  });

  it.each(['TimeoutError', 'InternalFailure', 'ECONNRESET'])('keeps the claim when SES may have sent (%s): the retry sends nothing and reports unknown', async (name) => {
    const w = world();
    w.mailerFailures.push(sesError(name));
    await expect(deliver(w.deps, request)).rejects.toThrow(name);
    expect(w.ledger.get(SEND_KEY)?.status).toBe('claimed');
    expect(await deliver(w.deps, request)).toEqual({ outcome: 'duplicate', previous: 'unknown', messageId: null });
    expect(w.sent).toHaveLength(0);
  });

  it('skips a churned account and claims nothing', async () => {
    const w = world('churned');
    expect(await deliver(w.deps, request)).toEqual({ outcome: 'skipped', reason: 'account churned' });
    expect(w.sent).toEqual([]);
    expect(w.ledger.size).toBe(0);
  });

  it('fails for an unknown account, claiming nothing', async () => {
    const w = world();
    await expect(deliver(w.deps, { ...request, accountId: 'nobody' })).rejects.toThrow('account "nobody" not found');
    expect(w.ledger.size).toBe(0);
  });
});

describe('deliver: what the email says', () => {
  it("carries the account's own figures, the step day, the sender and the tags", async () => {
    const w = world();
    const sent = await deliver(w.deps, request);
    expect(sent.outcome).toBe('sent');
    const email = w.sent[0]!;
    expect(email).toMatchObject({
      from: 'Acme Customer Success <success@acme.example>',
      replyTo: 'help@acme.example',
      to: 'ana@acme.example',
      subject: 'Your Acme Analytics seats are waiting, Ana',
      tags: { play: 'onboarding', step: 'day-7', account: 'acme' },
    });
    expect(email.text).toContain('Day 7 with Acme Analytics, and nobody at Acme has used it');
    expect(email.text).toContain('0 of 5 seats have been active');
    expect(email.text).toContain('Most teams start with dashboards');
    expect(email.html).toContain('<strong>dashboards</strong>');
  });

  it('counts the usage of the last 30 days: active users, features used, the next feature to try', async () => {
    const w = world();
    w.addUsage('acme', '2026-01-07', ['u1', 'u2'], ['dashboards', 'reports']);
    w.addUsage('acme', '2026-01-05', ['u3'], ['dashboards']);
    w.addUsage('acme', '2025-11-01', ['u4', 'u5'], ['alerts']); // outside the window
    await deliver(w.deps, { ...request, template: 'checkin-active', step: 'day-14', day: 14 });
    const email = w.sent[0]!;
    expect(email.subject).toBe('3 of your team used Acme Analytics this month');
    expect(email.text).toContain('Day 14 with Acme Analytics: 3 of 5 seats have been active, using 2 of 6 features.');
    expect(email.text).toContain('also use alerts');
  });

  it('renders before it claims: an unknown template fails and claims nothing', async () => {
    const w = world();
    await expect(deliver(w.deps, { ...request, template: 'no-such-template' as never })).rejects.toThrow();
    expect(w.ledger.size).toBe(0);
    expect(w.sent).toEqual([]);
  });
});

describe('refusedBySes', () => {
  it.each<[unknown, boolean]>([
    [{ name: 'MessageRejected' }, true],
    [{ name: 'SendingPausedException' }, true],
    [{ name: 'TimeoutError' }, false],
    [{ name: 'InternalFailure' }, false],
    [new Error('boom'), false],
    [undefined, false],
  ])('%j -> %s', (err, expected) => {
    expect(refusedBySes(err)).toBe(expected);
  });
});
