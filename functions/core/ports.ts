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

/** API keys, stored by id with the hash of the key (functions/core/api-keys.ts). */
export interface ApiKeyRepo {
  get(id: string): Promise<import('./api-keys.ts').ApiKeyRecord | undefined>;
  put(record: import('./api-keys.ts').ApiKeyRecord): Promise<void>;
  list(): Promise<import('./api-keys.ts').ApiKeyRecord[]>;
  /** False when there is no such key. */
  revoke(id: string, at: Date): Promise<boolean>;
}

/** Per-key fixed-window request counter: the count of the window after this request. */
export interface RateCounter {
  hit(keyId: string, windowStart: Date, windowSeconds: number): Promise<number>;
}

/** First sight of an event id: true the first time, false for a replay (however the replays race). */
export interface EventClaims {
  claim(accountId: string, eventIds: string[], now: Date): Promise<Map<string, boolean>>;
}

/** The account a (Segment) user was last tied to by a `group` call. */
export interface UserLinks {
  link(userId: string, accountId: string, at: string): Promise<void>;
  accountsOf(userIds: string[]): Promise<Map<string, string>>;
}

/** Accounts in the order of their gsi1 shards, a page at a time, for the listing API. */
export interface AccountCatalog {
  /** Accounts of one shard after `afterId` (id order); `more` when the shard has others after them. */
  page(shard: number, afterId: string | undefined, limit: number): Promise<{ accounts: Account[]; more: boolean }>;
}
