import type { TendConfig } from './config.ts';
import { planOf } from './plan.ts';
import { fnv1a } from './hash.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { OwnerRepo } from './ports.ts';
import type { Segment } from './types.ts';

export type Csm = TendConfig['csms'][number];
export type AssignmentRule = TendConfig['assignment'][number];

export interface OwnerDeps {
  owners: OwnerRepo;
  csms: readonly Csm[];
  assignment: readonly AssignmentRule[];
}

/** Attempts at taking a slot before an assignment gives up (leaving the account to the team's queue). */
const MAX_RESERVE_ATTEMPTS = 16;

/** The CSM a value names: their id, or their email (any case); undefined when none does. */
export function csmNamed(csms: readonly Csm[], value: string): Csm | undefined {
  const lower = value.toLowerCase();
  return csms.find((c) => c.id === value) ?? csms.find((c) => c.email.toLowerCase() === lower);
}

/** A request's owner as a CSM id; an unknown one is a 400 naming `field`, before anything is written. */
export function resolveOwner(csms: readonly Csm[], value: string, field = 'owner'): string {
  const csm = csmNamed(csms, value);
  if (!csm) {
    const known = csms.map((c) => c.id).join(', ') || 'none configured (tend.config.ts csms)';
    throw new ValidationError(`${field}: "${value}" is not a CSM of tend.config.ts; csms: ${known}`, [{ field, message: 'unknown CSM' }]);
  }
  return csm.id;
}

/** The first rule that covers the segment (a rule without `segments` covers every one). */
export function ruleFor(rules: readonly AssignmentRule[], segment: Segment): AssignmentRule | undefined {
  return rules.find((r) => !r.segments || r.segments.includes(segment));
}

/** A rule's name for its turn counter: its pool (so reordering rules keeps each one's turn). */
const ruleKey = (rule: AssignmentRule) => fnv1a(`${rule.strategy}|${rule.pool.join(',')}`).toString(36);

/**
 * The CSMs a rule would pick, best first, among those under their capacity: in turn from `turn`
 * (round-robin), or by fewest accounts, the pool's order breaking ties. Pure: the caller reserves one.
 */
export function candidatesFromPool(rule: AssignmentRule, csms: readonly Csm[], counts: Record<string, number>, turn: number): string[] {
  const capacityOf = (id: string) => csms.find((c) => c.id === id)?.capacity ?? Infinity;
  const open = (id: string) => (counts[id] ?? 0) < capacityOf(id);
  if (rule.strategy === 'fewest-accounts')
    return rule.pool.filter(open).sort((a, b) => (counts[a] ?? 0) - (counts[b] ?? 0) || rule.pool.indexOf(a) - rule.pool.indexOf(b));
  return rule.pool.map((_, i) => rule.pool[(turn - 1 + i) % rule.pool.length]!).filter(open);
}

/** The CSM a rule picks (the first candidate), or undefined when every one is at capacity. */
export const pickFromPool = (rule: AssignmentRule, csms: readonly Csm[], counts: Record<string, number>, turn: number) =>
  candidatesFromPool(rule, csms, counts, turn)[0];

/**
 * The owner assignment gives a new account of this segment, or undefined (no rule, or every CSM
 * of the pool at capacity). Idempotent: the choice is claimed under the account, and a replayed
 * create reads that claim instead of choosing again. Race-safe: a slot is taken with a
 * conditional write on the count that was read, so two creates cannot both take a CSM's last slot
 * or both count as the fewest. `reserved`: the CSM's count already includes this account.
 */
export async function assignOwner(deps: OwnerDeps, accountId: string, segment: Segment, at: string): Promise<{ owner: string; reserved: boolean } | undefined> {
  const claimed = await deps.owners.claimed(accountId);
  if (claimed) return { owner: claimed, reserved: false };
  const rule = ruleFor(deps.assignment, segment);
  if (!rule) return undefined;
  const turn = rule.strategy === 'round-robin' ? await deps.owners.nextTurn(ruleKey(rule)) : 1;
  for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt++) {
    const counts = await deps.owners.counts();
    const candidates = candidatesFromPool(rule, deps.csms, counts, turn);
    if (candidates.length === 0) return undefined;
    // A slot another create took since the read: the next candidate, before reading the counts again.
    let pick: string | undefined;
    for (const candidate of candidates) {
      if (await deps.owners.reserve(candidate, counts[candidate] ?? 0)) {
        pick = candidate;
        break;
      }
    }
    if (!pick) continue;
    if (await deps.owners.claim(accountId, pick, at)) return { owner: pick, reserved: true };
    // A concurrent create of the same account claimed first: its choice stands, this slot goes back.
    await deps.owners.release(pick);
    const winner = await deps.owners.claimed(accountId);
    return winner ? { owner: winner, reserved: false } : undefined;
  }
  return undefined;
}

/** GET /v1/csms: the configured CSMs with their account count. */
export async function listCsms(deps: Pick<OwnerDeps, 'owners' | 'csms'>) {
  const counts = await deps.owners.counts();
  return { csms: deps.csms.map((c) => ({ ...c, accounts: Math.max(0, counts[c.id] ?? 0) })) };
}

/** GET /v1/csms/{id}/accounts: a page of a CSM's book of business. */
export async function csmBook(deps: Pick<OwnerDeps, 'owners' | 'csms'>, csmId: string, page: { limit: number; cursor?: string }) {
  const csm = deps.csms.find((c) => c.id === csmId);
  if (!csm) throw new NotFoundError(`CSM "${csmId}" is not in tend.config.ts csms`);
  const { accounts, cursor } = await deps.owners.book(csm.id, page);
  // `plan` is Starter, Pro or Enterprise wherever Tend lists accounts, as on their cards (plan.ts).
  return { csm: { id: csm.id, name: csm.name }, accounts: accounts.map((a) => ({ ...a, plan: planOf(a) })), ...(cursor ? { cursor } : {}) };
}
