import { ValidationError } from './errors.ts';
import { listItemOf, matchesAccountFields, sortedAccountList, type AccountListItem, type ListContext, type ListDeps } from './account-list-view.ts';
import { indexedAccountList, type AccountListIndex } from './indexed-account-list.ts';
import { idSchema } from './schemas.ts';
import { accountListQuerySchema, type AccountListQuery } from './account-list-query.ts';
export { accountListQuerySchema, type AccountListQuery };

export const SHARD_COUNT = 16;

export type { AccountListItem } from './account-list-view.ts';

/** Where the next page starts: opaque to clients (base64url of shard and last id). */
function decodeCursor(cursor: string | undefined): { shard: number; after?: string } {
  if (!cursor) return { shard: 0 };
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,2}):(.+)$/.exec(text);
  // The id goes to DynamoDB as part of ExclusiveStartKey: only an account id is a cursor's.
  if (!match || Number(match[1]) >= SHARD_COUNT || !idSchema.safeParse(match[2]).success)
    throw new ValidationError('cursor: not a cursor this API returned', [{ field: 'cursor', message: 'not a cursor this API returned' }]);
  return { shard: Number(match[1]), after: match[2] };
}
const encodeCursor = (shard: number, after: string) => Buffer.from(`${shard}:${after}`, 'utf8').toString('base64url');

const FILTERS = ['band', 'segment', 'plan', 'owner', 'stage', 'flag', 'q'] as const;

/**
 * A page of accounts. Sorted or filtered: from the list's index once it is ready (a bounded read,
 * indexed-account-list.ts); until then (a deployment whose entries the rebuild has not written
 * yet) the whole book is read, as before, so a page is never wrong, only dear. Neither: shard by
 * shard in id order, a card read for each account listed.
 */
export async function listAccounts(
  deps: ListDeps & { listIndex?: AccountListIndex },
  query: AccountListQuery,
  context: ListContext,
): Promise<{ accounts: AccountListItem[]; cursor: string | null }> {
  const filtered = FILTERS.some((f) => query[f] !== undefined);
  if ((query.sort || filtered) && deps.listIndex && (await deps.listIndex.ready()))
    return indexedAccountList({ ...deps, listIndex: deps.listIndex }, query, context);
  if (query.sort) return sortedAccountList(deps, { ...query, sort: query.sort }, context, SHARD_COUNT);
  return bookOrderList(deps, query, context);
}

/**
 * Accounts shard by shard, filtered on their own fields (segment, owner, search) first, then on
 * their card (plan, stage, health band) and flags. Filters are applied as pages are read, so a
 * filtered page may take several reads of the index (a whole-book read for a rare filter: the
 * list's index replaces it once ready).
 */
async function bookOrderList(deps: ListDeps, query: AccountListQuery, context: ListContext): Promise<{ accounts: AccountListItem[]; cursor: string | null }> {
  let { shard, after } = decodeCursor(query.cursor);
  const out: AccountListItem[] = [];
  while (shard < SHARD_COUNT) {
    const page = await deps.catalog.page(shard, after, 100);
    // Cards (a score and a runs read each) only for the accounts whose own fields pass.
    const enriched = new Map(
      (await Promise.all(page.accounts.filter((a) => matchesAccountFields(a, query)).map((a) => listItemOf(deps, a, context)))).map((i) => [i.customer.id, i]),
    );
    for (const account of page.accounts) {
      after = account.id;
      const item = enriched.get(account.id);
      const keep =
        item &&
        (!query.plan || item.plan === query.plan) &&
        (!query.stage || item.stage === query.stage) &&
        (!query.band || (item.healthScore.band ?? 'unscored') === query.band) &&
        (!query.flag || item.flags.includes(query.flag));
      if (keep) out.push(item);
      if (out.length === query.limit) return { accounts: out, cursor: encodeCursor(shard, after) };
    }
    if (!page.more) {
      shard++;
      after = undefined;
    }
  }
  return { accounts: out, cursor: null };
}
