import type { Random } from './random.ts';
import { ARCHETYPES, type Archetype, type SyntheticAccount } from './synthetic.ts';

const DAY = 86_400_000;
const CSMS = ['alex', 'sam', 'dana'] as const;
const SPONSORS = ['Rosa Vidal', 'Tom Hale', 'Ada Quinn', 'Iris Cole', 'Marc Diaz'];

/**
 * How an existing customer behaves, from its past into the demo's weeks. Each profile is there
 * for the plays and flags it brings out: thriving (promoter, expansion signals), steady, narrow
 * (one feature: low adoption), declining (usage drops in the demo's first days: usage-drop,
 * falling-fast, tier-dropped, a contraction), dormant (quiet for weeks: no-login-7d, red from its
 * first score), troubled (late payment, a ticket spike, a detractor, its champion leaves).
 */
export const PROFILES = {
  thriving: { archetype: 'champion', breadth: 0.85, activity: () => 0.85 },
  steady: { archetype: 'steady', breadth: 0.6, activity: () => 0.5 },
  narrow: { archetype: 'steady', breadth: 0.17, activity: () => 0.45 },
  declining: { archetype: 'fading', breadth: 0.5, activity: (day: number, fadeDay: number) => (day < fadeDay ? 0.6 : 0.05) },
  dormant: { archetype: 'ghost', breadth: 0.3, activity: (day: number) => (day < -20 ? 0.3 : 0) },
  troubled: { archetype: 'fading', breadth: 0.35, activity: () => 0.25 },
} as const satisfies Record<string, { archetype: Archetype; breadth: number; activity: (day: number, fadeDay: number) => number }>;
export type Profile = keyof typeof PROFILES;
// Six in ten healthy, four at risk: a book whose retention is near the brief's targets (GRR 90%, NRR 110%).
const PROFILE_CYCLE: Profile[] = ['thriving', 'dormant', 'steady', 'narrow', 'declining', 'troubled', 'thriving', 'steady', 'steady', 'thriving'];

/** What the demo records on a day of its weeks, through the public API (cli/demo/life.ts). */
export type Happening =
  | { kind: 'nps'; score: number; comment?: string }
  | { kind: 'ticket'; id: string; priority: 'normal' | 'high'; sentiment: number; subject: string; closeDay?: number; csat?: number }
  | { kind: 'arr'; arr: number; seats: number }
  | { kind: 'payment'; status: 'current' | 'late' }
  | { kind: 'left'; role: 'champion' | 'executive-sponsor' }
  | { kind: 'renewal'; outcome: 'renewed'; newArr: number }
  | { kind: 'renewal'; outcome: 'churned'; reason: string };

/** An existing customer: imported on the demo's first morning with its past, then living its weeks. */
export interface Customer {
  profile: Profile;
  plan: 'starter' | 'pro' | 'enterprise';
  owner?: (typeof CSMS)[number];
  /** Its start, months or years before the demo (ISO date). */
  startDate: string;
  /** Its renewal date, in days from the demo's start (the day its outcome is recorded). */
  renewalDay: number;
  /** The ARR it started with, before a change halfway to the demo (both in its revenue history, dated). */
  earlier?: { arr: number };
  sponsor?: { email: string; name: string };
  /** For a declining customer, the demo day its usage falls off. */
  fadeDay: number;
  departments: string[];
  premium: boolean;
  /** Answers and tickets from before the demo (imported with it). */
  past: { nps?: { score: number; daysAgo: number }; tickets: { priority: 'normal'; sentiment: number; daysAgo: number }[] };
  /** What happens to it during the demo, by day. */
  happenings: { day: number; what: Happening }[];
}

const isoDay = (start: Date, day: number) => new Date(start.getTime() + day * DAY).toISOString().slice(0, 10);

