import { sourceLibrary } from '../../functions/core/templates/compile.ts';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { deliver, throttleBackoffMs, type DeliveryDeps, type DeliveryRequest, type LoadedAccount } from '../../functions/core/email/deliver.ts';
import { verifyToken } from '../../functions/core/email/token.ts';
import { sendIdOf } from '../../functions/core/email/reconcile.ts';
import type { OutgoingEmail, SendLedger } from '../../functions/core/ports.ts';
import type { Account, Contact, SendRecord } from '../../functions/core/types.ts';
import userConfig from '../../tend.config.ts';
import { memoryEmailDeps, memoryLedger, TEST_KEY } from '../support/email.ts';

// Thursday 8 January 2026, 10:00 UTC: inside the default window (Mon-Fri 09-17, UTC).
const THURSDAY = '2026-01-08T10:00:00Z';

function world(
  options: { account?: Partial<Account>; contacts?: Partial<Contact>[]; at?: string; mailer?: (e: OutgoingEmail) => Promise<{ messageId: string }> } = {},
) {
  const account = {
    id: 'acme',
    name: 'Acme Corp',
    seats: 10,
    status: 'active',
    segment: 'tech-touch',
    startDate: '2025-01-01T00:00:00Z',
    renewalDate: '2026-03-01T00:00:00Z',
    primaryContact: { email: 'ana@acme.example', name: 'Ana Ortiz' },
    ...options.account,
  } as Account;
  const ledger = new Map<string, SendRecord>();
  const sent: OutgoingEmail[] = [];
  const ledgerRepo: SendLedger = memoryLedger(ledger);
  const email = memoryEmailDeps((options.contacts ?? []).map((c) => ({ accountId: 'acme', updatedAt: THURSDAY, ...c }) as Contact));
  let clock = fixedClock(options.at ?? THURSDAY);
  let n = 0;
  const deps: DeliveryDeps = {
    get clock() {
      return clock;
    },
    config: parseConfig(userConfig),
    templates: sourceLibrary(),
    ledger: ledgerRepo,
    mailer: { send: options.mailer ?? (async (e) => (sent.push(e), { messageId: `m${++n}` })) },
    ...email.deps,
  };
  // What the play step loaded: the account, and a year of usage (enough for any template).
  const loaded: LoadedAccount = {
    account,
    usage: {
      from: '2025-01-08',
      days: [
        { day: '2026-01-05', users: ['u1', 'u2'], features: ['reports'], userFeatures: ['u1|reports'] },
        { day: '2026-01-07', users: ['u1'], features: ['dashboards'], userFeatures: ['u1|dashboards'] },
      ],
    },
  };
  const req = (over: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
    accountId: 'acme',
    runKey: 'run-1',
    play: 'adoption',
    step: 'spotlight',
    day: 60,
    template: 'feature-spotlight',
    category: 'tips',
    ...over,
  });
  return { deps, req, loaded, sent, ledger, email, setNow: (at: string) => (clock = fixedClock(at)) };
}

