import type * as z from './zod.ts';
import type { accountUpsertSchema, contactUpsertSchema, surveySchema, ticketSchema, usageEventSchema } from './schemas.ts';
import type { ScoreResult } from './score/compute.ts';
import type { DailyScore, Trend } from './score/trend.ts';
import type { ActiveFlag } from './flags/rules.ts';
import type { ClearedFlag } from './flags/cleared.ts';

export type AccountUpsert = z.output<typeof accountUpsertSchema>;
export type UsageEvent = z.output<typeof usageEventSchema>;
export type Survey = z.output<typeof surveySchema>;
export type Ticket = z.output<typeof ticketSchema>;
export type ContactUpsert = z.output<typeof contactUpsertSchema>;
export interface Contact extends Omit<ContactUpsert, 'left'> {
  /** When the contact was recorded as having left the customer. */
  leftAt?: string;
  updatedAt: string;
}

export type Segment = 'high-touch' | 'medium-touch' | 'tech-touch';

export interface Account extends Omit<AccountUpsert, 'startDate' | 'renewalDate' | 'status' | 'segment' | 'effectiveDate' | 'source'> {
  status: NonNullable<AccountUpsert['status']>;
  startDate: string;
  renewalDate?: string;
  /** The touch model in force: the pinned one, else the one ARR gives. */
  segment: Segment;
  /** A segment pinned by an upsert (`segment` other than `auto`); absent when ARR decides. */
  segmentSet?: Segment;
  createdAt: string;
  updatedAt: string;
  /** `user|course` pairs of completed trainings (events named `training.completed`). */
  trainingsCompleted?: string[];
  /** When the account was first marked churned: the outcome date the churn model learns from. */
  churnedAt?: string;
  /** When `account.created` was published (plays start from it). */
  announcedAt?: string;
  /** Lifecycle stage, set by plays (brief §2 and the card's STAGE). */
  stage?: 'onboarding' | 'adoption' | 'retention' | 'expansion' | 'at-risk';
  stageSince?: string;
  /** Milestones reached, by name (firstValue...), with when. */
  milestones?: Record<string, string>;
  /** The latest renewal outcome recorded (POST /v1/accounts/{id}/renewals): plays exit on it. */
  lastRenewal?: { renewalDate: string; outcome: 'renewed' | 'churned'; reason?: string; recordedAt: string };
}

/** One account's activity on one UTC day, as sets so a replayed event changes nothing. */
export interface UsageDay {
  day: string;
  users: string[];
  features: string[];
  /** `user|feature` pairs: how many features each user touched that day. */
  userFeatures: string[];
  /** Session ids seen that day (events that carry `properties.sessionId`). */
  sessions?: string[];
  /** Departments of that day's active users (events that carry `properties.department`). */
  departments?: string[];
  /** `user|session|seconds` entries; the longest per session is its length. */
  sessionSeconds?: string[];
  /** Users who called the API that day (`api.*` events or `properties.source = api`). */
  apiUsers?: string[];
  /** SES message ids of tech-touch emails sent, opened and clicked that day (see docs/email.md). */
  emailsSent?: string[];
  emailsOpened?: string[];
  emailsClicked?: string[];
  /** Sent emails a contact replied to (`email.replies`), by SES message id. */
  emailsReplied?: string[];
}

export interface StoredScore extends ScoreResult {
  accountId: string;
  computedAt: string;
  /** The account's segment when scored: it chose the model. */
  segment: string;
  /** The tier as a band plays understand: top tier green, bottom tier red, others yellow. */
  band?: 'green' | 'yellow' | 'red' | null;
  /** Probability of churn from the fitted model; null until `tend model fit` has stored one. */
  churnRisk: number | null;
  trend: Trend;
  /** Daily scores of the last 35 days, kept on the item so a trend costs no extra read. */
  recent: DailyScore[];
  /** At-risk and expansion flags that hold now, with when they started. */
  flags: Record<string, ActiveFlag>;
  /** Flags cleared in the last 35 days (the latest clearing of each), with their start: absent on items scored before it was kept. */
  clearedFlags?: Record<string, ClearedFlag>;
  signals: Record<string, number | string>;
}

/** What one action of a step did. */
export interface ActionOutcome {
  kind: 'email' | 'task' | 'event' | 'stage';
  /** email: sent, duplicate (an earlier attempt claimed it), skipped; task: created or existed. */
  outcome: string;
  template?: string;
  messageId?: string;
  taskId?: string;
  detail?: string;
}

