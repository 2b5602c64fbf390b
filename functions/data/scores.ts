import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScoreFactsReader, ScoreRepo } from '../core/ports.ts';
import type { StoredScore } from '../core/types.ts';
import { DAY_MS, dayOf } from '../core/clock.ts';
import type { DailyScore } from '../core/score/trend.ts';
import { explainScore, factsOf, type ScoreFacts } from '../core/score/explain.ts';
import type { ScoreModel } from '../core/score/model.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { writeIf } from './items.ts';
import { batchGetItems } from './batch.ts';
import { SCORE_CHANGE_POINTS, scoreEntry, type TimelineEntry } from '../core/timeline.ts';
import { putAll, timelineItemOf } from './timeline.ts';
import { scoreEntryFields, setClauses, type ListEntryWriter } from './account-list-entries.ts';
import { accountFields, ENTRY_REVISION, SCORE_LISTING, LIST_ENTRY_ATTRIBUTES, listingChanges, scoreListing } from '../core/account-list-entry.ts';

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The score item's record of what the account's list entries hold of it (account-list-entry.ts `scoreListing`). */
const LISTING = SCORE_LISTING;

/** The score's own flags (name to when each started): `flags` on the item is its list entry's, a list of names. */
export const ACTIVE_FLAGS = 'activeFlags';
/** The facts a score may lack: removed from the item when absent, as a put of the whole item would. */
const OPTIONAL_FACTS = ['clearedFlags'] as const;
/** The band the list shows for an account without one (the score item is its list entry). */
const UNSCORED = 'unscored';
/** Attributes of a score item that are not the score's facts: keys, history, the listing, the list entry's own fields. */
const NOT_FACTS = new Set<string>([
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  'history',
  LISTING,
  ACTIVE_FLAGS,
  'flags',
  TABLE_KEYS.gsi2.partitionKey,
  TABLE_KEYS.gsi2.sortKey,
  ENTRY_REVISION,
  ...LIST_ENTRY_ATTRIBUTES.filter((a) => a !== 'band'),
]);

/**
 * The score's own attributes on its item: the facts of the current score (no reasons: they are
 * rebuilt on read), its daily history as a list of scores, newest first, `history[i]` being the
 * score of i days before `computedAt` (null: not scored that day), its flags as `activeFlags`, and
 * its band as the list shows it (`unscored` for none). The item is also the account's entry in the
 * score-sorted list (account-list-entries.ts): those attributes are the list's.
 */
export function scoreAttributes(score: StoredScore): Record<string, unknown> {
  const { recent, accountId: _id, flags, band, ...facts } = factsOf(score);
  const today = dayMs(dayOf(new Date(score.computedAt)));
  const history: (number | null)[] = [];
  for (const d of recent) history[Math.round((today - dayMs(d.day)) / DAY_MS)] = d.score;
  return { ...facts, band: band ?? UNSCORED, [ACTIVE_FLAGS]: flags, history: Array.from(history, (s) => s ?? null) };
}

/** A whole score item (tests and seeds put one): its score, its list entry's fields and `lst` when given. */
export function scoreItem(score: StoredScore, listing?: string): Record<string, unknown> {
  return {
    ...keys.score(score.accountId),
    ...scoreEntryFields(score),
    ...scoreAttributes(score),
    ...(listing !== undefined ? { [LISTING]: listing } : {}),
  };
}

/** Whether a score item holds a score: the account's writes put its list entry's fields there before its first score. */
export const isScored = (item: Record<string, unknown> | undefined): item is Record<string, unknown> => typeof item?.computedAt === 'string';

/** The stored facts of a score item (one for which isScored holds); items written before issue 11's third pass read the same. */
export function scoreFactsOf(item: Record<string, unknown>, accountId: string): ScoreFacts {
  const facts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!NOT_FACTS.has(k)) facts[k] = v;
  const history = item.history as (number | null)[] | undefined;
  // Before the list entry moved onto the item, `flags` was the score's map.
  const flags = item[ACTIVE_FLAGS] ?? (item.flags && !Array.isArray(item.flags) ? item.flags : {});
  const today = dayMs(dayOf(new Date(String(facts.computedAt))));
  const recent: DailyScore[] = [];
  (history ?? []).forEach((score, i) => {
    if (typeof score === 'number') recent.unshift({ day: dayOf(today - i * DAY_MS), score });
  });
  return {
    ...(facts as Omit<ScoreFacts, 'accountId' | 'recent' | 'flags'>),
    ...(item.band === UNSCORED ? { band: null } : {}),
    flags: flags as ScoreFacts['flags'],
    weekBefore: (facts.weekBefore ?? {}) as ScoreFacts['weekBefore'],
    accountId,
    recent,
  };
}

/** What a score item says its list entries hold (undefined: not known). */
export const listingOf = (item: Record<string, unknown>) => (typeof item[LISTING] === 'string' ? item[LISTING] : undefined);

/**
 * The current score: one item per account, written at most once a day unless the score moves.
 * `timeline`: where a score move's entry goes (a run's buffer, data/timeline.ts); without it, a
 * request of its own right after the score. `listEntries`: the account list's entries that must
 * change with the score are written first (account-list-entries.ts), then the item records what
 * they hold, so a score that changes nothing the list shows writes no entry.
 */
