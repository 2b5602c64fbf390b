import { fnv1a } from '../core/hash.ts';

/**
 * The one table's key names and entity keys. CDK (lib/) and the repositories both import this
 * module, so a key rename cannot drift between the table and the code. Access patterns: docs/data-model.md.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** The account list's sorted entries (functions/data/account-list-entries.ts); sparse: only LIST# entries carry its keys. */
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ttl: 'expiresAt',
} as const;

/** Accounts are spread over this many GSI partitions so a full scan for scoring never hits one hot key. */
export const ACCOUNT_SHARDS = 16;

const accountPk = (accountId: string) => `ACCOUNT#${accountId}`;

/**
 * Held sends are spread over this many gsi1 partitions: 4 take ~4,000 claims a second (above SES's
 * send rates), and the hourly sweep reads 4 partitions instead of 16.
 */
export const HELD_SHARDS = 4;

export function shardOf(accountId: string): number {
  return fnv1a(accountId) % ACCOUNT_SHARDS;
}

/**
 * Everything the scorer reads sorts under `S#`, the usage days first: one Query from the oldest
 * day it needs (`scoringRange`) reads the recent days, the account, its people, its score and its
 * feedback, and nothing else (sends, runs, tasks, locks and preferences sort outside the range).
 */
const SCORED = 'S#';

