/** The shapes of the API's answers the app reads (docs/api.md); only the fields it shows. */
import type { Band } from './format.ts';

export interface BandFigure {
  accounts: number;
  arr: number;
  accountShare?: number;
  arrShare?: number;
}
export interface Retention {
  startingArr: number;
  nrr: number | null;
  grr: number | null;
  churnedArr: number;
  expansionArr: number;
  contractionArr: number;
  newArr: number;
  logoChurn: number | null;
}
export interface MetricsFigures {
  accounts: number;
  retention: Retention;
  nps: { nps: number | null; responses: number; promoters: number; passives: number; detractors: number };
  csat: { average: number | null; satisfied: number | null; responses: number };
  timeToValue: {
    medianDays: number | null;
    p90Days: number | null;
    withinTarget: number | null;
    started: number;
    reached: number;
    overdue: number;
    pending: number;
  };
  health: Record<Band, BandFigure>;
  accountsQuery: Record<string, string>;
  healthOverTime?: { day: string; accounts: number; bands: Record<Band, { accounts: number; arr: number }>; averageScore: number | null }[];
}
export interface Metrics {
  period: string;
  from: string;
  to: string;
  asOf: string;
  whole: MetricsFigures;
  /** The period's play, email and onboarding outcomes (as GET /v1/metrics/outcomes): null unless the period is whole months. */
  outcomes?: Outcomes | null;
}
export interface RenewalRow {
  accountId: string;
  name: string;
  renewalDate: string;
  arr: number;
  band: Band;
  score: number | null;
  flags: string[];
  owner?: string | null;
  openPlays?: string[];
}
export interface Renewals {
  from: string;
  to: string;
  asOf: string;
  total: { accounts: number; arr: number; query: string };
  byBand: Record<Band, BandFigure & { query: string }>;
  byMonth: { month: string; from: string; to: string; accounts: number; arr: number; byBand: Record<Band, BandFigure>; query: string }[];
  renewals: RenewalRow[];
  cursor: string | null;
}
export interface ChangeList<T> {
  count: number;
  arr: number;
  accounts: T[];
}
export interface Changes {
  from: string;
  asOf: string;
  turnedRed: ChangeList<{ accountId: string; arr: number; score: number; scoreThen: number }>;
  flagsRaised: ChangeList<{ accountId: string; flag: string; kind: string; since: string; clearedAt?: string }> & { byFlag: Record<string, number> };
  movers: {
    up: { accountId: string; change: number; score: number; scoreThen: number }[];
    down: { accountId: string; change: number; score: number; scoreThen: number }[];
  };
}
export interface PlayOutcome {
  play: string;
  started: number;
  completed: number;
  exited: number;
  cancelled: number;
  failed: number;
  live: number;
  exits: Record<string, number>;
  completionRate: number | null;
  onTimeRate: number | null;
  save?: { saved: number; lost: number; rate: number | null };
  query: string;
}
export interface EmailOutcome {
  template: string;
  sent: number;
  opened: number;
  clicked: number;
  replied: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
  rates: Record<string, number>;
}
export interface GroupOutcomes {
  plays: PlayOutcome[];
  email: EmailOutcome[];
  onboarding: { started: number; completed: number; endedEarly: number; pending: number; rate: number | null; exits: Record<string, number> };
}
export interface Outcomes extends GroupOutcomes {
  period: { from: string; to: string };
  /** With `cut=` (segment, plan, owner): each group's figures, by the groups a run had when it began. */
  cut?: string;
  groups?: Record<string, GroupOutcomes>;
}
export interface StepRecord {
  at?: string;
  due?: string;
  outcome: string;
  detail?: string;
  actions?: { kind: string; outcome: string; detail?: string; taskId?: string }[];
}
export interface Run {
  accountId: string;
  play: string;
  cycle: string;
  status: string;
  startedAt: string;
  endedAt?: string;
  exitReason?: string;
  reason?: string;
  steps: Record<string, StepRecord>;
  next?: { step: string; at: string } | null;
}
export interface PlayDef {
  id: string;
  description?: string;
  trigger: Record<string, unknown> & { on: string };
  anchor: string;
  cooldownDays: number;
  steps: { id: string; day: number; [k: string]: unknown }[];
  exitWhen?: unknown;
}
export interface Task {
  id: string;
  accountId: string;
  title: string;
  priority: string;
  status: string;
  dueAt: string;
  owner: string;
  play?: string;
  step?: string;
  overdue?: boolean;
  snoozedUntil?: string;
}
export interface Csm {
  id: string;
  name: string;
  email: string;
  accounts: number;
}
