import type { ScoringInput } from './score/input.ts';
import type {
  Account,
  UsageDay,
  StoredScore,
  RunRecord,
  RunStatus,
  RunStep,
  CsmTask,
  TaskComment,
  AccountNote,
  SendRecord,
  UsageEvent,
  Survey,
  Ticket,
  Contact,
  ContactUpsert,
} from './types.ts';

import type { AccountWrite } from './account-diff.ts';
import type { RenewalOutcome } from './renewals.ts';
import type { RevenuePoint } from './revenue-history.ts';
import type { SendConfirmation } from './email/reconcile.ts';
import type { ReputationDay, SendingOverride } from './email/reputation.ts';

/** What the domain needs from storage. Implemented over DynamoDB in functions/data. */
export interface AccountRepo {
  /** The account with the revision its last upsert left (0 before revisions), strongly consistent. */
  read(accountId: string): Promise<{ account: Account; rev: number; lastPoint?: RevenuePoint } | undefined>;
  /**
   * Applies an upsert's decided write only if no other upsert landed since `rev` was read
   * (`undefined`: only if the account does not exist yet); false when refused. `point`, the
   * revenue history point the change records, is kept on the account item by the same write.
   */
  write(accountId: string, write: AccountWrite, rev: number | undefined, point?: RevenuePoint): Promise<boolean>;
  /** Keeps the latest renewal outcome on the account, where play conditions read it. */
  setLastRenewal(accountId: string, lastRenewal: NonNullable<Account['lastRenewal']>): Promise<void>;
  get(accountId: string): Promise<Account | undefined>;
  existing(accountIds: string[]): Promise<Set<string>>;
  /** The names of these accounts (those that exist), by id, in as few requests as the store allows. */
  names(accountIds: string[]): Promise<Map<string, string>>;
  /** Records that `account.created` went out, so a retried upsert does not announce it again. */
  markAnnounced(accountId: string, now: Date): Promise<void>;
  setStage(accountId: string, stage: NonNullable<Account['stage']>, now: Date): Promise<void>;
  /** Records a milestone the first time it is reached; false when it was already recorded. */
  reachMilestone(accountId: string, milestone: string, at: Date): Promise<boolean>;
  /** Account ids of one shard, page by page. */
  listIds(shard: number): AsyncIterable<string[]>;
  /** Whole accounts of one shard, page by page (the daily sweep). */
  list(shard: number): AsyncIterable<Account[]>;
}

/** An account's revenue history points and renewal outcomes (docs/data-model.md). */
export interface RevenueRepo {
  /** Writes points at their keys: writing one again writes the same item. */
  record(points: RevenuePoint[]): Promise<void>;
  points(accountId: string): Promise<RevenuePoint[]>;
  outcome(accountId: string, renewalDay: string): Promise<RenewalOutcome | undefined>;
  /** Records an outcome unless one is recorded for that renewal: false when there is one. */
  recordOutcome(outcome: RenewalOutcome): Promise<boolean>;
  /** Marks an outcome as applied to the account, so a replay does not apply it again. */
  markApplied(accountId: string, renewalDay: string, at: string): Promise<void>;
  outcomes(accountId: string): Promise<RenewalOutcome[]>;
}

export interface UsageRepo {
  /**
   * Adds the events of one account-day whose ids it has not counted yet, and returns those ids
   * (the first deliveries). A replayed id adds nothing, whatever its body; of racing deliveries
   * of an id, exactly one gets it back.
   */
  record(accountId: string, day: string, events: UsageEvent[]): Promise<string[]>;
  days(accountId: string, fromDay: string, toDay: string): Promise<UsageDay[]>;
  /** The same days and the account's people in one Query (a step that may email reads its recipients with its usage). Optional. */
  daysWithPeople?(accountId: string, fromDay: string, toDay: string): Promise<{ days: UsageDay[]; people: Contact[] }>;
}

export interface ScoreRepo {
  /** The current score, its reasons rebuilt from the stored signals (the item stores no text). */
  get(accountId: string): Promise<StoredScore | undefined>;
  /**
   * Writes the current score (its daily history inside it) unless another run wrote one since
   * `previousComputedAt`: false when this run lost that race and must not publish.
   */
  put(
    score: StoredScore,
    options: {
      previousComputedAt: string | undefined;
      /** What the account's list entries hold of the previous score, as its item records it (ScoringInput `listing`). */
      listing?: string;
      /** The account as scored: its list fields go on a score item that has none yet (an account from before the list entries). */
      account?: Account;
    },
  ): Promise<boolean>;
}

/** Many accounts' stored score facts at once (the portfolio reports): no reasons rebuilt. */
export interface ScoreFactsReader {
  many(accountIds: string[]): Promise<Map<string, import('./score/explain.ts').ScoreFacts>>;
}

