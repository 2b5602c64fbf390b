import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operatorOverride } from '../../functions/core/email/reputation.ts';
import { reputationRepo } from '../../functions/data/email.ts';
import type { SesFault } from '../../local/ses.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Email exactly once under faults (docs/email.md, "Exactly once"): a wave of welcome emails meets
 * faults injected into the local SES; each due email is delivered exactly once, or recorded as
 * given up with a reason, and no send is left unsettled after the reconciliation window.
 */

// Monday 2 March 2026, 10:00 UTC: inside the send window. An hour of virtual time a real second:
// the 15-minute reconciliation window passes in a quarter of a second.
const START = new Date('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
const SPEED = 3600;
const WAVE = 6;

type Runtime = TestRuntime;
type Sent = { to: string; subject: string };

/** Accounts whose onboarding welcome (day 1) falls due together, 10 minutes after the clock resumes (after the faults are set). */
async function createWave(rt: Runtime, prefix: string, n = WAVE): Promise<string[]> {
  const emails: string[] = [];
  for (let i = 0; i < n; i++) {
    const email = `pat${i}@${prefix}.example`;
    const created = await rt.request('POST', '/v1/accounts', {
      id: `${prefix}-${i}`,
      name: `${prefix} ${i} Inc`,
      seats: 5,
      startDate: new Date(START.getTime() - 24 * HOUR + 10 * 60_000).toISOString(),
      primaryContact: { email, name: 'Pat' },
    });
    expect(created.status).toBe(201);
    emails.push(email);
  }
  await rt.idle();
  return emails;
}

async function runUntil(rt: Runtime, virtualMs: number) {
  while (rt.clock.nowMs() < virtualMs) await new Promise((r) => setTimeout(r, 20));
  rt.clock.pause();
  await rt.idle();
}

const welcomes = (outbox: readonly { destination: { to: string[] }; subject: string }[]): Sent[] =>
  outbox.filter((e) => /welcome/i.test(e.subject)).map((e) => ({ to: e.destination.to[0]!, subject: e.subject }));

/** Each account's welcome: delivered exactly once and recorded sent, or recorded as given up with a reason and not delivered. */
async function settledOnce(rt: Runtime, prefix: string, emails: string[], delivered: Sent[]) {
  const outcomes: Record<string, string> = {};
  for (let i = 0; i < emails.length; i++) {
    const sends = (await rt.items(`${prefix}-${i}`, 'SEND#')).filter((s) => s.step === 'welcome');
    expect(sends).toHaveLength(1);
    const [send] = sends;
    const copies = delivered.filter((d) => d.to === emails[i]).length;
    // Nothing left claimed (the `unknown` of old): sent, or closed with a reason.
    expect(send!.status).not.toBe('claimed');
    if (send!.status === 'sent') expect(copies, `${emails[i]} delivered once`).toBe(1);
    else {
      expect(send!.status).toBe('failed');
      expect(String(send!.error)).toMatch(/^given up: /);
      expect(copies).toBe(0);
    }
    const [run] = await rt.items(`${prefix}-${i}`, 'RUN#onboarding#');
    const welcome = (run!.steps as Record<string, { outcome: string; actions?: { kind: string; outcome: string; detail?: string }[] }>).welcome!;
    const email = welcome.actions?.find((a) => a.kind === 'email');
    expect(email?.outcome).not.toBe('unknown');
    outcomes[emails[i]!] = send!.status === 'sent' ? 'sent' : 'given up';
  }
  return outcomes;
}

/** Every account's welcome is recorded and no longer claimed (sent, or closed with a reason). */
async function allSettled(rt: Runtime, prefix: string, count: number) {
  for (let i = 0; i < count; i++) {
    const sends = (await rt.items(`${prefix}-${i}`, 'SEND#')).filter((s) => s.step === 'welcome');
    if (sends.length !== 1 || sends[0]!.status === 'claimed') return false;
  }
  return true;
}

async function faultWave(prefix: string, inject: (rt: Runtime) => Promise<void> | void, afterStart?: (rt: Runtime) => Promise<void>) {
  const rt = await testRuntime({ start: START, speed: SPEED, paused: true });
  try {
    const emails = await createWave(rt, prefix);
    await inject(rt);
    rt.clock.resume();
    if (afterStart) await afterStart(rt);
    // Past the longest deferral of the policy: the daily quota's 1 to 2 hours, then a send. On a
    // loaded machine the virtual clock can outrun the work: give it more virtual hours (up to 8)
    // while a welcome is not settled yet, rather than judge a run still on its way.
    await runUntil(rt, START.getTime() + 3 * HOUR);
    for (let hours = 4; hours <= 8 && !(await allSettled(rt, prefix, emails.length)); hours++) {
      rt.clock.resume();
      await runUntil(rt, START.getTime() + hours * HOUR);
    }
    // Every fault was met by a send.
    expect(rt.ses.pendingFaults).toBe(0);
    return { outcomes: await settledOnce(rt, prefix, emails, welcomes(rt.ses.outbox())), rt, emails };
  } finally {
    await rt.stop();
  }
}

const allSent = (outcomes: Record<string, string>) => Object.values(outcomes).every((o) => o === 'sent');

describe('email exactly once with faults injected into the local SES', () => {
  it.each<[string, SesFault]>([
    ['SES stores the email, then answers 500', 'error-after-store'],
    ['SES stores the email, then the connection drops', 'drop-after-store'],
  ])(
    '%s: SES events confirm it, and it is not sent again',
    async (_, fault) => {
      const { outcomes } = await faultWave(fault, (rt) => rt.ses.faultNext(fault, WAVE / 2));
      expect(allSent(outcomes)).toBe(true);
    },
    60_000,
  );

  it('SES answers 500 without storing, twice: retried once after the window, then given up with a reason', async () => {
    const { outcomes } = await faultWave(
      'lost',
      (rt) => rt.ses.faultNext('error-before-store', WAVE / 2),
      async (rt) => {
        // Half the first attempts fail and the other half are sent; then two of the three retries fail again.
        while (rt.ses.pendingFaults > 0 || welcomes(rt.ses.outbox()).length < WAVE / 2) await new Promise((r) => setTimeout(r, 5));
        rt.ses.faultNext('error-before-store', 2);
      },
    );
    const values = Object.values(outcomes);
    expect(values.filter((o) => o === 'given up')).toHaveLength(2);
    expect(values.filter((o) => o === 'sent')).toHaveLength(WAVE - 2);
  }, 60_000);

  it('the port is closed (connection refused): nothing was sent, so it is deferred and sent once SES is back', async () => {
    const { outcomes } = await faultWave(
      'refused',
      (rt) => rt.ses.closePort(),
      async (rt) => {
        // Every welcome has met the closed port and waits; then SES comes back.
        for (let i = 0; i < 500; i++) {
          const waiting = await Promise.all(
            Array.from({ length: WAVE }, async (_, n) => {
              const [run] = await rt.items(`refused-${n}`, 'RUN#onboarding#');
              return (run?.steps as Record<string, { outcome: string }> | undefined)?.welcome?.outcome === 'waiting';
            }),
          );
          if (waiting.every(Boolean)) break;
          await new Promise((r) => setTimeout(r, 10));
        }
        expect(rt.ses.outbox()).toHaveLength(0);
        await rt.ses.openPort();
      },
    );
    expect(allSent(outcomes)).toBe(true);
  }, 60_000);

  it.each<[string, SesFault]>([
    ['throttling (429)', 'throttle'],
    ['the daily quota', 'daily-quota'],
  ])(
    '%s: deferred, then sent once',
    async (_, fault) => {
      const { outcomes } = await faultWave(fault, (rt) => rt.ses.faultNext(fault, WAVE));
      expect(allSent(outcomes)).toBe(true);
    },
    60_000,
  );
});

describe('a crash of the runtime in the middle of a send wave', () => {
  it('after the restart, what SES stored is confirmed by its events and what it never got is sent once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tend-email-crash-'));
    try {
      const first = await testRuntime({ dataDir, start: START, speed: SPEED, paused: true });
      const emails = await createWave(first, 'crash');
      // Half the wave is stored by SES and never answered, half never reaches its store: the process dies meanwhile.
      for (let i = 0; i < WAVE / 2; i++) {
        first.ses.faultNext('hang-after-store');
        first.ses.faultNext('hang-before-store');
      }
      first.clock.resume();
      while (first.ses.pendingFaults > 0) await new Promise((r) => setTimeout(r, 10));
      first.clock.pause();
      const beforeCrash = welcomes(first.ses.outbox());
      expect(beforeCrash).toHaveLength(WAVE / 2);
      await first.stop();

      const second = await testRuntime({ dataDir, speed: SPEED });
      try {
        await runUntil(second, START.getTime() + 3 * HOUR);
        const outcomes = await settledOnce(second, 'crash', emails, [...beforeCrash, ...welcomes(second.ses.outbox())]);
        expect(allSent(outcomes)).toBe(true);
        // The stored half was confirmed by SES's events, not sent again.
        expect(welcomes(second.ses.outbox())).toHaveLength(WAVE / 2);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the automatic sending pause', () => {
  it('pauses new sends at a 4% bounce rate over the last 7 days, with the reason on the run; an operator resume sends them once', async () => {
    const rt = await testRuntime({ start: START, speed: SPEED, paused: true });
    try {
      // 500 sends and 21 hard bounces (4.2%) today, as SES's events report them.
      const mail = (n: number) => ({ timestamp: START.toISOString(), messageId: `earlier-${n}`, destination: [`x${n}@past.example`], tags: {} });
      rt.events.put(
        Array.from({ length: 500 }, (_, n) => ({
          Source: 'aws.ses',
          DetailType: 'Email Sent',
          Detail: JSON.stringify({ eventType: 'Send', mail: mail(n), send: {} }),
        })),
      );
      rt.events.put(
        Array.from({ length: 21 }, (_, n) => ({
          Source: 'aws.ses',
          DetailType: 'Email Bounced',
          Detail: JSON.stringify({
            eventType: 'Bounce',
            mail: mail(n),
            bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: `x${n}@past.example` }] },
          }),
        })),
      );
      await rt.idle();
      const repo = reputationRepo(rt.db, rt.tableName);
      expect(await repo.days(['2026-03-02'])).toEqual([{ day: '2026-03-02', sent: 500, bounced: 21, complained: 0 }]);

      const emails = await createWave(rt, 'paused', 2);
      rt.clock.resume();
      await runUntil(rt, START.getTime() + 20 * 60_000);
      expect(welcomes(rt.ses.outbox())).toHaveLength(0);
      const [run] = await rt.items('paused-0', 'RUN#onboarding#');
      expect((run!.steps as Record<string, { outcome: string; detail?: string }>).welcome).toMatchObject({
        outcome: 'waiting',
        detail: expect.stringContaining('sending paused: bounce rate 4.20% (21 of 500) ≥ 4.00% over the last 7 days'),
      });

      await repo.setOverride(operatorOverride('ops@vendor.example', 24, rt.clock.now()));
      rt.clock.resume();
      await runUntil(rt, START.getTime() + 3 * HOUR);
      expect(allSent(await settledOnce(rt, 'paused', emails, welcomes(rt.ses.outbox())))).toBe(true);
    } finally {
      await rt.stop();
    }
  }, 60_000);
});