describe('deliver', () => {
  it('sends with the one-click unsubscribe headers, https first, and a token for this contact and category', async () => {
    const w = world();
    const result = await deliver(w.deps, w.req(), w.loaded);
    expect(result).toEqual({ outcome: 'sent', messageId: 'm1', to: 'ana@acme.example' });
    const [email] = w.sent;
    expect(email!.headers.map((h) => h.name)).toEqual(['List-Unsubscribe', 'List-Unsubscribe-Post']);
    expect(email!.headers[0]!.value).toMatch(/^<https:\/\/api\.tend\.example\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+>$/);
    expect(email!.headers[1]!.value).toBe('List-Unsubscribe=One-Click');
    const token = email!.headers[0]!.value.match(/token=([^>]+)/)![1]!;
    expect(verifyToken(TEST_KEY, token, new Date(THURSDAY))).toMatchObject({ contact: 'ana@acme.example', accountId: 'acme', category: 'tips' });
    expect(email!.html).toContain(token);
    expect(email!.tags).toEqual({
      play: 'adoption',
      step: 'spotlight',
      account: 'acme',
      category: 'tips',
      send: sendIdOf('acme', 'run-1#spotlight#ana@acme.example'),
    });
    expect(email!.from).toBe('Acme Customer Success <success@acme.example>');
    expect(w.email.engagement).toEqual([{ accountId: 'acme', day: '2026-01-08', kind: 'sent', messageId: 'm1' }]);
  });

  it('sends a template of tend.config.ts, in place of the built-in one of the same id, and refuses an unknown one before claiming', async () => {
    const w = world();
    const config = parseConfig({
      ...userConfig,
      templates: {
        'feature-spotlight': {
          subject: '{{account.name}}: try {{usage.suggestedFeature}}',
          html: '<p>{{usage.featuresUsed}} of {{usage.featuresAvailable}} in use.</p>',
          text: '{{usage.featuresUsed}} of {{usage.featuresAvailable}} in use.',
        },
      },
    });
    const deps: DeliveryDeps = { ...w.deps, config, templates: sourceLibrary(config.templates) };
    expect((await deliver(deps, w.req(), w.loaded)).outcome).toBe('sent');
    expect(w.sent[0]!.subject).toMatch(/^Acme.*: try \w+/);
    expect(w.sent[0]!.text).toMatch(/^\d of 6 in use\./);
    await expect(deliver(deps, w.req({ template: 'nope', step: 'other' }), w.loaded)).rejects.toThrow('unknown template "nope"');
    expect(w.ledger.size).toBe(1);
  });

  it('adds the reply address of email.replies to Reply-To, after the human one', async () => {
    const w = world();
    const config = parseConfig({ ...userConfig, email: { replies: { address: 'replies@in.acme.example' } } });
    expect((await deliver({ ...w.deps, config }, w.req(), w.loaded)).outcome).toBe('sent');
    expect(w.sent[0]!.replyTo).toEqual(['help@acme.example', 'replies@in.acme.example']);
  });

  it('a retried step and a duplicate start send once', async () => {
    const w = world();
    await deliver(w.deps, w.req(), w.loaded);
    expect(await deliver(w.deps, w.req(), w.loaded)).toEqual({ outcome: 'duplicate', previous: 'sent', messageId: 'm1' });
    expect(w.sent).toHaveLength(1);
  });

  it('skips a suppressed address and claims nothing', async () => {
    const w = world();
    await w.email.deps.suppressions.suppress('ana@acme.example', { reason: 'hard bounce', source: 'ses-bounce' }, new Date(THURSDAY));
    expect(await deliver(w.deps, w.req(), w.loaded)).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
    expect(w.sent).toEqual([]);
    expect(w.ledger.size).toBe(0);
  });

  it('skips a category the contact opted out of, but still sends the transactional renewal notice', async () => {
    const w = world();
    await w.email.deps.preferences.optOut('acme', 'ana@acme.example', ['tips', 'onboarding', 'success'], new Date(THURSDAY));
    expect(await deliver(w.deps, w.req(), w.loaded)).toEqual({ outcome: 'skipped', reason: 'unsubscribed from tips' });
    expect(await deliver(w.deps, w.req({ step: 'notice', template: 'renewal-notice', category: 'renewal', day: -30 }), w.loaded)).toMatchObject({
      outcome: 'sent',
    });
    expect(w.sent[0]!.subject).toBe('Your Acme Analytics plan renews in 52 days');
  });

  it("defers outside the contact's window to the next opening, and claims nothing", async () => {
    const w = world({ contacts: [{ email: 'ana@acme.example', timezone: 'America/New_York' }] });
    // 10:00 UTC is 05:00 in New York: wait for 09:00 there (14:00 UTC).
    const result = await deliver(w.deps, w.req(), w.loaded);
    expect(result).toMatchObject({ outcome: 'deferred', until: '2026-01-08T14:00:00.000Z' });
    expect(w.ledger.size).toBe(0);
    w.setNow('2026-01-08T14:00:00Z');
    expect(await deliver(w.deps, w.req(), w.loaded)).toMatchObject({ outcome: 'sent' });
  });

  it("falls back to the account's time zone, then the default, and reports a stored invalid one", async () => {
    const w = world({ account: { timezone: 'Asia/Tokyo' } });
    // 10:00 UTC is 19:00 in Tokyo: Friday 09:00 there.
    expect(await deliver(w.deps, w.req(), w.loaded)).toMatchObject({ outcome: 'deferred', until: '2026-01-09T00:00:00.000Z' });
    const bad = world({ contacts: [{ email: 'ana@acme.example', timezone: 'Mars/Olympus' }] });
    const result = await deliver(bad.deps, bad.req(), bad.loaded);
    expect(result).toMatchObject({ outcome: 'sent', detail: expect.stringContaining('"Mars/Olympus" is not a valid IANA time zone; used the default UTC') });
  });

  it('caps at 3 emails in 7 days: tips are held back first, renewal is never blocked', async () => {
    const w = world();
    expect(await deliver(w.deps, w.req({ step: 'a', category: 'onboarding', template: 'welcome' }), w.loaded)).toMatchObject({ outcome: 'sent' });
    expect(await deliver(w.deps, w.req({ step: 'b', category: 'onboarding', template: 'welcome' }), w.loaded)).toMatchObject({ outcome: 'sent' });
    // Tips may only use 2 of the 3 slots.
    expect(await deliver(w.deps, w.req({ step: 'c' }), w.loaded)).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^frequency cap/) });
    expect(await deliver(w.deps, w.req({ step: 'd', category: 'success', template: 'onboarding-review' }), w.loaded)).toMatchObject({ outcome: 'sent' });
    expect(await deliver(w.deps, w.req({ step: 'e', category: 'success', template: 'onboarding-review' }), w.loaded)).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/^frequency cap/),
    });
    // Save outreach (critical) and the renewal notice are sent over the cap.
    expect(await deliver(w.deps, w.req({ step: 'f', category: 'success', template: 'save-outreach', priority: 'critical' }), w.loaded)).toMatchObject({
      outcome: 'sent',
      detail: expect.stringContaining('over the frequency cap'),
    });
    expect(await deliver(w.deps, w.req({ step: 'g', category: 'renewal', template: 'renewal-notice' }), w.loaded)).toMatchObject({ outcome: 'sent' });
    expect(w.sent).toHaveLength(5);
    // A retried capped step repeats the decision, it does not send.
    expect(await deliver(w.deps, w.req({ step: 'c' }), w.loaded)).toMatchObject({ outcome: 'skipped', reason: expect.stringMatching(/^frequency cap/) });
    // Eight days later the slots are free again.
    w.setNow('2026-01-16T10:00:00Z');
    expect(await deliver(w.deps, w.req({ step: 'h' }), w.loaded)).toMatchObject({ outcome: 'sent' });
  });

  it('a permanent SES rejection suppresses the address, records failed, and does not throw', async () => {
    const w = world({ mailer: async () => Promise.reject(Object.assign(new Error('Email address is not verified'), { name: 'MessageRejected' })) });
    expect(await deliver(w.deps, w.req(), w.loaded)).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('rejected by SES') });
    expect(w.email.suppressed.get('ana@acme.example')).toMatchObject({ source: 'ses-send' });
    expect([...w.ledger.values()][0]).toMatchObject({ status: 'failed' });
    expect(await deliver(w.deps, w.req({ step: 'other' }), w.loaded)).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
  });

  it('throttling gives the claim and the cap slot back and defers 1 to 5 minutes, so the play waits and sends later', async () => {
    let calls = 0;
    const w = world({
      mailer: async () =>
        calls++ === 0 ? Promise.reject(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' })) : { messageId: 'm9' },
    });
    const first = await deliver(w.deps, w.req(), w.loaded);
    expect(first).toMatchObject({ outcome: 'deferred', reason: expect.stringContaining('SES send rate reached (Maximum sending rate exceeded.)') });
    const wait = Date.parse((first as { until: string }).until) - Date.parse(THURSDAY);
    expect(wait).toBeGreaterThanOrEqual(60_000);
    expect(wait).toBeLessThan(300_000);
    expect(w.ledger.size).toBe(0);
    expect(await deliver(w.deps, w.req(), w.loaded)).toMatchObject({ outcome: 'sent', messageId: 'm9' });
    expect(w.email.slots.get('ana@acme.example')!.filter(Boolean)).toHaveLength(1);
  });

  it('spreads the waits of sends throttled together over the backoff window', () => {
    const waits = Array.from({ length: 200 }, (_, i) => throttleBackoffMs(`run-${i}#welcome#c${i}@x.example`, new Date(THURSDAY)));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(60_000);
    expect(Math.max(...waits)).toBeLessThan(300_000);
    expect(new Set(waits.map((w) => Math.floor(w / 30_000))).size).toBeGreaterThanOrEqual(7);
  });

  it('waits 1 to 2 hours when the daily quota is used up, not minutes', async () => {
    const w = world({ mailer: async () => Promise.reject(Object.assign(new Error('Daily message quota exceeded.'), { name: 'TooManyRequestsException' })) });
    const result = await deliver(w.deps, w.req(), w.loaded);
    expect(result).toMatchObject({ outcome: 'deferred', reason: expect.stringContaining('SES daily sending quota reached') });
    const wait = Date.parse((result as { until: string }).until) - Date.parse(THURSDAY);
    expect(wait).toBeGreaterThanOrEqual(3_600_000);
    expect(wait).toBeLessThan(7_200_000);
  });

  it('a 4xx other than throttling, quota or the recipient gives the claim back and throws, for the state machine to retry', async () => {
    const w = world({
      mailer: async () =>
        Promise.reject(Object.assign(new Error('no such configuration set'), { name: 'NotFoundException', $metadata: { httpStatusCode: 404 } })),
    });
    await expect(deliver(w.deps, w.req(), w.loaded)).rejects.toThrow('no such configuration set');
    expect(w.ledger.size).toBe(0);
  });

  it.each([
    ['sending paused for the account', { name: 'SendingPausedException', message: 'sending paused' }, 'SES sending is paused', 3_600_000],
    ['connection refused', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4566' }, 'SES could not be reached', 60_000],
  ])('%s: surely not sent, so the claim is given back and the step deferred', async (_, error, reason, minWait) => {
    const w = world({ mailer: async () => Promise.reject(Object.assign(new Error(error.message ?? 'x'), error)) });
    const result = await deliver(w.deps, w.req(), w.loaded);
    expect(result).toMatchObject({ outcome: 'deferred', reason: expect.stringContaining(reason) });
    expect(Date.parse((result as { until: string }).until) - Date.parse(THURSDAY)).toBeGreaterThanOrEqual(minWait);
    expect(w.ledger.size).toBe(0);
  });

  describe('a send whose SES answer is unclear (500, dropped connection, timeout, crash)', () => {
    const failing = (times: number) => {
      let calls = 0;
      return async () =>
        ++calls <= times
          ? Promise.reject(Object.assign(new Error('Internal Failure'), { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } }))
          : { messageId: `m${calls}` };
    };
    const sendId = sendIdOf('acme', 'run-1#spotlight#ana@acme.example');

    it('keeps the claim and waits for the window; a confirming SES event makes it sent without sending again', async () => {
      const w = world({ mailer: failing(1), at: THURSDAY });
      const first = await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded);
      expect(first).toMatchObject({ outcome: 'deferred', until: '2026-01-08T10:15:00.000Z', reason: expect.stringContaining('unclear (server-error') });
      expect(w.ledger.get('run-1#spotlight#ana@acme.example')).toMatchObject({
        status: 'claimed',
        attempt: 1,
        unclear: expect.stringContaining('Internal Failure'),
      });
      // Asked again too early: still waiting.
      w.setNow('2026-01-08T10:05:00Z');
      expect(await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded)).toMatchObject({ outcome: 'deferred', until: '2026-01-08T10:15:00.000Z' });
      w.email.confirmed.set(sendId, { sendId, messageId: 'ses-1', event: 'Send', at: '2026-01-08T10:00:01Z' });
      w.setNow('2026-01-08T10:15:00Z');
      expect(await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded)).toEqual({ outcome: 'duplicate', previous: 'sent', messageId: 'ses-1' });
      expect(w.ledger.get('run-1#spotlight#ana@acme.example')).toMatchObject({ status: 'sent', messageId: 'ses-1' });
      expect(w.email.engagement).toEqual([{ accountId: 'acme', day: '2026-01-08', kind: 'sent', messageId: 'ses-1' }]);
    });

    it('notes the held send for the sweep: at the unclear answer, and when a retry finds the claim still waiting; never for a send that goes through', async () => {
      const w = world({ mailer: failing(1), at: THURSDAY });
      const noted: string[] = [];
      w.deps.ledger.noteHeld = async (due) => void noted.push(due.toISOString());
      await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded);
      expect(noted).toEqual(['2026-01-08T10:15:00.000Z']);
      w.setNow('2026-01-08T10:05:00Z');
      await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded);
      expect(noted).toEqual(['2026-01-08T10:15:00.000Z', '2026-01-08T10:15:00.000Z']);
      const clear = world();
      clear.deps.ledger.noteHeld = async (due) => void noted.push(`clear ${due.toISOString()}`);
      expect(await deliver(clear.deps, clear.req(), clear.loaded)).toMatchObject({ outcome: 'sent' });
      expect(noted).toHaveLength(2);
    });

    it('no SES event within the window: an onboarding email is sent once more, then given up with a reason', async () => {
      const w = world({ mailer: failing(2) });
      await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded);
      w.setNow('2026-01-08T10:15:00Z');
      expect(await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded)).toMatchObject({ outcome: 'deferred', until: '2026-01-08T10:30:00.000Z' });
      expect(w.ledger.get('run-1#spotlight#ana@acme.example')).toMatchObject({ status: 'claimed', attempt: 2 });
      w.setNow('2026-01-08T10:30:00Z');
      const last = await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded);
      expect(last).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('given up: no SES event within 15 min of attempt 2 of 2') });
      expect(w.ledger.get('run-1#spotlight#ana@acme.example')).toMatchObject({ status: 'failed', error: expect.stringContaining('given up') });
      expect(w.email.slots.get('ana@acme.example')!.filter(Boolean)).toHaveLength(0);
    });

    it('a retry that SES answers is sent; a tip is given up after one unclear attempt', async () => {
      const w = world({ mailer: failing(1) });
      await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded);
      w.setNow('2026-01-08T10:16:00Z');
      expect(await deliver(w.deps, w.req({ category: 'onboarding' }), w.loaded)).toMatchObject({ outcome: 'sent', messageId: 'm2' });
      const tips = world({ mailer: failing(1) });
      await deliver(tips.deps, tips.req({ category: 'tips' }), tips.loaded);
      tips.setNow('2026-01-08T10:16:00Z');
      expect(await deliver(tips.deps, tips.req({ category: 'tips' }), tips.loaded)).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringContaining('attempt 1 of 1 (low priority)'),
      });
    });
  });

  it('a retry SES surely did not get (throttled) goes back to the attempt before it, so it does not count', async () => {
    let calls = 0;
    const answers = [
      () => Promise.reject(Object.assign(new Error('Internal Failure'), { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } })),
      () =>
        Promise.reject(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } })),
      async () => ({ messageId: 'm3' }),
    ];
    const w = world({ mailer: async () => answers[calls++]!() });
    const req = w.req({ category: 'onboarding' });
    await deliver(w.deps, req, w.loaded);
    w.setNow('2026-01-08T10:15:00Z');
    expect(await deliver(w.deps, req, w.loaded)).toMatchObject({ outcome: 'deferred', reason: expect.stringContaining('SES send rate reached') });
    expect(w.ledger.get('run-1#spotlight#ana@acme.example')).toMatchObject({ status: 'claimed', attempt: 1, attemptedAt: THURSDAY.replace('Z', '.000Z') });
    w.setNow('2026-01-08T10:20:00Z');
    expect(await deliver(w.deps, req, w.loaded)).toMatchObject({ outcome: 'sent', messageId: 'm3' });
    expect(w.ledger.get('run-1#spotlight#ana@acme.example')).toMatchObject({ status: 'sent', attempt: 2 });
  });

  it('defers every send for an hour while sending is paused, claiming nothing', async () => {
    const w = world();
    w.email.pause.state = { paused: true, bounceRate: 0.045, complaintRate: 0, sent: 1000, reason: 'sending paused: bounce rate 4.50%' };
    expect(await deliver(w.deps, w.req(), w.loaded)).toEqual({
      outcome: 'deferred',
      until: '2026-01-08T11:00:00.000Z',
      reason: 'sending paused: bounce rate 4.50%',
    });
    expect(w.ledger.size).toBe(0);
  });

  it('sends to the role the step asks for, else the primary contact; high-touch email is signed by the CSM', async () => {
    const w = world({
      account: { segment: 'high-touch', csm: { name: 'Maya Chen', email: 'maya@vendor.example' } },
      contacts: [
        { email: 'cam@acme.example', name: 'Cam Lee', role: 'champion' },
        { email: 'old@acme.example', role: 'executive-sponsor', leftAt: '2025-12-01T00:00:00Z' },
      ],
    });
    expect(await deliver(w.deps, w.req({ template: 'save-outreach', category: 'success', contactRole: 'champion' }), w.loaded)).toMatchObject({
      outcome: 'sent',
      to: 'cam@acme.example',
    });
    expect(
      await deliver(w.deps, w.req({ step: 'notice', template: 'renewal-notice', category: 'renewal', contactRole: 'executive-sponsor' }), w.loaded),
    ).toMatchObject({ outcome: 'sent', to: 'ana@acme.example' });
    expect(w.sent[0]).toMatchObject({ from: 'Maya Chen <success@acme.example>', replyTo: ['maya@vendor.example'] });
    expect(w.sent[0]!.text).toContain('Hi Cam,');
    expect(w.sent[0]!.text).toMatch(/\nMaya Chen\n/);
  });

  it('fails visibly (claims nothing) when a template lacks a field: a renewal email without a renewal date', async () => {
    const w = world({ account: { renewalDate: undefined } });
    await expect(deliver(w.deps, w.req({ template: 'renewal-notice', category: 'renewal' }), w.loaded)).rejects.toThrow(/not defined/);
    expect(w.ledger.size).toBe(0);
  });
});
