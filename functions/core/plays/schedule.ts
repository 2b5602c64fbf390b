import { DAY_MS, dayOf } from '../clock.ts';
import { fnv1a } from '../hash.ts';
import type { Account } from '../types.ts';
import type { PlayDefinition, PlayStep } from './definition.ts';

/**
 * When a run's steps are due. Times are absolute, planned once from the anchor when the run
 * starts: a state machine waits until a timestamp (never for a duration), so a late start, a
 * redrive or a restart keeps the account's calendar.
 */
export function anchorOf(play: PlayDefinition, account: Pick<Account, 'startDate' | 'renewalDate'>, triggeredAt: string): string | undefined {
  if (play.anchor === 'trigger') return triggeredAt;
  return account[play.anchor];
}

/** The run's cycle: the day it is anchored on. One run per account, play and cycle. */
export const cycleOf = (anchor: string) => dayOf(new Date(anchor));

export function stepTime(anchor: string, step: Pick<PlayStep, 'day' | 'hour'>): string {
  return new Date(new Date(anchor).getTime() + step.day * DAY_MS + step.hour * 3_600_000).toISOString();
}

/** A step id as a JSONPath-safe key (`day-7` -> `day_7`). */
export const scheduleKey = (stepId: string) => stepId.replace(/-/g, '_');

export function planRun(play: PlayDefinition, anchor: string): Record<string, string> {
  return Object.fromEntries(play.steps.map((s) => [scheduleKey(s.id), stepTime(anchor, s)]));
}

/**
 * Deterministic execution name per account, play and cycle (at most 80 characters): a second
 * start of the same run is refused by Step Functions, never a second run.
 */
export function executionName(play: string, accountId: string, cycle: string): string {
  const safe = accountId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
  return `${play}-${safe}-${cycle.replace(/-/g, '')}-${fnv1a(`${accountId}|${cycle}`).toString(36)}`;
}
