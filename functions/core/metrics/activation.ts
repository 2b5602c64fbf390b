import { DAY_MS } from '../clock.ts';
import type { Contact, UsageDay } from '../types.ts';
import { ratio } from './period.ts';
import { noPlayCounts, type PlayCounts } from './plays.ts';

/** The play whose runs are the onboarding (one per new account, anchored on its start date). */
export const ONBOARDING_PLAY = 'onboarding';

export interface OnboardingCompletion {
  /** Onboarding runs started in the period: the accounts that began onboarding then. */
  started: number;
  /** Ran every step, through the 60-day review. */
  completed: number;
  /** Ended before the last step: the account churned (exited), or the run was cancelled or failed. */
  endedEarly: number;
  /** Still under way: no outcome yet. */
  pending: number;
  /** Completed ÷ (completed + ended early): of the accounts whose onboarding has an outcome. */
  rate: number | null;
  exits: Record<string, number>;
}

/** Onboarding completion, from the onboarding play's counts for the period. */
export function onboardingCompletion(c: PlayCounts = noPlayCounts()): OnboardingCompletion {
  const endedEarly = c.exited + c.cancelled + c.failed;
  return {
    started: c.started,
    completed: c.completed,
    endedEarly,
    pending: Math.max(0, c.started - c.completed - endedEarly),
    rate: ratio(c.completed, c.completed + endedEarly),
    exits: c.exits,
  };
}

export interface UserActivation {
  /** The account's known people: its contacts still there and every user its usage saw. */
  known: number;
  /** Of those, the ones seen in the product in the last `days` days. */
  active: number;
  rate: number | null;
  /** Contacts not seen in the window (those a CSM can reach). */
  inactiveContacts: string[];
}

/**
 * User activation of one account as of `asOf`: the share of its known people active in the
 * `days` days up to `asOf` (the day itself included). A person is known as a contact (not left)
 * or as a user id its usage events carried in the days given; a contact is the same person as a
 * user when the user id is the contact's id or email (case-insensitive). Null with nobody known.
 */
export function userActivation(input: {
  contacts: (Pick<Contact, 'email' | 'leftAt'> & { id?: string })[];
  usage: Pick<UsageDay, 'day' | 'users'>[];
  asOf: string;
  days: number;
}): UserActivation {
  const from = new Date(Date.parse(input.asOf.slice(0, 10)) - (input.days - 1) * DAY_MS).toISOString().slice(0, 10);
  const to = input.asOf.slice(0, 10);
  const norm = (s: string) => s.toLowerCase();
  const seen = new Set<string>();
  const recent = new Set<string>();
  for (const d of input.usage) {
    for (const u of d.users) {
      seen.add(norm(u));
      if (d.day >= from && d.day <= to) recent.add(norm(u));
    }
  }
  const people = new Map<string, boolean>();
  for (const u of seen) people.set(u, recent.has(u));
  const inactiveContacts: string[] = [];
  for (const c of input.contacts) {
    if (c.leftAt) continue;
    const ids = [c.email, c.id].filter((x): x is string => !!x).map(norm);
    const active = ids.some((id) => recent.has(id));
    // One person: the contact and the user ids it is known by count once.
    for (const id of ids) people.delete(id);
    people.set(`contact:${norm(c.email)}`, active);
    if (!active) inactiveContacts.push(c.email);
  }
  const active = [...people.values()].filter(Boolean).length;
  return { known: people.size, active, rate: ratio(active, people.size), inactiveContacts };
}

/** A book's user activation: pooled (Σ active ÷ Σ known) and the mean of the accounts' rates. */
export function bookActivation(accounts: UserActivation[]) {
  const known = accounts.reduce((t, a) => t + a.known, 0);
  const active = accounts.reduce((t, a) => t + a.active, 0);
  const rated = accounts.filter((a) => a.rate !== null);
  return { known, active, pooled: ratio(active, known), meanOfAccounts: rated.length ? rated.reduce((t, a) => t + a.rate!, 0) / rated.length : null };
}