/** Everything the scorer reads about an account, in one request (docs/data-model.md). */
export interface ScoringInputs {
  /** The account's usage days from `fromDay` on, and its profile, people, score and feedback. */
  load(accountId: string, fromDay: string): Promise<ScoringInput>;
}

/** Accounts with data newer than their score, for the rescoring job. */
/** The marks a rescoring read in a shard's closed hour buckets (data/dirty.ts). */
export interface ClosedMarks {
  shard: number;
  /** The marked accounts, each once (an account may have marks in several buckets). */
  accountIds: string[];
  /** The mark items read, and the flags' buckets: what `clear` deletes. */
  marks: { accountId: string; sk: string }[];
  flags: string[];
}

/** Accounts with data newer than their score, marked in hour buckets (data/dirty.ts, docs/data-model.md "Rescoring marks"). */
export interface DirtyAccounts {
  mark(accountIds: string[], at: Date): Promise<void>;
  /** The marks in the flagged shards' buckets of hours ended before `now`: one read of the flags, one Query per flagged shard. */
  closed(shards: number[], now: Date): Promise<ClosedMarks[]>;
  /** Deletes what `closed` read, 25 to a request, but the marks of `kept` accounts; their shards stay flagged for the next run. */
  clear(read: ClosedMarks[], kept: ReadonlySet<string>, now: Date): Promise<void>;
  /** Every marked account of a shard, whatever the bucket. */
  list(shard: number): Promise<string[]>;
}

/** Which run: one account, one play, one cycle. */
export interface RunRef {
  accountId: string;
  play: string;
  cycle: string;
}

export interface RunRepo {
  get(ref: RunRef): Promise<RunRecord | undefined>;
  /** Many runs at once, in the order of `refs` (undefined where there is none). */
  getMany(refs: RunRef[]): Promise<(RunRecord | undefined)[]>;
  /** Every run of an account, newest first per play. */
  forAccount(accountId: string): Promise<RunRecord[]>;
  /** The most recent run of a play for an account (its newest cycle): one item read, however many runs the play has had. */
  latest(accountId: string, play: string): Promise<RunRecord | undefined>;
  /** Runs of one play, newest first, a page at a time. */
  /** `group`: only the runs that recorded that group of the cut when they began (older runs recorded none). */
  listByPlay(
    play: string,
    options: { status?: RunStatus; limit: number; cursor?: string; group?: { cut: import('./metrics/outcome-cuts.ts').OutcomeCut; group: string } },
  ): Promise<{ runs: RunRecord[]; cursor?: string }>;
  /** Writes the run when it starts; a redrive of the first task keeps the steps already done. */
  begin(
    run: Pick<
      RunRecord,
      'accountId' | 'play' | 'cycle' | 'executionName' | 'schedule' | 'startedAt' | 'trigger' | 'next' | 'anchor' | 'assignment' | 'variants' | 'groups'
    >,
  ): Promise<void>;
  /** A failed run goes on under a new execution: running again, the steps done kept. False unless it was failed. */
  reopen(ref: RunRef, executionName: string, attempt: number): Promise<boolean>;
  stepDone(ref: RunRef, stepId: string, step: RunStep, next: RunRecord['next']): Promise<void>;
  finish(ref: RunRef, status: RunStatus, at: Date, reason?: string): Promise<void>;
  /** Pauses or resumes a live run; false when the run is not live. */
  setPaused(ref: RunRef, paused: boolean, at: Date, by?: string): Promise<boolean>;
  /**
   * The live-run lock: at most one live run of a play per account. True when this execution
   * holds it (newly or already); false when another run of the play is live.
   */
  claimLive(
    accountId: string,
    play: string,
    holder: { executionName: string; cycle: string; at: string },
  ): Promise<{ held: true } | { held: false; by: { executionName: string; cycle: string } }>;
  releaseLive(accountId: string, play: string, executionName: string): Promise<void>;
  /** The live runs of an account (from the locks). */
  live(accountId: string): Promise<{ play: string; executionName: string; cycle: string }[]>;
}

export interface TaskRepo {
  /** Idempotent on the task id: false when it existed already. */
  create(task: CsmTask): Promise<boolean>;
  forAccount(accountId: string): Promise<CsmTask[]>;
  get(accountId: string, taskId: string): Promise<CsmTask | undefined>;
  /** Marks an open or snoozed task done, once: `already-done` when it was done before (functions/data/tasks.ts). */
  complete(accountId: string, taskId: string, done: { at: string; by?: string; outcome?: string }): Promise<'completed' | 'already-done' | 'not-found'>;
  /** Snoozes a task that is not done; false when it is done (or gone). */
  snooze(accountId: string, taskId: string, until: string): Promise<boolean>;
  /** Moves a task that is not done to another owner's queue; false when it is done (or gone). */
  reassign(accountId: string, taskId: string, owner: string | undefined): Promise<boolean>;
  /** Adds a comment once per comment id; false when that id was already added. */
  comment(accountId: string, taskId: string, comment: TaskComment): Promise<boolean>;
  /** One page of an owner's open queue (or done list), due soonest (done: newest) first; one Query. */
  queue(
    owner: string | undefined,
    options: { done: boolean; dueBefore?: string; limit: number; cursor?: string },
  ): Promise<{ tasks: CsmTask[]; cursor?: string }>;
  /** The queue cursor that resumes right after this task (a listing merged over several queues stops mid-page). */
  cursorAfter(task: CsmTask, done: boolean): string;
}

