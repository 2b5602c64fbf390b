import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  accountFields,
  ENTRY_REVISION,
  SCORE_LISTING,
  entryPlace,
  LIST_ORDERS,
  listingChanges,
  orderValue,
  scoreFields,
  scoreListing,
  UNSCORED_FIELDS,
  type ListOrder,
} from '../core/account-list-entry.ts';
import type { AccountRepo } from '../core/ports.ts';
import type { ScoreFacts } from '../core/score/explain.ts';
import type { Account, StoredScore } from '../core/types.ts';
import { accountRepo } from './accounts.ts';
import { writeIf } from './items.ts';
import { batchWrite } from './batch.ts';
import { ACCOUNT_SHARDS, keys, shardOf, TABLE_KEYS } from './keys.ts';
import { ACTIVE_FLAGS, isScored, scoreFactsOf, scoreFactsReader } from './scores.ts';

/** The account list's entries (docs/data-model.md "Sorted account lists"): written with the items they copy, read by account-list-index.ts. */
const { partitionKey: PK, sortKey: SK } = TABLE_KEYS.gsi2;
const REV = ENTRY_REVISION;

/** An entry's gsi2 keys for its order's value. */
export function entryKeys(order: ListOrder, accountId: string, value: string | undefined) {
  const place = entryPlace(value, accountId);
  return { [PK]: keys.listPartition(order, place.lane, shardOf(accountId)), [SK]: place.key };
}

/**
 * The score order's entry fields: the score item itself carries them (keys.listEntry(id, 'score')
 * is the score item), so the daily score write moves the entry with no item or request of its own.
 */
export function scoreEntryFields(score: StoredScoreLike & { accountId: string }): Record<string, unknown> {
  return {
    id: score.accountId,
    ...entryKeys('score', score.accountId, orderValue('score', { id: score.accountId } as Account, score)),
    ...scoreFields(score),
  };
}

/** The whole entry of an account for one order (for the score order: the fields of a score item not scored yet, as seeds put it). */
export function listEntryItem(order: ListOrder, account: Account, score: StoredScoreLike | undefined): Record<string, unknown> {
  return {
    ...keys.listEntry(account.id, order),
    ...entryKeys(order, account.id, orderValue(order, account, score)),
    ...accountFields(account),
    ...scoreFields(score),
  };
}
type StoredScoreLike = Pick<StoredScore, 'score' | 'band' | 'tier' | 'flags'>;

/**
 * SET clauses for the given attributes (undefined ones left out), with their names and values
 * (`ifAbsent`: only where the item has none yet; `remove`: attributes removed).
 */