export const keys = {
  account: (accountId: string) => ({ pk: accountPk(accountId), sk: `${SCORED}PROFILE` }),
  accountIndex: (accountId: string) => ({ gsi1pk: `ACCOUNTS#${shardOf(accountId)}`, gsi1sk: accountId }),
  accountShard: (shard: number) => `ACCOUNTS#${shard}`,
  usageDay: (accountId: string, day: string) => ({ pk: accountPk(accountId), sk: `${SCORED}DAY#${day}` }),
  usageDayPrefix: `${SCORED}DAY#`,
  /** A node of a busy account-day's claim tree (usage-overflow.ts); outside `S#`, so the scorer never reads them. */
  /** The claims a busy day's item held when it closed, moved out of it. */
  usageFrozenClaims: (accountId: string, day: string) => ({ pk: accountPk(accountId), sk: `CLAIMS#${day}#frozen` }),
  usageClaims: (accountId: string, day: string, node: string) => ({ pk: accountPk(accountId), sk: `CLAIMS#${day}#${node}` }),
  /** The scorer's one Query: the usage days from `fromDay` on, then every other `S#` item of the account. */
  scoringRange: (accountId: string, fromDay: string) => ({ pk: accountPk(accountId), from: `${SCORED}DAY#${fromDay}`, to: `${SCORED}~` }),
  score: (accountId: string) => ({ pk: accountPk(accountId), sk: `${SCORED}SCORE` }),
  /**
   * Accounts marked with data newer than their score, one small item per account and hour bucket
   * under its shard (no index): `<bucket>#<account>`, the bucket the hour (`YYYY-MM-DDTHH`) the
   * mark belongs to (data/dirty.ts says which, and why a closed bucket is never written again).
   */
  dirty: (accountId: string, bucket: string) => ({ pk: `DIRTY#${shardOf(accountId)}`, sk: `${bucket}#${accountId}` }),
  dirtyShard: (shard: number) => `DIRTY#${shard}`,
  /** Says a shard has marks in a bucket: one small item per shard and bucket (a partition key per shard, so no key takes every ingest call's write). */
  dirtyFlag: (shard: number, bucket: string) => ({ pk: `DIRTYFLAG#${shard}`, sk: bucket }),
  /** The fitted churn model: one item, read once per scoring batch. */
  churnModel: { pk: 'MODEL#churn', sk: 'CURRENT' },
  contact: (accountId: string, email: string) => ({ pk: accountPk(accountId), sk: `${SCORED}PERSON#${email.toLowerCase()}` }),
  contactPrefix: `${SCORED}PERSON#`,
  survey: (accountId: string, answeredAt: string, id: string) => ({ pk: accountPk(accountId), sk: `${SCORED}SURVEY#${answeredAt}#${id}` }),
  surveyPrefix: `${SCORED}SURVEY#`,
  surveysFrom: (accountId: string, from: string) => ({ pk: accountPk(accountId), sk: `${SCORED}SURVEY#${from}` }),
  ticket: (accountId: string, id: string) => ({ pk: accountPk(accountId), sk: `${SCORED}TICKET#${id}` }),
  ticketPrefix: `${SCORED}TICKET#`,
  /** Sorts after every TICKET# key: with surveysFrom, one Query reads recent surveys and all tickets. */
  ticketsEnd: (accountId: string) => ({ pk: accountPk(accountId), sk: `${SCORED}TICKET#\uffff` }),
  /**
   * One recorded state of the account's revenue (ARR, plan, status), by effective day then by the
   * account revision the change wrote: a replayed upsert writes the same key. Outside `S#`.
   */
  arrPoint: (accountId: string, day: string, rev: number) => ({ pk: accountPk(accountId), sk: `ARR#${day}#${String(rev).padStart(10, '0')}` }),
  arrPrefix: 'ARR#',
  /** The recorded outcome of one renewal of the account, by its renewal day: one per renewal. */
  renewalOutcome: (accountId: string, renewalDay: string) => ({ pk: accountPk(accountId), sk: `RENEWAL#${renewalDay}` }),
  renewalPrefix: 'RENEWAL#',
  /** One run of a play for a cycle; in gsi1 under the play, newest first, so runs list per play. */
  run: (accountId: string, play: string, cycle: string) => ({ pk: accountPk(accountId), sk: `RUN#${play}#${cycle}` }),
  runIndex: (play: string, startedAt: string, accountId: string) => ({ gsi1pk: `RUNS#${play}`, gsi1sk: `${startedAt}#${accountId}` }),
  runsOfPlay: (play: string) => `RUNS#${play}`,
  runPrefix: (play?: string) => (play ? `RUN#${play}#` : 'RUN#'),
  /** The live-run lock of a play for an account: present while a run is live. */
  liveRun: (accountId: string, play: string) => ({ pk: accountPk(accountId), sk: `LIVE#${play}` }),
  livePrefix: 'LIVE#',
  task: (accountId: string, taskId: string) => ({ pk: accountPk(accountId), sk: `TASK#${taskId}` }),
  /** Open (and snoozed) tasks by owner (or `unassigned`), due soonest first: a CSM's queue. */
  taskIndex: (owner: string | undefined, dueAt: string, taskId: string) => ({ gsi1pk: `TASKS#${owner ?? 'unassigned'}`, gsi1sk: `${dueAt}#${taskId}` }),
  taskPrefix: 'TASK#',
  send: (accountId: string, sendKey: string) => ({ pk: accountPk(accountId), sk: `SEND#${sendKey}` }),
  sendPrefix: 'SEND#',
  /** A sent email in gsi1 under its SES message id: a reply's In-Reply-To finds its send. */
  sentMessage: (messageId: string) => ({ gsi1pk: `MESSAGE#${messageId}`, gsi1sk: 'SEND' }),
  /**
   * A claimed send in gsi1 under its account's shard, by claim time (sparse: markSent moves the entry
   * to MESSAGE#, close and release drop it), so the sweep of held sends reads only those.
   */
  heldSend: (accountId: string, claimedAt: string, sendId: string) => ({
    gsi1pk: `HELD#${shardOf(accountId) % HELD_SHARDS}`,
    gsi1sk: `${claimedAt}#${sendId}`,
  }),
  heldShard: (shard: number) => `HELD#${shard}`,
  /** When a held send is first due for the sweep (written only when a send stays held): the hourly sweep reads this item alone until then. */
  heldNotice: { pk: 'HELDNOTICE', sk: 'DUE' },
  /** When the held-send sweep's last full pass completed: beside the notice, so one Query reads both. */
  heldFullPass: { pk: 'HELDNOTICE', sk: 'FULLPASS' },
  /** What SES's events confirmed about one send id (core/email/reconcile.ts): the first event wins; expires after 30 days. */
  sendConfirmation: (sendId: string) => ({ pk: `SENDCONF#${sendId}`, sk: 'CONF' }),
  /** The account's sending reputation, one counter item per day (sends, bounces, complaints from SES's events). */
  reputationDay: (day: string) => ({ pk: 'EMAILREP', sk: `DAY#${day}` }),
  reputationPartition: 'EMAILREP',
  /** One SES event counted towards the reputation (a replayed event is not counted twice); expires after 8 days. */
  reputationEvent: (messageId: string, eventType: string) => ({ pk: `EMAILREPEVT#${messageId}`, sk: eventType }),
  /** An operator's resume of automatically paused sending, until it expires. */
  sendingOverride: () => ({ pk: 'EMAILREP', sk: 'OVERRIDE' }),
  /** An address Tend must not email: one item per address, whatever the account (a bounce is a bounce). */
  suppression: (email: string) => ({ pk: `SUPPRESSED#${email.toLowerCase()}`, sk: 'SUPPRESSED' }),
  /** A contact's email opt-outs by category, under the account the unsubscribe link named. */
  preferences: (accountId: string, email: string) => ({ pk: accountPk(accountId), sk: `PREFS#${email.toLowerCase()}` }),
  /** The frequency cap's slots of one address (docs/email.md). */
  capSlot: (email: string, slot: number) => ({ pk: `CAP#${email.toLowerCase()}`, sk: `SLOT#${slot}` }),
  capSlots: (email: string) => `CAP#${email.toLowerCase()}`,
  // Outcome counters (issue 13, functions/data/outcome-counters.ts): one partition per month, read whole for a period.
  /** A play's outcome counts for one month (runs by start month, tasks by the month they were done). */
  outcomePlay: (month: string, play: string) => ({ pk: `OUTCOMES#${month}`, sk: `PLAY#${play}` }),
  /** A template's email outcome counts for the sends of one month. */
  outcomeTemplate: (month: string, template: string) => ({ pk: `OUTCOMES#${month}`, sk: `TEMPLATE#${template}` }),
  outcomeMonth: (month: string) => `OUTCOMES#${month}`,
  outcomePlayPrefix: 'PLAY#',
  outcomeTemplatePrefix: 'TEMPLATE#',

  // Owners, the task queue and notes (issue 14; docs/data-model.md "Owners, tasks and notes").
  /** A CSM's open queue (gsi1): `TASKS#<owner>` or `TASKS#unassigned`. */
  taskQueue: (owner: string | undefined) => `TASKS#${owner ?? 'unassigned'}`,
  /** Done tasks leave the open queue for this one, newest first, so a queue Query reads no finished work. */
  doneTaskIndex: (owner: string | undefined, doneAt: string, taskId: string) => ({
    gsi1pk: `TASKSDONE#${owner ?? 'unassigned'}`,
    gsi1sk: `${doneAt}#${taskId}`,
  }),
  doneTaskQueue: (owner: string | undefined) => `TASKSDONE#${owner ?? 'unassigned'}`,
  /** One entry per account in its owner's book (its own partition, no index): written only when the owner changes. */
  bookEntry: (csm: string, accountId: string) => ({ pk: `BOOK#${csm}`, sk: accountId }),
  book: (csm: string) => `BOOK#${csm}`,
  /** Accounts per CSM, one counter item each in one small partition: GET /v1/csms and fewest-accounts read it in one Query. */
  csmCount: (csm: string) => ({ pk: 'CSMS', sk: csm }),
  csmCounts: 'CSMS',
  /** A round-robin rule's turn counter (its pool names it). */
  assignmentTurn: (rule: string) => ({ pk: `ASSIGN#${rule}`, sk: 'TURN' }),
  /** The owner assignment chose for a new account: a replayed create reads it instead of choosing again. Outside `S#`. */
  ownerClaim: (accountId: string) => ({ pk: accountPk(accountId), sk: 'OWNERCLAIM' }),
  /** A note on the account, by creation time (the timeline reads `NOTE#` with everything else of the account). */
  note: (accountId: string, createdAt: string, noteId: string) => ({ pk: accountPk(accountId), sk: `NOTE#${createdAt}#${noteId}` }),
  notePrefix: 'NOTE#',
  /** A note id's claim, holding its creation time: a replayed create finds the note it made. */
  noteClaim: (accountId: string, noteId: string) => ({ pk: accountPk(accountId), sk: `NOTEID#${noteId}` }),
  // --- issue 14 (slack): the account timeline and alert claims ---
  /**
   * One timeline entry of an account, newest last in key order: one Query `BETWEEN TL# AND TL#~`
   * (descending) lists every kind in time order; outside `S#`, so the scorer never reads them.
   */
  timelineEntry: (accountId: string, at: string, kind: string, ref: string) => ({ pk: accountPk(accountId), sk: `TL#${at}#${kind}#${ref}` }),
  timelinePrefix: 'TL#',
  timelineEnd: 'TL#~',
  /** An alert claimed for one destination before it is posted: posted once whatever the retries. */
  alertClaim: (alertKey: string, destination: string) => ({ pk: `ALERT#${alertKey}`, sk: destination }),
  /** A CSM's accounts that changed on a day (tier moves, flags, renewals at risk), for the daily digest. */
  digestDay: (csmId: string, day: string) => ({ pk: `DIGEST#${csmId}`, sk: `DAY#${day}` }),
  // Metric aggregates (docs/metrics.md, "How the figures are kept"): one partition per cut, items by period, start day and group.
  metricAggregate: (cut: string, sk: string) => ({ pk: `METRICS#${cut}`, sk }),
  metricPartition: (cut: string) => `METRICS#${cut}`,
  /** Says the aggregates are stored as functions/data/metric-layout.ts lays them out: `tend metrics rebuild` wrote them, or the table held no account (functions/data/layout-marks.ts). */
  metricLayoutReady: { pk: 'METRICS', sk: 'LAYOUT#2' },
  /** What the account last added to the aggregates, so the next change adds only the difference. */
  metricContribution: (accountId: string) => ({ pk: accountPk(accountId), sk: 'METRICS#CONTRIBUTION' }),
  // Health over time (docs/metrics.md): one partition per month, one item per day and shard, set by the daily scoring run.
  healthDay: (day: string, shard: number) => ({ pk: `HEALTHDAY#${day.slice(0, 7)}`, sk: `${day}#${String(shard).padStart(2, '0')}` }),
  healthDayPartition: (month: string) => `HEALTHDAY#${month}`,
  // Holdouts and variants (issue 17, docs/holdouts.md).
  /** An admin ended a play's holdout early: one item per play. */
  holdoutEnd: (play: string) => ({ pk: `HOLDOUT#${play}`, sk: 'END' }),
  /** A play's email step variant's outcome counts for one month, beside the play and template counters. */
  outcomeVariant: (month: string, play: string, step: string, template: string) => ({ pk: `OUTCOMES#${month}`, sk: `VARIANT#${play}#${step}#${template}` }),
  outcomeVariantPrefix: 'VARIANT#',
  // Outcome counters by segment, plan and owner (issue 13, functions/data/outcome-counters.ts): one partition per month,
  // one item per play or template and combination of groups (`comboKey`: encoded, so it holds no `#`).
  outcomeCutPlay: (month: string, play: string, combo: string) => ({ pk: `OUTCOMECUTS#${month}`, sk: `PLAY#${play}#${combo}` }),
  outcomeCutTemplate: (month: string, template: string, combo: string) => ({ pk: `OUTCOMECUTS#${month}`, sk: `TEMPLATE#${template}#${combo}` }),
  outcomeCutMonth: (month: string) => `OUTCOMECUTS#${month}`,
  // The book index (docs/metrics.md, "How the figures are kept"): one item per live account, sort key `<renewal day or none>#<account>`.
  renewalPartition: 'RENEWALS',
  // Score states for the weekly review (docs/metrics.md): one partition per day, the daily run's per shard and chunk, the rescorings' logs.
  scoreStateRun: (day: string, shard: number, chunk: number) => ({
    pk: `SCORESTATES#${day}`,
    sk: `RUN#${String(shard).padStart(2, '0')}#${String(chunk).padStart(3, '0')}`,
  }),
  scoreStateLog: (day: string, at: string, id: string) => ({ pk: `SCORESTATES#${day}`, sk: `LOG#${at}#${id}` }),
  scoreStatePartition: (day: string) => `SCORESTATES#${day}`,
  // Sorted account lists (issue 16, docs/data-model.md "Sorted account lists"): one entry per account and order, in gsi2.
  /**
   * The account's entry for one order (name, arr, renewalDate), outside `S#`, so the scorer never
   * reads them; the score order's entry is the score item itself (issue 11: its daily write moves it).
   */
  listEntry: (accountId: string, order: string) => ({ pk: accountPk(accountId), sk: order === 'score' ? `${SCORED}SCORE` : `LIST#${order}` }),
  /** Where the score order's entry was before it moved onto the score item: the rebuild deletes it. */
  formerScoreListEntry: (accountId: string) => ({ pk: accountPk(accountId), sk: 'LIST#score' }),
  /** A gsi2 partition of an order: lane 0 holds the accounts with a value (by value), lane 1 those without (by id). */
  listPartition: (order: string, lane: number, shard: number) => `LIST#${order}#${lane}#${shard}`,
  /** Says every account has its entries (written by the rebuild, or at deploy when the table holds no account: functions/data/layout-marks.ts): until then lists read the book. */
  /** (`READY#2`: the score entries on the score items; a table marked for the former layout reads the book until the rebuild.) */
  listReady: { pk: 'ACCOUNTLIST', sk: 'READY#2' },
  /** Says the renewal day items hold every account (written by the rebuild, or at deploy when the table holds no account): until then renewal totals count the book index. */
  renewalDaysReady: { pk: 'RENEWALDAYS', sk: 'READY' },
  // The weekly review's book notes (docs/metrics.md): a change to an account's ARR, segment or owner, under the day's score states.
  scoreStateNote: (day: string, at: string, id: string) => ({ pk: `SCORESTATES#${day}`, sk: `NOTE#${at}#${id}` }),
  /**
   * What the rescorings scored on a day, per shard (data/scored-today.ts), under the shard's marks (`DIRTY#<shard>`), sorted before them (`!` before the marks' digits): the daily run reads a
   * day's records and every mark of the shard in one Query from `scoredTodayFrom(day)`; the rescoring's Query of marks starts at `dirtyMarksFrom`.
   */
  scoredToday: (day: string, shard: number, at: string, id: string) => ({ pk: `DIRTY#${shard}`, sk: `!SCOREDTODAY#${day}#${at}#${id}` }),
  scoredTodayFrom: (day: string) => `!SCOREDTODAY#${day}#`,
  dirtyMarksFrom: '0',
  /** The account, its score and its surveys, and nothing else (`S#PROFILE` < `S#SCORE` < `S#SURVEY#…`): the metric upkeep's one Query of them. */
  metricSourcesRange: (accountId: string) => ({ pk: accountPk(accountId), from: `${SCORED}PROFILE`, to: `${SCORED}SURVEY#\uffff` }),
};

/** Keys of the ingest API's own items (API keys, rate windows, event claims, Segment links). */
export const apiKeys = {
  apiKey: (id: string) => ({ pk: `APIKEY#${id}`, sk: 'KEY', gsi1pk: 'APIKEYS', gsi1sk: id }),
  apiKeysPartition: 'APIKEYS',
  rateWindow: (keyId: string, windowStart: string) => ({ pk: `RATE#${keyId}`, sk: windowStart }),
  /** Under the account: a replayed event id finds its claim; expires when a replay is no longer plausible. */
  eventClaim: (accountId: string, eventId: string) => ({ pk: accountPk(accountId), sk: `EVENT#${eventId}` }),
  userLink: (userId: string) => ({ pk: `USER#${userId}`, sk: 'ACCOUNT' }),
  segmentSecret: { pk: 'SETTING#segment', sk: 'SHARED_SECRET' },
};