export interface RunStep {
  /** `waiting`: held until a send window opens; `watching`: a watch step in progress. */
  outcome: 'done' | 'skipped' | 'failed' | 'waiting' | 'watching';
  at: string;
  /** When the step was due; a step done after due + grace was caught up late. */
  due?: string;
  late?: boolean;
  actions?: ActionOutcome[];
  detail?: string;
  /** Watch steps: checks made, and when the escalation went out. */
  checks?: number;
  escalatedAt?: string;
}

export type RunStatus = 'running' | 'paused' | 'completed' | 'exited' | 'failed' | 'cancelled';

/** One run of a play for one account and cycle: where it is, what it did and when. */
export interface RunRecord {
  accountId: string;
  play: string;
  /** The day the run is anchored on (start date, renewal date or trigger day). */
  cycle: string;
  executionName: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  /** Why the run ended early (recovered, churned, renewed...) or failed. */
  reason?: string;
  trigger: { on: string; at: string; detail?: Record<string, unknown> };
  /** The moment step days count from (start date, renewal date or trigger time). */
  anchor?: string;
  /** 1 for the first execution of the run, +1 for each retry of a failed run. */
  attempt?: number;
  schedule: Record<string, string>;
  steps: Record<string, RunStep>;
  /** The next step and when it is due, kept up to date as steps finish. */
  next?: { step: string; at: string } | null;
  pausedAt?: string;
  pausedBy?: string;
  /** Plays with a holdout (docs/holdouts.md): the run's group, drawn when it began. */
  assignment?: import('./plays/holdout.ts').Assignment;
  /** Email steps with variants: the template each step sends to this account in this run, chosen when it began. */
  variants?: Record<string, string>;
  /** The account's segment, plan and owner when the run began: its outcomes count under them (docs/metrics.md); absent on older runs. */
  groups?: import('./metrics/outcome-cuts.ts').OutcomeGroups;
}

/** A to-do for a person: high-touch accounts get these where tech-touch accounts get email. */
export interface CsmTask {
  id: string;
  accountId: string;
  title: string;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  /** `snoozed` until `snoozedUntil`; read as `open` again once that passes (functions/core/tasks.ts `taskStatus`). */
  status: 'open' | 'done' | 'snoozed';
  dueAt: string;
  createdAt: string;
  /** The CSM (a `csms` id of tend.config.ts) who owns the task; absent: the team's queue (`unassigned`). */
  owner?: string;
  play: string;
  step: string;
  executionName: string;
  /** The cycle of the run that created it (tasks from before it was kept have none). */
  cycle?: string;
  /** A play's task: its account's segment, plan and owner when it was created (docs/metrics.md, outcomes by group). */
  groups?: import('./metrics/outcome-cuts.ts').OutcomeGroups;
  snoozedUntil?: string;
  doneAt?: string;
  doneBy?: string;
  /** What came of it, in the CSM's words (the completion's note). */
  outcome?: string;
  comments?: TaskComment[];
}

export interface TaskComment {
  id: string;
  at: string;
  author: string;
  text: string;
}

/** A note a person wrote on an account (functions/core/notes.ts). */
export interface AccountNote {
  id: string;
  accountId: string;
  author: string;
  text: string;
  pinned: boolean;
  createdAt: string;
  /** The note's time for the timeline (its creation). */
  at: string;
  pinnedAt?: string;
}

export interface SendRecord {
  accountId: string;
  sendKey: string;
  contact: string;
  template: string;
  play: string;
  step: string;
  /** Sent by an email step with variants: `<play>/<step>` (docs/holdouts.md); `template` is the variant. */
  variantOf?: string;
  status: 'claimed' | 'sent' | 'failed' | 'skipped';
  claimedAt: string;
  sentAt?: string;
  messageId?: string;
  error?: string;
  /** The message tag SES's events carry back (core/email/reconcile.ts sendIdOf). */
  sendId?: string;
  /** Which attempt is under way or was last made, and when it was claimed (absent on records older than attempts: 1, claimedAt). */
  attempt?: number;
  attemptedAt?: string;
  /** Why the last attempt's outcome is unclear (SES answered 500, the connection dropped...), until SES's events settle it. */
  unclear?: string;
  /** The account's segment, plan and owner when the send was claimed: its outcomes count under them (docs/metrics.md). */
  groups?: import('./metrics/outcome-cuts.ts').OutcomeGroups;
}
