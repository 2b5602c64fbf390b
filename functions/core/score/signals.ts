import { plural } from '../plural.ts';
import type { SignalValue } from './model.ts';

/** What a signal means, in words a CSM reads on the account card. */
export interface SignalInfo {
  label: string;
  describe(value: SignalValue): string;
}

const pct = (v: SignalValue) => `${Math.round(Number(v) * 100)}%`;
const num = (digits: number) => (v: SignalValue) => Number(v).toFixed(digits).replace(/\.0+$/, '');
/** `1 day`, `2.5 days`: the count as `num(digits)` writes it, with its noun (plural.ts). */
const count = (digits: number, one: string, many?: string) => (v: SignalValue) => plural(Number(v), one, many, (n) => num(digits)(n));

export const signalCatalogue: Record<string, SignalInfo> = {
  loginDaysPerWeek: { label: 'login frequency', describe: (v) => `active users logged in ${count(1, 'day')(v)} a week over the last 2 weeks` },
  featureAdoption: { label: 'feature adoption', describe: (v) => `${pct(v)} of the product's features used in the last 30 days` },
  activeSeatRatio: { label: 'active users vs licensed seats', describe: (v) => `${pct(v)} of licensed seats active in the last 30 days` },
  usageDepth: { label: 'depth of usage', describe: (v) => `each active user uses ${count(1, 'feature')(v)} a day` },
  daysSinceLastActivity: { label: 'days since last activity', describe: (v) => `last activity ${count(0, 'day')(v)} ago` },
  supportQuality: { label: 'support interactions', describe: (v) => `support interaction quality ${pct(v)}` },
  trainingCompletion: { label: 'training', describe: (v) => `${pct(v)} of training completed` },
  communityParticipation: { label: 'community participation', describe: (v) => `community participation ${pct(v)}` },
  emailEngagement: { label: 'email engagement', describe: (v) => `${pct(v)} of emails opened or clicked` },
  nps: { label: 'NPS', describe: (v) => `latest NPS answer ${num(0)(v)} of 10` },
  csat: { label: 'CSAT', describe: (v) => `CSAT averages ${num(1)(v)} of 5 over the last 90 days` },
  renewalProbability: { label: 'renewal probability', describe: (v) => `renewal probability ${pct(v)}` },
  ticketSentiment: { label: 'ticket sentiment', describe: (v) => `ticket sentiment ${num(2)(v)} (-1 to 1)` },
  arr: { label: 'contract value', describe: (v) => `ARR $${Math.round(Number(v)).toLocaleString('en-US')}` },
  usageGrowth: {
    label: 'growth',
    describe: (v) => `usage ${Number(v) >= 1 ? 'up' : 'down'} ${Math.abs(Math.round((Number(v) - 1) * 100))}% on the prior 30 days`,
  },
  strategicImportance: { label: 'strategic importance', describe: (v) => `strategic importance ${String(v)}` },
  paymentStatus: { label: 'payment status', describe: (v) => `payment status ${String(v)}` },
  weeklyActiveSeatRatio: { label: 'weekly active users', describe: (v) => `${pct(v)} of licensed seats active in the last 7 days` },
  sessionsPerUserWeek: { label: 'sessions per user', describe: (v) => `${count(1, 'session')(v)} per active user a week` },
  minutesPerUserWeek: { label: 'time in product', describe: (v) => `${count(0, 'minute')(v)} per active user a week` },
  daysToRenewal: { label: 'renewal proximity', describe: (v) => `renews in ${count(0, 'day')(v)}` },
  ticketsLast30Days: { label: 'support tickets', describe: (v) => `${count(0, 'support ticket')(v)} in the last 30 days` },
  outreachResponse: { label: 'response to outreach', describe: (v) => `${pct(v)} of outreach answered` },
  executiveSponsor: { label: 'executive sponsor', describe: (v) => (v === 'yes' ? 'has an executive sponsor' : 'no executive sponsor') },
  roiRealized: { label: 'ROI', describe: (v) => `${pct(v)} of the expected ROI realized` },
  goalsMet: { label: 'goals met', describe: (v) => `${pct(v)} of stated goals met` },
  apiUsageTrend: {
    label: 'API usage trend',
    describe: (v) => `days with API calls ${Number(v) >= 1 ? 'up' : 'down'} ${Math.abs(Math.round((Number(v) - 1) * 100))}% on the prior period`,
  },
  stakeholders: { label: 'multi-threading', describe: (v) => `${count(0, 'person', 'people')(v)} known at the account` },
};

export function signalInfo(id: string): SignalInfo {
  return signalCatalogue[id] ?? { label: id, describe: (v) => `${id} ${String(v)}` };
}

/** Signals measured as a share (0..1), shown as percentages. */
const SHARES = new Set([
  'featureAdoption',
  'activeSeatRatio',
  'weeklyActiveSeatRatio',
  'supportQuality',
  'trainingCompletion',
  'communityParticipation',
  'emailEngagement',
  'renewalProbability',
  'outreachResponse',
  'roiRealized',
  'goalsMet',
  'coreFeatureUsage',
  'advancedFeatureAdoption',
  'integrationsConfigured',
  'useCaseExpansion',
  'qbrAttendance',
  'integrationCompleteness',
  'renewalConfidence',
]);

/** A signal's value in a few characters, for "(84% a week ago)". */
export function shortValue(signal: string, value: SignalValue): string {
  if (typeof value === 'string') return value;
  if (SHARES.has(signal)) return pct(value);
  if (signal === 'arr') return `$${Math.round(value).toLocaleString('en-US')}`;
  return num(1)(value);
}