export function scoreRepo(
  db: DynamoDBDocumentClient,
  table: string,
  modelFor: (segment: string) => ScoreModel,
  options: { timeline?: { record(entries: TimelineEntry[]): Promise<void> }; listEntries?: ListEntryWriter } = {},
): ScoreRepo {
  const { timeline, listEntries } = options;
  /**
   * The item no longer vouches for its entries (the next score writes all four): after entries
   * written for a score that was then not stored, which may differ from the item that stands.
   * Best effort on a failure (`tend metrics rebuild` rewrites every entry).
   */
  const forgetListing = (accountId: string) =>
    writeIf(
      db,
      new UpdateCommand({
        TableName: table,
        Key: keys.score(accountId),
        UpdateExpression: 'REMOVE #lst',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#lst': LISTING },
      }),
    );
  /**
   * A lost race (the daily run and a rescoring of the same account, a retried run): the entries
   * may now hold this score's listing rather than the winner's. The same listing (both scored the
   * same data, the usual case) leaves them right; otherwise the item stops vouching for them.
   */
  const afterLostRace = async (accountId: string, listed: string) => {
    const winner = await db.send(new GetCommand({ TableName: table, Key: keys.score(accountId), ConsistentRead: true }));
    if (!winner.Item || listingOf(winner.Item) !== listed) await forgetListing(accountId);
  };
  return {
    async get(accountId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.score(accountId) }));
      if (!isScored(out.Item)) return undefined;
      const facts = scoreFactsOf(out.Item, accountId);
      return explainScore(modelFor(facts.segment), facts);
    },
    async put(score, { previousComputedAt, listing, account }) {
      let listed: string | undefined;
      let written: boolean;
      try {
        // The other orders' entries first (band, flags, risk moved); the score order's entry is this item.
        if (listEntries) listed = await listEntries.scoreChanged(score, listing);
        // One UpdateItem, not a put: the account's fields on the item are the account writes' (account-list-entries.ts).
        const { scoreEntry } = listingChanges(listing, scoreListing(score));
        const absent = OPTIONAL_FACTS.filter((f) => score[f] === undefined);
        const clauses = setClauses(
          { ...scoreAttributes(score), ...(scoreEntry ? scoreEntryFields(score) : {}), ...(listed !== undefined ? { [LISTING]: listed } : {}) },
          // An account whose entry was never written (before the backfill): its fields as this run read them, unless an account write set them.
          listing === undefined && account ? { ...accountFields(account) } : {},
          listed === undefined ? [...absent, LISTING] : absent,
        );
        written = await writeIf(
          db,
          new UpdateCommand({
            TableName: table,
            Key: keys.score(score.accountId),
            ...clauses,
            // A score item without `computedAt` holds only the list entry's fields (written by an account write): no score yet.
            ConditionExpression: previousComputedAt ? '#computedAt = :previous' : 'attribute_not_exists(#computedAt)',
            ExpressionAttributeNames: { ...clauses.ExpressionAttributeNames, '#computedAt': 'computedAt' },
            ExpressionAttributeValues: { ...clauses.ExpressionAttributeValues, ...(previousComputedAt ? { ':previous': previousComputedAt } : {}) },
          }),
        );
        if (!written && listed !== undefined) await afterLostRace(score.accountId, listed);
      } catch (err) {
        // Entries may have changed for a score that was not stored (the entry writes, the put or the
        // lost race's read failed): the item that stands must not vouch for them any more, or a next
        // score listed as the old one would leave them showing a score never stored.
        if (listEntries)
          await forgetListing(score.accountId).catch((cleared: unknown) => {
            throw new Error(`score of ${score.accountId} not stored and its listing not cleared (tend metrics rebuild rewrites the entries)`, {
              cause: [err, cleared],
            });
          });
        throw err;
      }
      const moved = written && dailyMove(score, previousComputedAt);
      if (moved) await (timeline ? timeline.record([moved]) : putAll(db, table, [timelineItemOf(moved)]));
      return written;
    },
  };
}

/**
 * The day's first score, when it moved at least SCORE_CHANGE_POINTS from the last day scored
 * before: a timeline entry. Rescorings later that day write none (their tier moves and flags are
 * entries of their own), so an account has at most one score entry a day.
 */
function dailyMove(score: StoredScore, previousComputedAt: string | undefined) {
  const day = dayOf(new Date(score.computedAt));
  if (score.score === null || (previousComputedAt && dayOf(new Date(previousComputedAt)) === day)) return undefined;
  const before = [...score.recent].filter((d) => d.day < day).sort((a, b) => b.day.localeCompare(a.day))[0];
  if (!before || Math.abs(score.score - before.score) < SCORE_CHANGE_POINTS) return undefined;
  return scoreEntry({ accountId: score.accountId, at: score.computedAt, day, score: score.score, previous: before.score, tier: score.tier });
}

/** Batches of score items read together: BatchGetItem's limit. */
const BATCH = 100;
/** Batches in flight at once: enough to hide latency, few enough not to throttle a small table. */
const IN_FLIGHT = 8;

/**
 * The stored facts of many accounts' scores (no reasons rebuilt: reports read scores, history and
 * flags only), eventually consistent: half a read unit per item of up to 4 KB.
 */
export function scoreFactsReader(db: DynamoDBDocumentClient, table: string): ScoreFactsReader {
  async function batch(ids: string[], into: Map<string, ScoreFacts>) {
    const idOf = new Map(ids.map((id) => [keys.score(id).pk, id]));
    for (const item of await batchGetItems(
      db,
      table,
      ids.map((id) => keys.score(id)),
    )) {
      const accountId = idOf.get(String(item.pk));
      if (accountId && isScored(item)) into.set(accountId, scoreFactsOf(item, accountId));
    }
  }
  return {
    async many(accountIds) {
      const found = new Map<string, ScoreFacts>();
      const batches: string[][] = [];
      for (let i = 0; i < accountIds.length; i += BATCH) batches.push(accountIds.slice(i, i + BATCH));
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, async () => {
          while (next < batches.length) await batch(batches[next++]!, found);
        }),
      );
      return found;
    },
  };
}