export function setClauses(set: Record<string, unknown>, ifAbsent: Record<string, unknown> = {}, remove: readonly string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses: string[] = [];
  let i = 0;
  for (const [attr, v] of Object.entries(set)) {
    if (v === undefined) continue;
    names[`#a${i}`] = attr;
    values[`:a${i}`] = v;
    clauses.push(`#a${i} = :a${i}`);
    i++;
  }
  for (const [attr, v] of Object.entries(ifAbsent)) {
    if (attr in set) continue;
    names[`#a${i}`] = attr;
    values[`:a${i}`] = v;
    clauses.push(`#a${i} = if_not_exists(#a${i}, :a${i})`);
    i++;
  }
  const removed = remove.map((attr) => {
    names[`#a${i}`] = attr;
    return `#a${i++}`;
  });
  return {
    UpdateExpression: `SET ${clauses.join(', ')}${removed.length ? ` REMOVE ${removed.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Keeps the entries with the items they copy. The account's fields and the score's are set by
 * separate updates that touch only their own attributes, so neither undoes the other; each write
 * is one UpdateItem per entry (docs/data-model.md gives the units).
 */
export function listEntryWriter(db: DynamoDBDocumentClient, table: string) {
  const update = (accountId: string, order: ListOrder, clauses: ReturnType<typeof setClauses>) =>
    db.send(new UpdateCommand({ TableName: table, Key: keys.listEntry(accountId, order), ...clauses }));
  const scoreDefaults = { ...UNSCORED_FIELDS } as Record<string, unknown>;
  return {
    /**
     * The account's four entries after a write of a field they hold (creates them for a new
     * account), as of the account's revision `rev`: a refresh that read an older revision than the
     * entry holds (two writes racing) is refused, so the entries never go back to an older account.
     */
    async accountChanged(account: Account, rev: number) {
      const fields = { ...accountFields(account), [REV]: rev };
      const newer = { ConditionExpression: `attribute_not_exists(#rev) OR #rev <= :rev` };
      const conditional = (order: ListOrder, clauses: ReturnType<typeof setClauses>) =>
        writeIf(
          db,
          new UpdateCommand({
            TableName: table,
            Key: keys.listEntry(account.id, order),
            ...clauses,
            ...newer,
            ExpressionAttributeNames: { ...clauses.ExpressionAttributeNames, '#rev': REV },
            ExpressionAttributeValues: { ...clauses.ExpressionAttributeValues, ':rev': rev },
          }),
        );
      await Promise.all(
        LIST_ORDERS.map((order) =>
          order === 'score'
            ? // The score's place is the scorer's; an account not scored yet lists in lane 1.
              conditional(order, setClauses({ ...fields }, { ...entryKeys('score', account.id, undefined), ...scoreDefaults }))
            : conditional(order, setClauses({ ...fields, ...entryKeys(order, account.id, orderValue(order, account, undefined)) }, scoreDefaults)),
        ),
      );
    },
    /**
     * Before a score is stored: the other orders' entries, when they must change for it, from
     * `listing`, what they hold of the previous score as its item records it (undefined: not known,
     * the three are written). They take the band, flags and risk when those changed; nothing is
     * written otherwise (the score order's entry is the score item: its write moves it). Returns
     * the new listing, for the score item to record.
     */
    async scoreChanged(score: StoredScore, listing: string | undefined): Promise<string> {
      const next = scoreListing(score);
      if (!listingChanges(listing, next).otherEntries) return next;
      const fields = { ...scoreFields(score) };
      await Promise.all(LIST_ORDERS.filter((o) => o !== 'score').map((order) => update(score.accountId, order, setClauses(fields))));
      return next;
    },
  };
}
export type ListEntryWriter = ReturnType<typeof listEntryWriter>;

/** Account fields the entries hold: a write that changes one rewrites them. */
const LIST_FIELDS = ['name', 'arr', 'renewalDate', 'owner', 'segment', 'plan', 'stage', 'startDate'] as const;
/** Accounts read and not yet written, kept by a container at most (a write follows its read in the same request). */
const SEEN_AT_MOST = 1_000;

/**
 * Accounts whose writes keep their list entries (wrapped at the composition root, like the metric
 * hooks). An upsert sends every field it knows, so whether a listed field changed is decided
 * against the account as the upsert read it: the wrapper keeps each account it reads until its
 * write, which is conditional on that revision, so the account before and after the write are
 * known without another read. Only a write of a changed listed field, or a stage a play set,
 * updates the four entries; a write whose read it did not see reads the account again (1 RCU).
 */
export function accountsWithListEntries(
  repo: AccountRepo,
  writer: ListEntryWriter,
  /**
   * Where a failed entry update goes once the account write has landed: the write stands and its
   * caller is answered as such (a 5xx would make the client retry a write that changes nothing
   * now, so refreshes nothing either); `tend metrics rebuild` puts the entries right. Unset: thrown.
   */
  onError?: (accountId: string, err: unknown) => void,
): AccountRepo {
  const seen = new Map<string, { rev: number; account: Account }>();
  const guarded = async (accountId: string, update: () => Promise<unknown>) => {
    try {
      await update();
    } catch (err) {
      if (!onError) throw err;
      onError(accountId, err);
    }
  };
  const refresh = (accountId: string) =>
    guarded(accountId, async () => {
      const read = await repo.read(accountId);
      if (read) await writer.accountChanged(read.account, read.rev);
    });
  return {
    ...repo,
    async read(accountId) {
      const read = await repo.read(accountId);
      if (seen.size >= SEEN_AT_MOST) seen.clear();
      if (read) seen.set(accountId, { rev: read.rev, account: read.account });
      else seen.delete(accountId);
      return read;
    },
    async write(accountId, write, rev, point) {
      const before = seen.get(accountId);
      seen.delete(accountId);
      const written = await repo.write(accountId, write, rev, point);
      if (!written) return written;
      // The account this write replaced: none for a create, the one read at `rev` otherwise (when seen).
      const old = rev === undefined ? undefined : before?.rev === rev ? before.account : null;
      const touches = LIST_FIELDS.some((f) => f in write.set || write.remove.includes(f));
      if (old === null) {
        if (touches) await refresh(accountId);
        return written;
      }
      const was = (old ?? {}) as Record<string, unknown>;
      const changed = LIST_FIELDS.some((f) => (f in write.set && write.set[f] !== was[f]) || (write.remove.includes(f) && was[f] !== undefined));
      if (!changed) return written;
      const account = { ...was, ...write.set, id: accountId } as Record<string, unknown>;
      for (const f of write.remove) delete account[f];
      await guarded(accountId, () => writer.accountChanged(account as unknown as Account, (rev ?? 0) + 1));
      return written;
    },
    async setStage(accountId, stage, now) {
      await repo.setStage(accountId, stage, now);
      await refresh(accountId);
    },
  };
}

/**
 * The score order's entry on the account's score item, from the account and score as the rebuild
 * read them: an UpdateItem, the score's own attributes untouched but for its flag map, which an item
 * of the former layout kept in `flags` (the list's attribute now) and is copied to `activeFlags`
 * first. A score stored since that read fails the condition: the item is read again and the entry
 * rebuilt from the newer score; if scores keep landing, the item stops vouching for the other
 * entries (`lst` removed), so its next score rewrites them. An account not scored yet gets the
 * unscored entry's fields.
 */
async function rebuildScoreEntry(db: DynamoDBDocumentClient, table: string, account: Account, read: ScoreFacts | undefined) {
  const Key = keys.score(account.id);
  const defaults = { ...entryKeys('score', account.id, undefined), ...UNSCORED_FIELDS };
  let score = read;
  for (let attempt = 0; attempt < REBUILD_ATTEMPTS; attempt++) {
    if (!score) return db.send(new UpdateCommand({ TableName: table, Key, ...setClauses({ ...accountFields(account) }, defaults) }));
    const clauses = setClauses({
      ...accountFields(account),
      ...scoreEntryFields({ ...score, accountId: account.id }),
      [ACTIVE_FLAGS]: score.flags,
      [SCORE_LISTING]: scoreListing(score),
    });
    const written = await writeIf(
      db,
      new UpdateCommand({
        TableName: table,
        Key,
        ...clauses,
        ConditionExpression: '#computedAt = :computedAt',
        ExpressionAttributeNames: { ...clauses.ExpressionAttributeNames, '#computedAt': 'computedAt' },
        ExpressionAttributeValues: { ...clauses.ExpressionAttributeValues, ':computedAt': score.computedAt },
      }),
    );
    if (written) return;
    const again = (await db.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }))).Item;
    score = isScored(again) ? scoreFactsOf(again, account.id) : undefined;
  }
  await db.send(new UpdateCommand({ TableName: table, Key, ...setClauses({ ...accountFields(account) }, {}, [SCORE_LISTING]) }));
}