export type BookAccount = Pick<Account, 'id' | 'name' | 'segment' | 'status'> & Partial<Pick<Account, 'arr' | 'renewalDate' | 'stage' | 'plan' | 'owner'>>;

/** Account owners: the CSMs' books, their account counts and the assignment's counters (functions/data/owners.ts). */
export interface OwnerRepo {
  /** The owner an earlier attempt's assignment chose for this account, if any. */
  claimed(accountId: string): Promise<string | undefined>;
  /** Records the chosen owner unless one was recorded first: false when it lost. */
  claim(accountId: string, owner: string, at: string): Promise<boolean>;
  /** Accounts per CSM. */
  counts(): Promise<Record<string, number>>;
  /** Takes one account slot of a CSM if they still have `seen` accounts (a race lost is false). */
  reserve(csm: string, seen: number): Promise<boolean>;
  /** Gives back a slot `reserve` took. */
  release(csm: string): Promise<void>;
  /** The next turn (1, 2, ...) of a round-robin rule. */
  nextTurn(rule: string): Promise<number>;
  /** Puts the account in the CSM's book; counts it unless `counted` (assignment reserved the slot). */
  addToBook(csm: string, accountId: string, at: string, counted: boolean): Promise<void>;
  removeFromBook(csm: string, accountId: string): Promise<void>;
  /**
   * One page of a CSM's book: one Query of the book, one BatchGetItem of its accounts (a few
   * fields); an entry whose account has another owner now (a move cut short) is left out.
   */
  book(csm: string, options: { limit: number; cursor?: string }): Promise<{ accounts: BookAccount[]; cursor?: string }>;
}

/** Notes on an account (functions/data/notes.ts). */
export interface NoteRepo {
  /** Creates the note once per note id: a replay answers with the note the first call created. */
  create(note: AccountNote): Promise<{ note: AccountNote; created: boolean }>;
  get(accountId: string, noteId: string): Promise<AccountNote | undefined>;
  /** Newest first, one Query a page. */
  list(accountId: string, options: { limit: number; cursor?: string }): Promise<{ notes: AccountNote[]; cursor?: string }>;
  setPinned(accountId: string, noteId: string, pinned: boolean, at: string): Promise<AccountNote | undefined>;
}

/** What Tend counts (CloudWatch metrics on AWS, docs/observability.md): the business side of its health. */
export type Counter = 'EventsIngested' | 'ScoresWritten' | 'PlaysStarted' | 'EmailsSent' | 'EmailsDeferred' | 'EmailsSkipped' | 'EmailsFailed';
export interface Counters {
  count(name: Counter, n?: number): void;
}

/** Starts and stops play runs (Step Functions executions). */
export interface PlayRunner {
  /** Starts a named execution of a play's state machine; an existing run of that name is not an error. */
  start(play: string, executionName: string, input: unknown): Promise<void>;
  stop(play: string, executionName: string, cause: string): Promise<void>;
  /** Whether the execution is still running (false when it ended or never existed). */
  isRunning(play: string, executionName: string): Promise<boolean>;
}

export interface SendLedger {
  /** Conditional put: true when this call claimed the send, false when it was claimed before. */
  claim(record: SendRecord): Promise<boolean>;
  get(accountId: string, sendKey: string): Promise<SendRecord | undefined>;
  markSent(accountId: string, sendKey: string, messageId: string, at: Date): Promise<void>;
  /** The send SES gave this message id (replies name it in In-Reply-To). */
  byMessageId?(messageId: string): Promise<SendRecord | undefined>;
  /** Deletes a claim that never reached SES, so a retry may send. */
  release(accountId: string, sendKey: string): Promise<void>;
  /** Closes a claim that will never be sent (capped, rejected for good), so a retry repeats the decision. */
  close?(accountId: string, sendKey: string, status: 'skipped' | 'failed', reason: string, at: Date): Promise<void>;
  /** Notes why the attempt under way has no clear outcome (kept claimed until SES's events settle it). */
  noteUnclear(accountId: string, sendKey: string, reason: string): Promise<void>;
  /**
   * Notes that a send stays held (an unclear answer, or a claim found without one): the hourly sweep
   * of held sends reads the index only once such a note is due (core/email/held-sweep.ts). Optional:
   * without it the sweep finds the send at its daily full pass.
   */
  noteHeld?(due: Date): Promise<void>;
  /** Moves a still-claimed send to `attempt` (from `attempt - 1`): true when this call won the attempt. */
  reattempt(accountId: string, sendKey: string, attempt: number, at: Date): Promise<boolean>;
  /** Takes back `attempt` (SES surely did not get it): the send returns to the attempt before, made at `previousAt`. */
  rewind(accountId: string, sendKey: string, attempt: number, previousAt: string): Promise<void>;
}

