import { DAY_MS } from '../clock.ts';

/**
 * Flags are the brief's at-risk and expansion signals (§5): named rules over an account's
 * facts at scoring time. A flag is raised once when its rule starts to hold and cleared once
 * when it stops; between the two it is active. (They are called flags in the code so they are
 * not confused with the score model's input signals.)
 */
export interface FlagFacts {
  now: Date;
  startDate: string;
  renewalDate?: string;
  seats?: number;
  paymentStatus?: string;
  activeInLast7Days: boolean;
  /** User-days of activity in the last 7 days and in the 7 before. */
  userDaysLast7: number;
  userDaysPrior7: number;
  activeSeatRatio?: number;
  /** Share (0-1) of the product's features used in the last 30 days. */
  featureAdoption?: number;
  weeklyActiveUsers: number;
  /** 0 for the model's top tier, 1 for the next, ... */
  tierRank: number | null;
  /** The best (lowest) tier rank of the last 30 days, today excluded. */
  bestRecentTierRank: number | null;
  fallingFast: boolean;
  change30d: number | null;
  /** The latest NPS answer of the last 180 days, if any. */
  latestNps?: number;
  ticketsLast7Days: number;
  openComplaints: number;
  /** Premium features (config `product.premiumFeatures`) used in the last 30 days. */
  premiumFeaturesUsed: number;
  departmentsActive: number;
  /** A champion or executive sponsor left in the last 30 days, and nobody holds the role now. */
  championLeft: boolean;
  sponsorLeft: boolean;
}

export interface FlagThresholds {
  usageDropPercent: number;
  renewalWithinDays: number;
  seatLimitPercent: number;
  newAccountDays: number;
  departments: number;
}

export const DEFAULT_FLAG_THRESHOLDS: FlagThresholds = {
  usageDropPercent: 50,
  renewalWithinDays: 60,
  seatLimitPercent: 90,
  newAccountDays: 90,
  departments: 3,
};

export type FlagKind = 'risk' | 'expansion' | 'advocacy';
interface Rule {
  kind: FlagKind;
  describe: string;
  /** Score signals this flag already says (the card leaves their reasons out while it is active). */
  covers?: readonly string[];
  holds(f: FlagFacts, t: FlagThresholds): boolean;
  /**
   * Hysteresis: while raised, the flag stays until this stops holding, a lower bar than `holds`
   * (without it, until `holds` stops). A measure that wobbles around the raising threshold would
   * otherwise raise and clear the flag on alternate days: an alert and a timeline entry each time.
   */
  keeps?(f: FlagFacts, t: FlagThresholds): boolean;
}

const ageDays = (f: FlagFacts) => (f.now.getTime() - new Date(f.startDate).getTime()) / DAY_MS;
const daysToRenewal = (f: FlagFacts) => (f.renewalDate ? (new Date(f.renewalDate).getTime() - f.now.getTime()) / DAY_MS : undefined);
const paymentTrouble = (f: FlagFacts) => f.paymentStatus === 'late' || f.paymentStatus === 'failed';

/** The brief's "when not to upsell": struggling, low usage, just onboarded, or payment trouble. */
export function upsellBlocked(f: FlagFacts, t: FlagThresholds): string | undefined {
  if (f.tierRank !== 0) return 'not in the top health tier';
  if (paymentTrouble(f)) return 'payment trouble';
  if (ageDays(f) < t.newAccountDays) return `in its first ${t.newAccountDays} days`;
  if ((f.activeSeatRatio ?? 0) < 0.5) return 'usage is low';
  if (f.openComplaints > 0) return 'unresolved complaints';
  return undefined;
}

