import type { Random } from './random.ts';
import { customerActivity, type Customer } from './book.ts';

const DAY = 86_400_000;
const PREFIXES = [
  'North',
  'Blue',
  'Bright',
  'Iron',
  'Silver',
  'Green',
  'Summit',
  'Harbor',
  'Pine',
  'Atlas',
  'Nova',
  'Cedar',
  'Delta',
  'Orbit',
  'Maple',
  'Vertex',
];
const SUFFIXES = ['Labs', 'Logistics', 'Health', 'Foods', 'Capital', 'Robotics', 'Media', 'Energy', 'Retail', 'Systems', 'Studio', 'Freight'];
const FIRST = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jun', 'Kira', 'Luca', 'Mina', 'Noah', 'Omar', 'Priya'];

/**
 * How an account behaves over its first weeks: the mix a CS team sees. `activity(day)` is the
 * share of seats active that day; `breadth` the share of features its users touch.
 */
export const ARCHETYPES = {
  champion: { weight: 0.25, breadth: 0.8, training: 1, activity: (d: number) => 0.7 + Math.min(d, 10) * 0.02 },
  steady: { weight: 0.3, breadth: 0.5, training: 0.6, activity: () => 0.45 },
  'slow-starter': { weight: 0.15, breadth: 0.4, training: 0.3, activity: (d: number) => (d < 9 ? 0 : 0.35) },
  fading: { weight: 0.15, breadth: 0.35, training: 0.3, activity: (d: number) => (d < 10 ? 0.5 : 0.05) },
  ghost: { weight: 0.15, breadth: 0.1, training: 0, activity: () => 0 },
} as const;
export type Archetype = keyof typeof ARCHETYPES;

export interface SyntheticAccount {
  id: string;
  name: string;
  seats: number;
  arr: number;
  signupDay: number;
  archetype: Archetype;
  paymentStatus: 'current' | 'late';
  contact: { email: string; name: string };
  users: string[];
  /** An existing customer (cli/demo/book.ts), imported with its past; absent for a new signup. */
  customer?: Customer;
}

function archetypeOf(r: Random): Archetype {
  let x = r.next();
  for (const [name, a] of Object.entries(ARCHETYPES)) {
    if ((x -= a.weight) < 0) return name as Archetype;
  }
  return 'steady';
}

/** `count` accounts with signups spread so that most finish a 30-day onboarding within `days`. */
export function syntheticAccounts(r: Random, count: number, days: number): SyntheticAccount[] {
  const lastSignup = Math.max(0, Math.min(days - 31, 7));
  return Array.from({ length: count }, (_, i) => {
    const name = `${r.pick(PREFIXES)} ${r.pick(SUFFIXES)}`;
    const id = `acct-${String(i + 1).padStart(4, '0')}`;
    const seats = Math.round(3 * Math.exp(r.next() * Math.log(25)));
    const first = r.pick(FIRST);
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '')}${i + 1}.example`;
    return {
      id,
      name,
      seats,
      arr: seats * r.int(300, 1400),
      signupDay: r.int(0, lastSignup),
      archetype: archetypeOf(r),
      paymentStatus: r.chance(0.08) ? 'late' : 'current',
      contact: { email: `${first.toLowerCase()}@${domain}`, name: `${first} ${r.pick(['Lee', 'Ortiz', 'Novak', 'Sato', 'Berg', 'Khan'])}` },
      users: Array.from({ length: seats }, (_, u) => `${id}-u${u + 1}`),
    };
  });
}

export interface SyntheticEvent {
  id: string;
  accountId: string;
  userId: string;
  name: string;
  timestamp: string;
  properties: { feature?: string; course?: string; department?: string };
}

/** One day of an account's product usage (day counted from the demo's start); engaged accounts take the training courses in their first weeks. */
export function usageOnDay(
  r: Random,
  account: SyntheticAccount,
  day: number,
  start: Date,
  features: string[],
  courses: string[] = [],
  premiumFeatures: string[] = [],
): SyntheticEvent[] {
  const age = day - account.signupDay;
  if (age < 0) return [];
  const a = ARCHETYPES[account.archetype];
  const customer = account.customer && customerActivity(account.customer, day);
  const weekend = new Date(start.getTime() + day * DAY).getUTCDay() % 6 === 0;
  const share = (customer ? customer.share : a.activity(age)) * (weekend ? 0.3 : 1);
  const reach = Math.max(1, Math.round(features.length * (customer ? customer.breadth : a.breadth)));
  const departments = account.customer?.departments;
  const premium = account.customer?.premium && premiumFeatures.length ? premiumFeatures : undefined;
  const events: SyntheticEvent[] = [];
  const firstUser = account.users[0]!;
  courses.forEach((course, i) => {
    // A new account takes course i on day 2 + 3i of its life; a customer took them at the start of its imported month.
    if (account.customer) {
      if (day === 1 + i - 30 && r.chance(a.training)) events.push(training(account, firstUser, course, start, day));
      return;
    }
    if (age === 2 + 3 * i && r.chance(a.training)) events.push(training(account, firstUser, course, start, day));
  });
  account.users.forEach((user, u) => {
    if (!r.chance(share)) return;
    // A customer's users come in for a task or two a day (fewer events to post for a month of its past).
    const n = r.int(1, account.customer ? 3 : 4);
    for (let k = 0; k < n; k++) {
      const at = start.getTime() + day * DAY + r.int(8, 18) * 3_600_000 + r.int(0, 3_599_999);
      // A customer's power users try the premium features now and then; its users name their team.
      const feature = premium && k === 0 && r.chance(0.1) ? r.pick(premium) : features[r.int(0, reach - 1)]!;
      events.push({
        id: `${user}-d${day}-${k}`,
        accountId: account.id,
        userId: user,
        name: 'feature_used',
        timestamp: new Date(at).toISOString(),
        properties: { feature, ...(departments ? { department: departments[u % departments.length]! } : {}) },
      });
    }
  });
  return events;
}

const training = (account: SyntheticAccount, user: string, course: string, start: Date, day: number): SyntheticEvent => ({
  id: `${user}-training-${course}`,
  accountId: account.id,
  userId: user,
  name: 'training.completed',
  timestamp: new Date(start.getTime() + day * DAY + 15 * 3_600_000).toISOString(),
  properties: { course },
});
