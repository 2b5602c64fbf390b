import { createHash } from 'node:crypto';
import { DAY_MS } from '../clock.ts';
import type { Account } from '../types.ts';
import type { Holdout, HoldoutExclusion, Variant } from './holdout-schema.ts';

export type { Holdout, HoldoutExclusion, Variant } from './holdout-schema.ts';

/**
 * Holdouts (docs/holdouts.md): a play can hold out a share of its runs. A held-out run goes
 * through the same trigger, conditions and steps and records what it would have done, but sends
 * nothing and creates no task; comparing the two groups measures what the play changed (lift).
 */

/** The group a run is in, recorded on the run when it begins (a redrive or a retry keeps it). */
export interface Assignment {
  group: 'treated' | 'held-out';
  /** True only for runs the draw decided: excluded accounts and runs after a holdout ended are treated, not randomized, and stay out of the lift. */
  randomized: boolean;
  /** drawn; excluded: <rule>; holdout ended <date> */
  reason: string;
  /** The draw in [0, 1): held out when below share / 100. */
  draw: number;
  share: number;
  /** The account when the run began, for the lift's health change and NRR. */
  baseline?: { score?: number; arr?: number };
}

/**
 * A uniform number in [0, 1) from a key: the first 52 bits of its SHA-256. SHA-256 rather than
 * the FNV-1a of functions/core/hash.ts because groups must not correlate with the account ids'
 * structure (FNV's low bits follow the last characters), and node:crypto costs nothing to load.
 */
export function uniformOf(key: string): number {
  const digest = createHash('sha256').update(key).digest();
  return (digest.readUInt32BE(0) * 2 ** 20 + (digest.readUInt32BE(4) >>> 12)) / 2 ** 52;
}

/** The key of a run's draw: account, play, cycle and the play's salt, so a retry or a restart draws the same. */
export const drawKey = (accountId: string, play: string, cycle: string, salt: string) => `holdout#${play}#${salt}#${accountId}#${cycle}`;

/** The first exclusion rule the account matches, described; undefined when none does. */
export function excludedBy(rules: HoldoutExclusion[], account: Pick<Account, 'segment' | 'renewalDate' | 'arr'>, now: Date): string | undefined {
  for (const rule of rules) {
    if ('segment' in rule && rule.segment.includes(account.segment)) return `segment ${account.segment}`;
    if ('renewalWithinDays' in rule && account.renewalDate) {
      const days = (Date.parse(account.renewalDate) - now.getTime()) / DAY_MS;
      if (days >= 0 && days <= rule.renewalWithinDays) return `renewal within ${rule.renewalWithinDays} days`;
    }
    if ('arrAtLeast' in rule && (account.arr ?? 0) >= rule.arrAtLeast) return `ARR at least ${rule.arrAtLeast}`;
  }
  return undefined;
}

/**
 * The group of a new run: excluded accounts and every run after the holdout was ended are
 * treated (not randomized); the others are held out when their draw falls under the share.
 */
export function assign(
  holdout: Holdout,
  run: { accountId: string; play: string; cycle: string },
  account: Pick<Account, 'segment' | 'renewalDate' | 'arr'>,
  now: Date,
  endedAt?: string,
): Assignment {
  const draw = uniformOf(drawKey(run.accountId, run.play, run.cycle, holdout.salt));
  const base = { draw, share: holdout.share };
  if (endedAt && endedAt <= now.toISOString()) return { ...base, group: 'treated', randomized: false, reason: `holdout ended ${endedAt}` };
  const excluded = excludedBy(holdout.exclude, account, now);
  if (excluded) return { ...base, group: 'treated', randomized: false, reason: `excluded: ${excluded}` };
  return { ...base, group: draw < holdout.share / 100 ? 'held-out' : 'treated', randomized: true, reason: 'drawn' };
}

/** The template of an email step with variants: by the account's draw for this run and step, in proportion to the shares. */
export function pickVariant(variants: Variant[], key: { accountId: string; play: string; cycle: string; step: string }): string {
  const total = variants.reduce((s, v) => s + v.share, 0);
  let u = uniformOf(`variant#${key.play}#${key.step}#${key.accountId}#${key.cycle}`) * total;
  for (const v of variants) {
    if (u < v.share) return v.template;
    u -= v.share;
  }
  return variants[variants.length - 1]!.template;
}
