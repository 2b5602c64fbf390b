import type { EngagementRepo, FrequencyCap, PreferenceRepo, SuppressionList } from '../../functions/core/ports.ts';
import { unsubscribeLinks } from '../../functions/core/email/links.ts';
import type { Contact } from '../../functions/core/types.ts';

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
  const engagementRepo: EngagementRepo = { record: async (accountId, day, kind, messageId) => void engagement.push({ accountId, day, kind, messageId }) };
  return {
    deps: {
      contacts: { list: async (accountId: string) => contacts.filter((c) => c.accountId === accountId) },
      suppressions,
      preferences,
      cap,
      engagement: engagementRepo,
      unsubscribe: unsubscribeLinks({ key: async () => TEST_KEY, baseUrl: 'https://api.tend.example', tokenDays: 90, mailto: undefined }),
    },
    suppressed,
    optOuts,
    slots,
    engagement,
  };
}