/** A profile's outcome at renewal: most healthy customers renew (some expand), most unhealthy ones leave, each with its reason. */
function renewalOutcome(r: Random, profile: Profile, arr: number): Happening {
  const renew = (factor: number): Happening => ({ kind: 'renewal', outcome: 'renewed', newArr: Math.round((arr * factor) / 100) * 100 });
  const churn = (reason: string): Happening => ({ kind: 'renewal', outcome: 'churned', reason });
  switch (profile) {
    case 'thriving':
      return renew(r.chance(0.5) ? 1.2 : 1);
    case 'steady':
      return r.chance(0.95) ? renew(1) : churn('budget');
    case 'narrow':
      return r.chance(0.7) ? renew(0.8) : churn('product-fit');
    case 'declining':
      return r.chance(0.55) ? renew(0.7) : churn(r.pick(['budget', 'competitor']));
    case 'dormant':
      return churn(r.pick(['product-fit', 'other']));
    case 'troubled':
      return r.chance(0.4) ? renew(0.9) : churn(r.pick(['price', 'champion-left', 'competitor']));
  }
}

/** The day of the demo, inside its `days`, a share `at` (0-1) of the way through; at least day 0. */
const within = (days: number, at: number) => Math.max(0, Math.min(days - 1, Math.floor(days * at)));

/**
 * Turns some of the synthetic accounts into existing customers (`share` of them): signed up
 * months or years ago, with a plan, an owner for the accounts a human looks after, an earlier
 * ARR, past answers and tickets, a renewal date (most in the demo's weeks: calendar-year
 * contracts renew in January; the rest over the year), and the happenings of their weeks.
 * Profiles are dealt in a fixed cycle, so even a small population has each of them.
 */
