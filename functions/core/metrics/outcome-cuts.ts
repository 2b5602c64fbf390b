import { countSends, addEmailCounts, type EmailCounts, type SendFacts } from './email-outcomes.ts';
import type { Period } from './period.ts';
import { planOf } from '../plan.ts';
import type { Segment } from '../types.ts';
import { addPlayCounts, countPlays, type PlayCounts, type RunFacts, type TaskFacts } from './plays.ts';
import { OUTCOME_CUTS, type OutcomeCut } from './outcomes-query.ts';
export { OUTCOME_CUTS, type OutcomeCut };

export type OutcomeGroups = Record<OutcomeCut, string>;

/** The group of an account without a value for a cut (no plan, no owner), as `GET /v1/metrics` names it. */
export const NO_GROUP = 'none';

/** An account's groups now: what a run or send records, and what an item recorded without them is counted under. */
export function outcomeGroupsOf(account: { segment?: unknown; plan?: unknown; owner?: unknown } | undefined): OutcomeGroups {
  const value = (v: unknown) => (typeof v === 'string' && v ? v : NO_GROUP);
  // The plan as every other figure names it (Starter, Pro, Enterprise: plan.ts), never the raw plan text,
  // so a group here is the same group as in GET /v1/metrics and the account list, and there are three of them.
  const plan = account ? planOf({ plan: typeof account.plan === 'string' ? account.plan : undefined, segment: account.segment as Segment }) : NO_GROUP;
  return { segment: value(account?.segment), plan, owner: value(account?.owner) };
}

/** The groups an item recorded, if it did (items from before groups were recorded have none). */
export function recordedGroups(item: { groups?: unknown } | undefined): OutcomeGroups | undefined {
  const g = item?.groups as Partial<Record<OutcomeCut, unknown>> | undefined;
  if (!g || typeof g !== 'object') return undefined;
  return OUTCOME_CUTS.every((c) => typeof g[c] === 'string') ? (g as OutcomeGroups) : undefined;
}

/** A combination of groups as one key part: each group URI-encoded, so `#` and `|` inside a plan or owner stay apart. */
export const comboKey = (g: OutcomeGroups) => OUTCOME_CUTS.map((c) => encodeURIComponent(g[c])).join('|');
export function comboOf(key: string): OutcomeGroups {
  const parts = key.split('|').map(decodeURIComponent);
  return Object.fromEntries(OUTCOME_CUTS.map((c, i) => [c, parts[i] ?? NO_GROUP])) as OutcomeGroups;
}

/** Counts of plays and templates (one month, or a period) for one combination or group. */
export interface OutcomeCounts {
  plays: Record<string, PlayCounts>;
  email: Record<string, EmailCounts>;
}

export type Grouped<T> = T & { groups: OutcomeGroups };

/** The definition by combination: the items of each combination of groups, counted as the whole book is (countPlays, countSends). */
export function countByCombo(
  sources: { runs: Grouped<RunFacts>[]; tasks: Grouped<TaskFacts>[]; sends: Grouped<SendFacts>[] },
  period: Period,
): Record<string, OutcomeCounts> {
  const split = <T extends { groups: OutcomeGroups }>(items: T[]) => {
    const out = new Map<string, T[]>();
    for (const i of items) out.set(comboKey(i.groups), [...(out.get(comboKey(i.groups)) ?? []), i]);
    return out;
  };
  const [runs, tasks, sends] = [split(sources.runs), split(sources.tasks), split(sources.sends)];
  const out: Record<string, OutcomeCounts> = {};
  for (const combo of new Set([...runs.keys(), ...tasks.keys(), ...sends.keys()])) {
    const c: OutcomeCounts = { plays: countPlays(runs.get(combo) ?? [], tasks.get(combo) ?? [], period), email: countSends(sends.get(combo) ?? [], period) };
    if (Object.keys(c.plays).length || Object.keys(c.email).length) out[combo] = c;
  }
  return out;
}

/** Counts added name by name (disjoint months or disjoint combinations add up). */
export function addOutcomeCounts(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  const plays = { ...a.plays };
  for (const [p, c] of Object.entries(b.plays)) plays[p] = plays[p] ? addPlayCounts(plays[p], c) : c;
  const email = { ...a.email };
  for (const [t, c] of Object.entries(b.email)) email[t] = email[t] ? addEmailCounts(email[t], c) : c;
  return { plays, email };
}

/** A cut's groups from the combinations: each group the sum of the combinations that have it. */
export function groupsOfCut(byCombo: Record<string, OutcomeCounts>, cut: OutcomeCut): Record<string, OutcomeCounts> {
  const out: Record<string, OutcomeCounts> = {};
  for (const [combo, c] of Object.entries(byCombo)) {
    const g = comboOf(combo)[cut];
    out[g] = addOutcomeCounts(out[g] ?? { plays: {}, email: {} }, c);
  }
  return out;
}