/** Rebuild attempts of one score entry while scores land on it before the rebuild gives the item back to the scorer. */
const REBUILD_ATTEMPTS = 3;

/** Says every account has its entries: the API reads lists from the index from then on. */
export async function markListReady(db: DynamoDBDocumentClient, table: string, at: Date) {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.listReady, at: at.toISOString() } }));
}

/**
 * Writes every account's four entries from its account and score items, then says the list is
 * ready (`tend metrics rebuild`; docs/data-model.md "Sorted account lists", backfill). A whole
 * read of the book and 4 writes per account; safe to run again (each entry is put whole).
 */
export async function rebuildAccountList(db: DynamoDBDocumentClient, table: string, now: Date): Promise<{ accounts: number; entries: number }> {
  // A table made before the index existed (an old local data folder: dynalite cannot add an index)
  // would answer every indexed list with an error once marked ready: refuse here, in words.
  const described = await db.send(new DescribeTableCommand({ TableName: table }));
  if (!described.Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === TABLE_KEYS.gsi2.name))
    throw new Error(
      `the table ${table} has no ${TABLE_KEYS.gsi2.name} index, which sorted account lists read: deploy the data stack first (cdk deploy), or locally start from a fresh data folder (tend dev --fresh)`,
    );
  const accounts = accountRepo(db, table);
  const facts = scoreFactsReader(db, table);
  let count = 0;
  let entries = 0;
  await Promise.all(
    Array.from({ length: ACCOUNT_SHARDS }, async (_, shard) => {
      for await (const page of accounts.list(shard)) {
        const scores = await facts.many(page.map((a) => a.id));
        // The other orders' entries put whole, and the score order's former entry item deleted (it is the score item now).
        const items = page.flatMap((a) => [
          ...LIST_ORDERS.filter((o) => o !== 'score').map((order) => ({ PutRequest: { Item: listEntryItem(order, a, scores.get(a.id)) } })),
          { DeleteRequest: { Key: keys.formerScoreListEntry(a.id) } },
        ]);
        await batchWrite(db, table, items);
        await Promise.all(page.map((a) => rebuildScoreEntry(db, table, a, scores.get(a.id))));
        count += page.length;
        entries += page.length * LIST_ORDERS.length;
      }
    }),
  );
  await markListReady(db, table, now);
  return { accounts: count, entries };
}
