import { type ListFilters, type ListOrder, type StageClock } from './account-list-entry.ts';
import { listItemOf, matchesAccountFields, type AccountListItem, type AccountSort, type ListContext, type ListDeps } from './account-list-view.ts';
import { ValidationError } from './errors.ts';
import { mergePage, type ShardRead } from './sharded-merge.ts';
import type { Account } from './types.ts';
import * as z from './zod.ts';

/**
 * The account list's index (functions/data/account-list-index.ts): per order, 16 shards of lane 0
 * (accounts with a value, by value then id) and of lane 1 (without, by id).
 */
export interface AccountListIndex {
  /** Whether every account has its entries (a deployment from before the index has none until the rebuild). */
  ready(): Promise<boolean>;
  /** One Query of a shard after `after`, with the filters applied by DynamoDB. */
  read(
    q: { order: ListOrder; lane: number; shard: number; descending: boolean; after?: string; limit: number },
    filters: ListFilters,
    clock: StageClock,
  ): Promise<ShardRead>;
  /** The accounts of a page, by id (one BatchGetItem per 100). */
  accounts(ids: string[]): Promise<Map<string, Account>>;
}

/**
 * How far one request reads (docs/data-model.md "Sorted account lists"): at most 5,000 entries
 * examined (about 250 bytes each) in at most 8 rounds of 16 Queries; a filter that matches fewer
 * gives a short page and a cursor, never a read of the whole book.
 */
export const LIST_BUDGET = { budget: 5_000, maxRounds: 8, maxRead: 500 };
const SHARDS = 16;

/** The cursor: the order it belongs to and a position in it (lane, last key), base64url JSON; opaque to clients. */
const cursorSchema = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({ s: z.string(), l: z.union([z.literal(0), z.literal(1)]), k: z.optional(z.string().check(z.minLength(1), z.maxLength(400))) }),
);
const badCursor = () => new ValidationError('cursor: not a cursor this API returned', [{ field: 'cursor', message: 'not a cursor this API returned' }]);

export function decodeListCursor(cursor: string | undefined, sort: string): { lane: number; after?: string } | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const out = cursorSchema.safeParse(parsed);
  // A cursor of another order is a position in another list.
  if (!out.success || out.data.s !== sort) throw badCursor();
  return { lane: out.data.l, ...(out.data.k !== undefined ? { after: out.data.k } : {}) };
}

export const encodeListCursor = (sort: string, at: { lane: number; after?: string }) =>
  Buffer.from(JSON.stringify({ s: sort, l: at.lane, ...(at.after !== undefined ? { k: at.after } : {}) }), 'utf8').toString('base64url');

/** Whether a row's card (read now) still passes the filters: an entry a moment behind its account never lists a wrong row. */
function rowMatches(item: AccountListItem, account: Account, f: ListFilters): boolean {
  return (
    matchesAccountFields(account, f) &&
    (!f.plan || item.plan === f.plan) &&
    (!f.stage || item.stage === f.stage) &&
    (!f.band || (item.healthScore.band ?? 'unscored') === f.band) &&
    (!f.flag || item.flags.includes(f.flag))
  );
}

/**
 * A page of the list from the index: a 16-shard merge in the order asked (`name` when none), the
 * filters in each Query, then the page's accounts (one batch read) and their cards (a score and a
 * runs read each, as before). Accounts without the order's value come after the others, by id.
 */
export async function indexedAccountList(
  deps: ListDeps & { listIndex: AccountListIndex },
  query: ListFilters & { sort?: AccountSort; limit: number; cursor?: string },
  context: ListContext,
): Promise<{ accounts: AccountListItem[]; cursor: string | null }> {
  const sort = query.sort ?? 'name';
  const order = sort.replace(/^-/, '') as ListOrder;
  const descending = sort.startsWith('-');
  const from = decodeListCursor(query.cursor, sort);
  // Every name is a value: the name order has one lane.
  const lanes = order === 'name' ? [{ descending }] : [{ descending }, { descending: false }];
  if (from && from.lane >= lanes.length) throw badCursor();
  const clock: StageClock = { now: context.now, ...context.thresholds };
  const page = await mergePage(
    (lane, shard, after, limit) =>
      deps.listIndex.read({ order, lane, shard, descending: lanes[lane]!.descending, ...(after ? { after } : {}), limit }, query, clock),
    { shards: SHARDS, lanes, limit: query.limit, ...(from ? { from } : {}), ...LIST_BUDGET },
  );
  const accounts = await deps.listIndex.accounts(page.entries.map((e) => e.id));
  const rows = await Promise.all(
    page.entries.map(async (e) => {
      const account = accounts.get(e.id);
      if (!account) return undefined;
      const item = await listItemOf(deps, account, context);
      return rowMatches(item, account, query) ? item : undefined;
    }),
  );
  return { accounts: rows.filter((r): r is AccountListItem => r !== undefined), cursor: page.next ? encodeListCursor(sort, page.next) : null };
}
