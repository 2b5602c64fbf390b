import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { sendStep, type JourneyDeps } from '../../functions/core/journey/steps.ts';
import type { Mailer, OutgoingEmail, RunRepo, SendLedger } from '../../functions/core/ports.ts';
import type { Account, RunStep, SendRecord } from '../../functions/core/types.ts';
import userConfig from '../../tend.config.ts';
import { memoryEmailDeps } from '../support/email.ts';

/** sendStep over in-memory ports: what reaches the mailer, the ledger and the run, per failure. */
function world(mailer: Mailer, status: Account['status'] = 'active') {
  const account = { id: 'acme', name: 'Acme', seats: 5, status, startDate: '2026-01-01T00:00:00Z', primaryContact: { email: 'ana@acme.example', name: 'Ana' } } as unknown as Account;
  const ledger = new Map<string, SendRecord>();
  const steps = new Map<string, RunStep>();
  const ledgerRepo: SendLedger = {
    claim: async (r) => (ledger.has(r.sendKey) ? false : (ledger.set(r.sendKey, r), true)),
    get: async (_, k) => ledger.get(k),
    markSent: async (_, k, messageId) => void ledger.set(k, { ...ledger.get(k)!, status: 'sent', messageId }),
    release: async (_, k) => void (ledger.get(k)?.status === 'claimed' && ledger.delete(k)),
  };
  const runs = { stepDone: async (_: string, __: string, { id, ...s }: RunStep & { id: string }) => void steps.set(id, s) } as unknown as RunRepo;
  const deps: JourneyDeps = {
    clock: fixedClock('2026-01-08T09:00:00Z'),
    config: parseConfig(userConfig),
    accounts: { get: async () => account } as never,
    usage: { days: async () => [], record: async () => {} },
    runs,
    ledger: ledgerRepo,
    mailer,
    ...memoryEmailDeps().deps,
  };
  const send = () => sendStep(deps, { accountId: 'acme', executionName: 'onboarding-acme', step: 'day-7', template: 'checkin-inactive' });
  return { send, ledger, steps };
}

const failing = (name: string) => {
  const sent: OutgoingEmail[] = [];
  let calls = 0;
  const mailer: Mailer = {
    async send(email) {
      if (calls++ === 0) throw Object.assign(new Error(name), { name });
      sent.push(email);
      return { messageId: `m${calls}` };
    },
  };
  return { mailer, sent };
};

describe('sendStep exactly once', () => {
  it('sends once and a retry sends nothing more', async () => {
    const sent: OutgoingEmail[] = [];
    const w = world({ send: async (e) => (sent.push(e), { messageId: 'm1' }) });
    expect(await w.send()).toEqual({ outcome: 'sent', messageId: 'm1' });
    expect(await w.send()).toEqual({ outcome: 'duplicate', messageId: 'm1' });
    expect(sent).toHaveLength(1);
    expect(w.steps.get('day-7')).toMatchObject({ outcome: 'sent', messageId: 'm1' });
  });

  it('gives the claim back on a clear refusal, so the retry sends', async () => {
    const { mailer, sent } = failing('TooManyRequestsException');
    const w = world(mailer);
    await expect(w.send()).rejects.toThrow('TooManyRequestsException');
    expect(await w.send()).toMatchObject({ outcome: 'sent' });
    expect(sent).toHaveLength(1);
  });

  it('keeps the claim when SES may have sent (a timeout): the retry sends nothing and records unknown', async () => {
    const { mailer, sent } = failing('TimeoutError');
    const w = world(mailer);
    await expect(w.send()).rejects.toThrow('TimeoutError');
    expect(await w.send()).toEqual({ outcome: 'duplicate', messageId: null });
    expect(sent).toHaveLength(0);
    expect(w.steps.get('day-7')?.outcome).toBe('unknown');
  });

  it('skips a churned account and claims nothing', async () => {
    const sent: OutgoingEmail[] = [];
    const w = world({ send: async (e) => (sent.push(e), { messageId: 'm1' }) }, 'churned');
    expect(await w.send()).toEqual({ outcome: 'skipped', messageId: null });
    expect(sent).toEqual([]);
    expect(w.ledger.size).toBe(0);
    expect(w.steps.get('day-7')).toMatchObject({ outcome: 'skipped' });
  });

  it('puts the account\'s own figures and the step day in the email', async () => {
    const sent: OutgoingEmail[] = [];
    const w = world({ send: async (e) => (sent.push(e), { messageId: 'm1' }) });
    await w.send();
    expect(sent[0]).toMatchObject({ to: 'ana@acme.example', subject: 'Your Acme Analytics seats are waiting, Ana', tags: { play: 'onboarding', step: 'day-7', account: 'acme' } });
    expect(sent[0]!.text).toContain('Day 7 with Acme Analytics');
    expect(sent[0]!.text).toContain('0 of 5 seats');
  });
});
