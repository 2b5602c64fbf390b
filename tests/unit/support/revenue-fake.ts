import type { RevenueRepo } from '../../../functions/core/ports.ts';
import type { RenewalOutcome } from '../../../functions/core/renewals.ts';
import type { RevenuePoint } from '../../../functions/core/revenue-history.ts';

/** Revenue points and renewal outcomes in memory, keyed as the table keys them. */
export function fakeRevenue() {
  const points = new Map<string, RevenuePoint>();
  const outcomes = new Map<string, RenewalOutcome>();
  const repo: RevenueRepo = {
    record: async (ps) => ps.forEach((p) => points.set(`${p.accountId}#${p.day}#${p.rev}`, structuredClone(p))),
    points: async (id) => [...points.values()].filter((p) => p.accountId === id).map((p) => structuredClone(p)),
    outcome: async (id, day) => structuredClone(outcomes.get(`${id}#${day}`)),
    async recordOutcome(o) {
      if (outcomes.has(`${o.accountId}#${o.renewalDay}`)) return false;
      outcomes.set(`${o.accountId}#${o.renewalDay}`, structuredClone(o));
      return true;
    },
    markApplied: async (id, day, at) => void (outcomes.get(`${id}#${day}`)!.appliedAt ??= at),
    outcomes: async (id) => [...outcomes.values()].filter((o) => o.accountId === id),
  };
  return { repo, points, outcomes };
}