/** The sending reputation's daily counters (from SES's events) and an operator's override of the automatic pause. */
export interface ReputationRepo {
  /** Counts one SES event on its day; false (and nothing counted) when this message's event of this type was counted before. */
  count(messageId: string, kind: 'sent' | 'bounced' | 'complained', at: Date): Promise<boolean>;
  /** The counters of these days (missing days have none). */
  days(days: string[]): Promise<ReputationDay[]>;
  override(): Promise<SendingOverride | undefined>;
  /** `days` and `override` in one read (optional: read apart without it). */
  window?(days: string[]): Promise<{ days: ReputationDay[]; override: SendingOverride | undefined }>;
  setOverride(override: SendingOverride | undefined): Promise<void>;
}

/** What SES's event stream confirmed, by the send id each message is tagged with. */
export interface SendConfirmations {
  /** Records the first event seen for a send id; later ones change nothing. */
  record(confirmation: SendConfirmation): Promise<void>;
  get(sendId: string): Promise<SendConfirmation | undefined>;
}

export interface OutgoingEmail {
  from: string;
  /** Where replies go: the CSM or `sender.replyTo`, and Tend's reply address when `email.replies` is set. */
  replyTo?: string[];
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

/** An event other parts of Tend (the playbooks) react to. */
export interface TendEvent {
  type: 'flag.started' | 'flag.stopped' | 'tier.changed' | 'account.created' | 'account.churned' | 'task.created' | 'milestone.reached' | `play.${string}`;
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
  /** Whether an event id was already claimed, without claiming it. */
  claimed(accountId: string, eventId: string): Promise<boolean>;
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
/** A frequency cap's slots as read before a send (`RecipientReads`): each slot held then, by its number, with when it frees. */
export type CapSlotsRead = Map<number, { sendKey: string; freesAt: string }>;

/**
 * What delivery reads of a recipient before it claims a send, side by side (functions/data/email.ts): whether
 * the address is suppressed, the categories it opted out of (when asked), and the cap's slots (strongly consistent).
 */
export interface RecipientReads {
  read(
    accountId: string,
    email: string,
    wanted: { optedOut: boolean; capSlots: number },
  ): Promise<{ suppressed?: { reason: string; at: string; source: string }; optedOut: string[]; capSlots: CapSlotsRead }>;
}

export interface FrequencyCap {
  /**
   * Takes one of slots 0..slots-1 for this send; false when all are taken within `windowDays`.
   * `read`: the slots as read before (`RecipientReads`), so taking one costs no read of its own.
   */
  take(email: string, sendKey: string, slots: number, now: Date, windowDays: number, read?: CapSlotsRead): Promise<boolean>;
  /** Gives back the slot a send took (SES refused it, so it never reached the contact). */
  release(email: string, sendKey: string): Promise<void>;
}

/** Email engagement per account and day, as sets of SES message ids so a replayed event counts once. */
export interface EngagementRepo {
  /** `at`: when it happened, the key of its timeline entry (a replayed event writes the same entry); a bounce is only on the timeline. */
  record(accountId: string, day: string, kind: 'sent' | 'opened' | 'clicked' | 'replied' | 'bounced', messageId: string, at?: Date): Promise<void>;
}

/** An admin ended a play's holdout early (docs/holdouts.md): runs that begin after `endedAt` are all treated. */
export interface HoldoutEnd {
  play: string;
  endedAt: string;
  by: string;
  reason?: string;
}

export interface HoldoutRepo {
  /** The play's holdout end, if an admin ended it. */
  ended(play: string): Promise<HoldoutEnd | undefined>;
  /** Records the end unless one is recorded: the first stands (its record is returned either way). */
  end(record: HoldoutEnd): Promise<{ ended: boolean; record: HoldoutEnd }>;
}

/** Email outcome counts of a play's variant sends, by `<step>/<template>`, summed over months (functions/data/variant-counts.ts). */
export interface VariantEmailCounts {
  read(play: string, months: string[]): Promise<Record<string, import('./metrics/email-outcomes.ts').EmailCounts>>;
}