export function makeCustomers(r: Random, accounts: SyntheticAccount[], days: number, start: Date, share = 0.8): void {
  const count = Math.round(accounts.length * share);
  for (let k = 0; k < count; k++) {
    const a = accounts[k]!;
    const profile = PROFILE_CYCLE[k % PROFILE_CYCLE.length]!;
    const p = PROFILES[profile];
    // One in seven is large (high touch, over $50k), about a third medium: the brief's segmentation.
    const size = k % 7 === 0 ? 'large' : k % 3 === 0 ? 'medium' : 'small';
    a.seats = size === 'large' ? r.int(40, 70) : size === 'medium' ? r.int(15, 30) : r.int(3, 12);
    a.users = Array.from({ length: a.seats }, (_, u) => `${a.id}-u${u + 1}`);
    const perSeat = size === 'large' ? r.int(1300, 1800) : size === 'medium' ? r.int(700, 1100) : r.int(300, 800);
    a.arr = Math.round((a.seats * perSeat) / 100) * 100;
    a.archetype = p.archetype;
    a.paymentStatus = profile === 'troubled' ? 'late' : 'current';
    const ageDays = r.int(120, 900);
    a.signupDay = -ageDays;
    // Renewals: two in three in the demo's weeks (calendar-year contracts renew in January), one in
    // six in the quarter after (the renewal play at work), the rest over the year. (k % 3 and the
    // profile cycle of 10 are independent: each profile renews in the weeks as often.)
    const slot = k % 3 < 2 ? 'weeks' : k % 6 === 2 ? 'quarter' : 'year';
    const renewalDay =
      slot === 'weeks' && days > 2
        ? r.int(1, days - 1)
        : slot === 'quarter'
          ? r.int(Math.max(days, 20), Math.max(days, 20) + 60)
          : r.int(Math.max(days, 100), 365);
    const fadeDay = r.int(-4, Math.min(3, days - 1));
    const earlier = r.chance(0.4) ? { arr: Math.round((a.arr * r.pick([0.7, 0.8, 1.25])) / 100) * 100 } : undefined;
    const happenings: Customer['happenings'] = [];
    const answers = profile !== 'dormant' && r.chance(0.7);
    const npsScore = { thriving: r.int(9, 10), steady: r.int(7, 9), narrow: r.int(6, 8), declining: r.int(4, 7), dormant: 3, troubled: r.int(1, 5) }[profile];
    if (answers) happenings.push({ day: r.int(0, days - 1), what: { kind: 'nps', score: npsScore } });
    if (profile === 'troubled') {
      const t = within(days, 0.1);
      for (const [i, d] of [t, t, Math.min(days - 1, t + 1)].entries())
        happenings.push({ day: d, what: { kind: 'ticket', id: `${a.id}-t${i + 1}`, priority: 'high', sentiment: -0.6, subject: 'Exports keep failing' } });
      happenings.push({ day: within(days, 0.3), what: { kind: 'left', role: 'champion' } });
    } else if (r.chance(0.3)) {
      const d = r.int(0, days - 1);
      happenings.push({
        day: d,
        what: {
          kind: 'ticket',
          id: `${a.id}-t1`,
          priority: 'normal',
          sentiment: r.pick([-0.2, 0.3, 0.6]),
          subject: 'How do I share a dashboard?',
          closeDay: d + 2,
          csat: r.int(3, 5),
        },
      });
    }
    if (profile === 'thriving' && k % 4 === 0)
      happenings.push({ day: within(days, 0.5), what: { kind: 'arr', arr: Math.round((a.arr * 1.25) / 100) * 100, seats: Math.round(a.seats * 1.25) } });
    if (profile === 'declining' && k % 3 === 2)
      happenings.push({ day: within(days, 0.4), what: { kind: 'arr', arr: Math.round((a.arr * 0.7) / 100) * 100, seats: a.seats } });
    if (profile === 'declining' && size !== 'small') happenings.push({ day: within(days, 0.2), what: { kind: 'left', role: 'executive-sponsor' } });
    if (profile === 'steady' && k % 4 === 2) {
      happenings.push({ day: within(days, 0.2), what: { kind: 'payment', status: 'late' } });
      if (days > 10) happenings.push({ day: within(days, 0.6), what: { kind: 'payment', status: 'current' } });
    }
    if (renewalDay < days) happenings.push({ day: renewalDay, what: renewalOutcome(r, profile, a.arr) });
    const sponsorName = r.pick(SPONSORS);
    a.customer = {
      profile,
      plan: size === 'large' ? 'enterprise' : size === 'medium' ? 'pro' : 'starter',
      ...(size !== 'small' ? { owner: CSMS[k % CSMS.length] } : {}),
      startDate: isoDay(start, -ageDays),
      renewalDay,
      ...(earlier ? { earlier } : {}),
      ...(size !== 'small' ? { sponsor: { email: `${sponsorName.split(' ')[0]!.toLowerCase()}@${a.contact.email.split('@')[1]}`, name: sponsorName } } : {}),
      fadeDay,
      departments: profile === 'thriving' ? ['sales', 'finance', 'operations', 'marketing'] : ['operations'],
      premium: profile === 'thriving',
      past: {
        ...(profile === 'thriving' || (answers && r.chance(0.5)) ? { nps: { score: npsScore, daysAgo: r.int(20, 150) } } : {}),
        tickets: Array.from({ length: r.int(0, 2) }, () => ({ priority: 'normal' as const, sentiment: r.pick([-0.3, 0.2, 0.5, 0.8]), daysAgo: r.int(5, 200) })),
      },
      happenings: happenings.sort((x, y) => x.day - y.day),
    };
  }
}

/** The share of seats active on a demo day (negative: before it), and the share of features used. */
export function customerActivity(c: Customer, day: number): { share: number; breadth: number } {
  const p = PROFILES[c.profile];
  return { share: p.activity(day, c.fadeDay), breadth: p.breadth };
}

/** An account's engagement on a day, whatever it is: a customer's profile, or a new signup's archetype. */
export function engagementOn(a: SyntheticAccount, day: number): number {
  return a.customer ? customerActivity(a.customer, day).share : ARCHETYPES[a.archetype].activity(day - a.signupDay);
}