export const FLAG_RULES: Record<string, Rule> = {
  'no-login-7d': {
    kind: 'risk',
    describe: 'nobody used the product in the last 7 days',
    covers: ['daysSinceLastActivity'],
    holds: (f) => ageDays(f) >= 7 && !f.activeInLast7Days,
  },
  'usage-drop': {
    kind: 'risk',
    describe: 'usage fell by half or more against the week before and is not back to three quarters of it',
    holds: (f, t) => f.userDaysPrior7 >= 5 && f.userDaysLast7 <= f.userDaysPrior7 * (1 - t.usageDropPercent / 100),
    // Cleared once usage is back within half the drop (above 75% of the week before at the default 50%).
    keeps: (f, t) => f.userDaysLast7 < f.userDaysPrior7 * (1 - t.usageDropPercent / 200),
  },
  'falling-fast': { kind: 'risk', describe: 'health score fell fast over 7 days', holds: (f) => f.fallingFast },
  'tier-dropped': {
    kind: 'risk',
    describe: 'health tier is below where it was in the last 30 days',
    holds: (f) => f.tierRank !== null && f.bestRecentTierRank !== null && f.tierRank > f.bestRecentTierRank,
  },
  'renewal-near-unhealthy': {
    kind: 'risk',
    describe: 'renewal is near and the account is not healthy',
    holds: (f, t) => {
      const d = daysToRenewal(f);
      return d !== undefined && d >= 0 && d <= t.renewalWithinDays && f.tierRank !== null && f.tierRank > 0;
    },
  },
  'low-adoption': {
    kind: 'risk',
    describe: 'under 30% of the features used after 60 days',
    covers: ['featureAdoption'],
    holds: (f) => ageDays(f) >= 60 && f.featureAdoption !== undefined && f.featureAdoption < 0.3,
  },
  'payment-trouble': { kind: 'risk', describe: 'payment is late or failed', covers: ['paymentStatus'], holds: paymentTrouble },
  'champion-left': { kind: 'risk', describe: 'the champion left and nobody has taken the role', holds: (f) => f.championLeft },
  'sponsor-left': { kind: 'risk', describe: 'the executive sponsor left and nobody has taken the role', holds: (f) => f.sponsorLeft },
  'ticket-spike': { kind: 'risk', describe: 'two or more support tickets in the last 7 days', holds: (f) => f.ticketsLast7Days >= 2 },
  'nps-detractor': {
    kind: 'risk',
    describe: 'the latest NPS answer is a detractor (0-6)',
    covers: ['nps'],
    holds: (f) => f.latestNps !== undefined && f.latestNps <= 6,
  },
  promoter: {
    kind: 'advocacy',
    describe: 'the latest NPS answer is a promoter (9-10) and the account is healthy',
    holds: (f) => f.latestNps !== undefined && f.latestNps >= 9 && f.tierRank === 0 && f.openComplaints === 0,
  },
  'near-seat-limit': {
    kind: 'expansion',
    describe: 'active users are close to the licensed seats',
    holds: (f, t) => !upsellBlocked(f, t) && f.seats !== undefined && f.weeklyActiveUsers >= (f.seats * t.seatLimitPercent) / 100,
  },
  'premium-interest': {
    kind: 'expansion',
    describe: 'uses premium features it does not pay for yet',
    holds: (f, t) => !upsellBlocked(f, t) && f.premiumFeaturesUsed > 0,
  },
  'several-departments': {
    kind: 'expansion',
    describe: 'several departments use the product',
    holds: (f, t) => !upsellBlocked(f, t) && f.departmentsActive >= t.departments,
  },
  'strong-stable-health': {
    kind: 'expansion',
    describe: 'top health tier and not falling over 30 days',
    holds: (f, t) => !upsellBlocked(f, t) && f.change30d !== null && f.change30d >= 0,
  },
};

export interface ActiveFlag {
  kind: FlagKind;
  since: string;
}

export interface FlagChange {
  flag: string;
  kind: FlagKind;
  change: 'started' | 'stopped';
  at: string;
}

/** Today's active flags and what changed since the last run: each start and stop exactly once. */
export function evaluateFlags(facts: FlagFacts, previous: Record<string, ActiveFlag> | undefined, thresholds: FlagThresholds = DEFAULT_FLAG_THRESHOLDS) {
  const at = facts.now.toISOString();
  const active: Record<string, ActiveFlag> = {};
  const changes: FlagChange[] = [];
  for (const [flag, rule] of Object.entries(FLAG_RULES)) {
    const before = previous?.[flag];
    if (rule.holds(facts, thresholds) || (before && rule.keeps?.(facts, thresholds))) {
      active[flag] = before ?? { kind: rule.kind, since: at };
      if (!before) changes.push({ flag, kind: rule.kind, change: 'started', at });
    } else if (before) changes.push({ flag, kind: rule.kind, change: 'stopped', at });
  }
  return { active, changes };
}
