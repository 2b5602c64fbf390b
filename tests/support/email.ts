import type {
  EngagementRepo,
  FrequencyCap,
  PreferenceRepo,
  ReputationRepo,
  SendConfirmations,
  SendLedger,
  SuppressionList,
} from '../../functions/core/ports.ts';
import type { SendConfirmation } from '../../functions/core/email/reconcile.ts';
import type { ReputationDay, SendingOverride, SendingPause } from '../../functions/core/email/reputation.ts';
import type { SendRecord } from '../../functions/core/types.ts';
import { unsubscribeLinks } from '../../functions/core/email/links.ts';
import type { Contact } from '../../functions/core/types.ts';

/** The send ledger in memory, keyed by send key; behaves like functions/data/sends.ts. */
export function memoryLedger(ledger = new Map<string, SendRecord>()): SendLedger {
  return {
    claim: async (r) => (ledger.has(r.sendKey) ? false : (ledger.set(r.sendKey, structuredClone(r)), true)),
    get: async (_, k) => structuredClone(ledger.get(k)),
    markSent: async (_, k, messageId, at) => {
      const { unclear: _unclear, ...rest } = ledger.get(k)!;
      ledger.set(k, { ...rest, status: 'sent', messageId, sentAt: at.toISOString() });
    },
    release: async (_, k) => void (ledger.get(k)?.status === 'claimed' && ledger.delete(k)),
    close: async (_, k, status, reason) => void ledger.set(k, { ...ledger.get(k)!, status, error: reason }),
    noteUnclear: async (_, k, reason) => void (ledger.get(k)?.status === 'claimed' && ledger.set(k, { ...ledger.get(k)!, unclear: reason })),
    async rewind(_, k, attempt, previousAt) {
      const r = ledger.get(k);
      if (r?.status === 'claimed' && r.attempt === attempt) ledger.set(k, { ...r, attempt: attempt - 1, attemptedAt: previousAt, unclear: undefined });
    },
    async reattempt(_, k, attempt, at) {
      const r = ledger.get(k);
      if (r?.status !== 'claimed' || (r.attempt ?? 1) !== attempt - 1) return false;
      ledger.set(k, { ...r, attempt, attemptedAt: at.toISOString(), unclear: undefined });
      return true;
    },
  };
}

/** SES's confirmations in memory: the first per send id stands. */
export function memoryConfirmations(map = new Map<string, SendConfirmation>()): SendConfirmations {
  return {
    record: async (c) => void (map.has(c.sendId) || map.set(c.sendId, c)),
    get: async (id) => map.get(id),
  };
}

/** The reputation counters in memory; behaves like functions/data/email.ts reputationRepo. */
export function memoryReputation() {
  const counted = new Set<string>();
  const days = new Map<string, ReputationDay>();
  let override: SendingOverride | undefined;
  const repo: ReputationRepo = {
    async count(messageId, kind, at) {
      if (counted.has(`${messageId}|${kind}`)) return false;
      counted.add(`${messageId}|${kind}`);
      const day = at.toISOString().slice(0, 10);
      const d = days.get(day) ?? { day, sent: 0, bounced: 0, complained: 0 };
      d[kind]++;
      days.set(day, d);
      return true;
    },
    days: async (wanted) => wanted.flatMap((d) => (days.has(d) ? [{ ...days.get(d)! }] : [])),
    override: async () => override,
    setOverride: async (o) => void (override = o),
  };
  return { repo, days };
}

/** Sending never paused. */
export const neverPaused: SendingPause = { state: async () => ({ paused: false, bounceRate: 0, complaintRate: 0, sent: 0 }) };

export const TEST_KEY = 'test-signing-key-0123456789abcdef';

/**
 * In-memory versions of the email ports `deliver` needs beyond the core repos: for unit tests of
 * anything that sends (the play engine's too). Behaves like functions/data/email.ts.
 */
export function memoryEmailDeps(contacts: Contact[] = []) {
  const suppressed = new Map<string, { reason: string; at: string; source: string }>();
  const optOuts = new Map<string, Set<string>>();
  const slots = new Map<string, { sendKey: string; freesAt: number }[]>();
  const engagement: { accountId: string; day: string; kind: string; messageId: string }[] = [];
  const suppressions: SuppressionList = {
    get: async (email) => suppressed.get(email.toLowerCase()),
    suppress: async (email, entry, at) => void (suppressed.has(email.toLowerCase()) || suppressed.set(email.toLowerCase(), { ...entry, at: at.toISOString() })),
  };
  const preferences: PreferenceRepo = {
    optedOut: async (a, e) => [...(optOuts.get(`${a}|${e.toLowerCase()}`) ?? [])],
    optOut: async (a, e, cats) => void optOuts.set(`${a}|${e.toLowerCase()}`, new Set([...(optOuts.get(`${a}|${e.toLowerCase()}`) ?? []), ...cats])),
  };
  const cap: FrequencyCap = {
    async take(email, sendKey, n, now, days) {
      const list = slots.get(email) ?? [];
      for (let i = 0; i < n; i++) {
        if (!list[i] || list[i]!.freesAt <= now.getTime()) {
          list[i] = { sendKey, freesAt: now.getTime() + days * 86_400_000 };
          slots.set(email, list);
          return true;
        }
      }
      return false;
    },
    async release(email, sendKey) {
      const list = slots.get(email) ?? [];
      list.forEach((s, i) => s?.sendKey === sendKey && delete list[i]);
    },
  };
  const confirmed = new Map<string, SendConfirmation>();
  const reputation = memoryReputation();
  const pause = { state: null as Awaited<ReturnType<SendingPause['state']>> | null };
  const engagementRepo: EngagementRepo = { record: async (accountId, day, kind, messageId) => void engagement.push({ accountId, day, kind, messageId }) };
  return {
    deps: {
      contacts: { list: async (accountId: string) => contacts.filter((c) => c.accountId === accountId) },
      suppressions,
      preferences,
      cap,
      engagement: engagementRepo,
      confirmations: memoryConfirmations(confirmed),
      reputation: reputation.repo,
      pause: { state: async (now: Date) => pause.state ?? (await neverPaused.state(now)) } as SendingPause,
      unsubscribe: unsubscribeLinks({ key: async () => TEST_KEY, baseUrl: 'https://api.tend.example', tokenDays: 90, mailto: undefined }),
    },
    suppressed,
    optOuts,
    slots,
    engagement,
    /** SES's events by send id, as the email-events handler records them. */
    confirmed,
    /** The reputation's daily counters. */
    reputationDays: reputation.days,
    /** Set `pause.state` to pause sending. */
    pause,
  };
}
