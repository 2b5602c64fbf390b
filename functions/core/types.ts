import type * as z from './zod.ts';
import type { accountUpsertSchema, contactUpsertSchema, surveySchema, ticketSchema, usageEventSchema } from './schemas.ts';
import type { ScoreResult } from './score/compute.ts';
import type { DailyScore, Trend } from './score/trend.ts';
import type { ActiveFlag } from './flags/rules.ts';

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

export interface Account extends Omit<AccountUpsert, 'startDate' | 'renewalDate' | 'status'> {
  status: NonNullable<AccountUpsert['status']>;
  startDate: string;
  renewalDate?: string;
  segment: 'high-touch' | 'medium-touch' | 'tech-touch';
  createdAt: string;
  updatedAt: string;
  /** `user|course` pairs of completed trainings (events named `training.completed`). */
  trainingsCompleted?: string[];
  /** When the account was first marked churned: the outcome date the churn model learns from. */
  churnedAt?: string;
  onboardingExecution?: string;
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
}

export interface StoredScore extends ScoreResult {
  accountId: string;
  computedAt: string;
  /** The account's segment when scored: it chose the model. */
  segment: string;
  /** Probability of churn from the fitted model; null until `tend model fit` has stored one. */
  churnRisk: number | null;
  trend: Trend;
  /** Daily scores of the last 35 days, kept on the item so a trend costs no extra read. */
  recent: DailyScore[];
  /** At-risk and expansion flags that hold now, with when they started. */
  flags: Record<string, ActiveFlag>;
  signals: Record<string, number | string>;
}

export interface RunStep {
  template?: string;
  /** `unknown`: a send was claimed by an attempt that never confirmed it (see sendStep). */
  outcome: 'sent' | 'skipped' | 'failed' | 'unknown';
  at: string;
  messageId?: string;
  detail?: string;
}

export interface RunRecord {
  accountId: string;
  play: string;
  executionName: string;
  status: 'running' | 'completed' | 'failed';
  startedAt: string;
  finishedAt?: string;
  schedule: Record<string, string>;
  steps: Record<string, RunStep>;
}

export interface SendRecord {
  accountId: string;
  sendKey: string;
  contact: string;
  template: string;
  play: string;
  step: string;
  status: 'claimed' | 'sent' | 'failed' | 'skipped';
  claimedAt: string;
  sentAt?: string;
  messageId?: string;
  error?: string;
}
