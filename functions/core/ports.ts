import type { Account, AccountUpsert, UsageDay, StoredScore, RunRecord, SendRecord, UsageEvent, Survey, Ticket, Contact, ContactUpsert } from './types.ts';

/** What the domain needs from storage. Implemented over DynamoDB in functions/data. */
export interface AccountRepo {
  /** Writes the account in one conditional-free update; returns the item as it was before, if any. */
  upsert(input: AccountUpsert, now: Date): Promise<{ before: Account | undefined; after: Account }>;
  get(accountId: string): Promise<Account | undefined>;
  existing(accountIds: string[]): Promise<Set<string>>;
  markOnboardingStarted(accountId: string, executionName: string, now: Date): Promise<void>;
  /** Account ids of one shard, page by page. */
  listIds(shard: number): AsyncIterable<string[]>;
}

export interface UsageRepo {
  /** Idempotent: a replayed event adds nothing (rollups are sets). */
  record(accountId: string, day: string, events: UsageEvent[]): Promise<void>;
  days(accountId: string, fromDay: string, toDay: string): Promise<UsageDay[]>;
}

export interface ScoreRepo {
  get(accountId: string): Promise<StoredScore | undefined>;
  /** The signals stored with an account's score of a day, if it was scored that day. */
  signalsOn(accountId: string, day: string): Promise<Record<string, number | string> | undefined>;
  /**
   * Writes the current score (and the day's history item) unless another run wrote one since
   * `previousComputedAt`: false when this run lost that race and must not publish.
   */
  put(score: StoredScore, options: { previousComputedAt: string | undefined }): Promise<boolean>;
}

/** Accounts with data newer than their score, for the rescoring job. */
export interface DirtyAccounts {
  mark(accountIds: string[], at: Date): Promise<void>;
  /** Marked accounts of a shard, with the time they were marked. */
  list(shard: number): Promise<{ accountId: string; markedAt: string }[]>;
  /** Clears a mark unless the account was marked again since `markedAt`. */
  clear(accountId: string, markedAt: string): Promise<void>;
}

export interface RunRepo {
  get(accountId: string, play: string): Promise<RunRecord | undefined>;
  start(run: Pick<RunRecord, 'accountId' | 'play' | 'executionName' | 'schedule' | 'startedAt'>): Promise<void>;
  stepDone(accountId: string, play: string, step: RunRecord['steps'][string] & { id: string }): Promise<void>;
  finish(accountId: string, play: string, status: RunRecord['status'], at: Date): Promise<void>;
}

export interface SendLedger {
  /** Conditional put: true when this call claimed the send, false when it was claimed before. */
  claim(record: SendRecord): Promise<boolean>;
  get(accountId: string, sendKey: string): Promise<SendRecord | undefined>;
  markSent(accountId: string, sendKey: string, messageId: string, at: Date): Promise<void>;
  /** Deletes a claim that never reached SES, so a retry may send. */
  release(accountId: string, sendKey: string): Promise<void>;
  /** Closes a claim that will never be sent (capped, rejected for good), so a retry repeats the decision. */
  close?(accountId: string, sendKey: string, status: 'skipped' | 'failed', reason: string, at: Date): Promise<void>;
}

export interface OutgoingEmail {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
  tags: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export interface JourneyStarter {
  /** Starts a named execution; starting the same name again is not an error. */
  start(executionName: string, input: unknown): Promise<void>;
}

/** An event other parts of Tend (the playbooks) react to. */
export interface TendEvent {
  type: 'flag.started' | 'flag.stopped' | 'tier.changed';
  accountId: string;
  at: string;
  detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(events: TendEvent[]): Promise<void>;
}

/** Survey answers and support tickets: what sentiment is made of. */
export interface FeedbackRepo {
  putSurveys(surveys: Survey[]): Promise<void>;
  putTickets(tickets: Ticket[]): Promise<void>;
  /** Surveys answered since `fromDay` and every ticket of the account (tickets expire a year after opening). */
  recent(accountId: string, fromDay: string): Promise<{ surveys: Survey[]; tickets: Ticket[] }>;
}

export interface ContactRepo {
  /** One write per contact: the first `left: true` stamps leftAt, a later `left: false` clears it. */
  upsert(contacts: ContactUpsert[], now: Date): Promise<void>;
  list(accountId: string): Promise<Contact[]>;
}

/** Addresses Tend must not email again (hard bounces, complaints, SES rejections, by hand). */
export interface SuppressionList {
  get(email: string): Promise<{ reason: string; at: string; source: string } | undefined>;
  /** Idempotent: the first reason and time stand. */
  suppress(email: string, entry: { reason: string; source: string }, at: Date): Promise<void>;
}

/** Per-contact consent by email category (the unsubscribe links write it). */
export interface PreferenceRepo {
  /** Categories the contact opted out of, for this account. */
  optedOut(accountId: string, email: string): Promise<string[]>;
  /** Adds categories to the contact's opt-outs (a set union: replays change nothing). */
  optOut(accountId: string, email: string, categories: string[], at: Date): Promise<void>;
}

/**
 * The per-contact frequency cap as numbered slots: a send takes a slot that is free (never taken,
 * or taken more than the cap's window ago) with a conditional write, so two concurrent sends can
 * never both take the last one.
 */
export interface FrequencyCap {
  /** Takes one of slots 0..slots-1 for this send; false when all are taken within `windowDays`. */
  take(email: string, sendKey: string, slots: number, now: Date, windowDays: number): Promise<boolean>;
  /** Gives back the slot a send took (SES refused it, so it never reached the contact). */
  release(email: string, sendKey: string): Promise<void>;
}

/** Email engagement per account and day, as sets of SES message ids so a replayed event counts once. */
export interface EngagementRepo {
  record(accountId: string, day: string, kind: 'sent' | 'opened' | 'clicked', messageId: string): Promise<void>;
}
