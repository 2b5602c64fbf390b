import { accountCard, type AccountCard, type CardThresholds } from './card.ts';
import { ValidationError } from './errors.ts';
import type { AccountCatalog, RunRepo, ScoreFactsReader, ScoreRepo } from './ports.ts';
import type { Account } from './types.ts';
import { ACCOUNT_SORTS, type AccountSort } from './account-list-query.ts';
export { ACCOUNT_SORTS, type AccountSort };

export interface AccountListItem extends AccountCard {
  segment: string;
  flags: string[];
  arr?: number;
  /** The owning CSM's id, null when unassigned. */
  owner: string | null;
  renewalDate?: string;
}

export interface ListDeps {
  catalog: AccountCatalog;
  scores: ScoreRepo;
  runs: RunRepo;
  scoreFacts: ScoreFactsReader;
}
export interface ListContext {
  now: Date;
  thresholds: CardThresholds;
  onboardingPlay: string;
}
/** The filters that read the account item alone (no score, no runs): applied first, before any other read. */
export interface AccountFieldFilters {
  segment?: string;
  owner?: string;
  q?: string;
}

/** Whether an account passes the filters on its own fields: `owner` (a CSM id or `unassigned`), and `q`, a piece of its name or the start of its id. */
export function matchesAccountFields(account: Account, f: AccountFieldFilters): boolean {
  if (f.segment && account.segment !== f.segment) return false;
  if (f.owner && (account.owner ?? 'unassigned') !== f.owner) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!account.name.toLowerCase().includes(q) && !account.id.toLowerCase().startsWith(q)) return false;
  }
  return true;
}

/** An account as the list shows it: its card (a read of its score and of its runs) and its own fields. */
export async function listItemOf(deps: ListDeps, account: Account, context: ListContext): Promise<AccountListItem> {
  const [score, runs] = await Promise.all([deps.scores.get(account.id), deps.runs.forAccount(account.id)]);
  const card = accountCard({ account, score, runs, now: context.now, thresholds: context.thresholds, onboardingPlay: context.onboardingPlay });
  return {
    ...card,
    segment: account.segment,
    flags: Object.keys(score?.flags ?? {}),
    ...(account.arr !== undefined ? { arr: account.arr } : {}),
    owner: account.owner ?? null,
    ...(account.renewalDate ? { renewalDate: account.renewalDate } : {}),
  };
}

const invalidCursor = () => new ValidationError('cursor: not a cursor this API returned', [{ field: 'cursor', message: 'not a cursor this API returned' }]);
function offsetOf(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^o:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidCursor();
  return Number(match[1]);
}
const offsetCursor = (offset: number) => Buffer.from(`o:${offset}`, 'utf8').toString('base64url');

/** Every account of the catalog that passes the field filters: one paged Query per shard, the 16 together. */
async function readMatching(catalog: AccountCatalog, shards: number, f: AccountFieldFilters): Promise<Account[]> {
  const per = await Promise.all(
    Array.from({ length: shards }, async (_, shard) => {
      const out: Account[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await catalog.page(shard, after, 1000);
        out.push(...page.accounts.filter((a) => matchesAccountFields(a, f)));
        if (!page.more || page.accounts.length === 0) return out;
        after = page.accounts[page.accounts.length - 1]!.id;
      }
    }),
  );
  return per.flat();
}

/**
 * A sorted list: the order must hold across pages, so the whole catalog is read (what passes the
 * field filters kept), scores read in batches of 100 when the order or a filter needs them, sorted,
 * and one page cut at an offset (the cursor). Cards, which read each account's runs, are built for
 * that page only, or for every candidate when `stage` (a card's field) filters. Cost in
 * docs/data-model.md ("Sorted account lists").
 */
export async function sortedAccountList(
  deps: ListDeps,
  query: AccountFieldFilters & { sort: AccountSort; band?: string; flag?: string; stage?: string; plan?: string; limit: number; cursor?: string },
  context: ListContext,
  shards: number,
): Promise<{ accounts: AccountListItem[]; cursor: string | null }> {
  const offset = offsetOf(query.cursor);
  let candidates = await readMatching(deps.catalog, shards, query);
  const key = query.sort.replace(/^-/, '');
  const facts = key === 'score' || query.band || query.flag ? await deps.scoreFacts.many(candidates.map((a) => a.id)) : undefined;
  if (query.band) candidates = candidates.filter((a) => (facts!.get(a.id)?.band ?? 'unscored') === query.band);
  if (query.flag) candidates = candidates.filter((a) => Object.hasOwn(facts!.get(a.id)?.flags ?? {}, query.flag!));
  let cards: Map<string, AccountListItem> | undefined;
  if (query.stage || query.plan) {
    const items = await Promise.all(candidates.map((a) => listItemOf(deps, a, context)));
    cards = new Map(items.map((i) => [i.customer.id, i]));
    candidates = candidates.filter((a) => (!query.stage || cards!.get(a.id)!.stage === query.stage) && (!query.plan || cards!.get(a.id)!.plan === query.plan));
  }
  const value = (a: Account): string | number | undefined =>
    key === 'name' ? a.name.toLowerCase() : key === 'arr' ? a.arr : key === 'score' ? (facts!.get(a.id)?.score ?? undefined) : a.renewalDate;
  const direction = query.sort.startsWith('-') ? -1 : 1;
  candidates.sort((x, y) => {
    const [a, b] = [value(x), value(y)];
    // Accounts without the value go last either way; ties by id, so pages never overlap.
    if (a === undefined || b === undefined) return a === b ? x.id.localeCompare(y.id) : a === undefined ? 1 : -1;
    return (a < b ? -1 : a > b ? 1 : 0) * direction || x.id.localeCompare(y.id);
  });
  const page = candidates.slice(offset, offset + query.limit);
  const accounts = await Promise.all(page.map((a) => cards?.get(a.id) ?? listItemOf(deps, a, context)));
  return { accounts, cursor: offset + query.limit < candidates.length ? offsetCursor(offset + query.limit) : null };
}
