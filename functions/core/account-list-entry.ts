import { FLAG_RULES } from './flags/rules.ts';
import { planOf } from './plan.ts';
import type { Account, StoredScore } from './types.ts';

/**
 * What a sorted account list entry holds (docs/data-model.md "Sorted account lists"): the fields
 * every filter of GET /v1/accounts reads, so a filter is a FilterExpression on the index Query,
 * and the order's value, so the index keeps the order. Pure: the data layer writes and reads them.
 */

/** The orders GET /v1/accounts sorts by, each an entry per account. */
export const LIST_ORDERS = ['name', 'arr', 'score', 'renewalDate'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];

/** Between the value and the id in a sort key: below every character a name keeps (control characters are dropped). */
export const KEY_SEPARATOR = '\u0001';
/** A name sorts by its first 80 characters (code points, lower case), then by id: a sort key and its cursor stay short. */
const NAME_KEY_LENGTH = 80;

/** The fields of an entry that come from the account item. */
export interface AccountFields {
  id: string;
  /** The id in lower case: `q` matches the start of it. */
  idl: string;
  /** The name in lower case: `q` matches any piece of it. */
  nm: string;
  seg: string;
  plan: string;
  /** The owner's id, or `unassigned`. */
  own: string;
  /** The stage a play set (`none` without one): the card's stage unless the account is at risk. */
  stg: string;
  /** Start and renewal dates as full ISO instants (`none`: no renewal date), so string order is time order. */
  start: string;
  renew: string;
}

/** The fields of an entry that come from the score item. */
export interface ScoreFields {
  /** green, yellow, red, or `unscored`. */
  band: string;
  flags: string[];
  /** At risk by its score: red band or tier, or a risk flag (the card's At-Risk). */
  risk: boolean;
  /** An expansion flag holds. */
  exp: boolean;
}

export type EntryFields = AccountFields & ScoreFields;

/** The account revision an entry's account fields were copied from (not projected): an older copy never overwrites a newer. */
export const ENTRY_REVISION = 'arev';

/** The entry attributes gsi2 projects (lib/constructs/account-table.ts): the filters' fields and the id. */
export const LIST_ENTRY_ATTRIBUTES = [
  'id',
  'idl',
  'nm',
  'seg',
  'plan',
  'own',
  'stg',
  'start',
  'renew',
  'band',
  'flags',
  'risk',
  'exp',
] as const satisfies readonly (keyof EntryFields)[];

const isoOrNone = (value: string | undefined, none: string) => {
  const at = value ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? none : new Date(at).toISOString();
};

export function accountFields(account: Account): AccountFields {
  return {
    id: account.id,
    idl: account.id.toLowerCase(),
    nm: account.name.toLowerCase(),
    seg: account.segment,
    plan: planOf(account),
    own: account.owner ?? 'unassigned',
    stg: account.stage ?? 'none',
    // An unreadable start date is never "new" (the card's age is NaN): the empty string sorts before every cut-off.
    start: isoOrNone(account.startDate, ''),
    renew: isoOrNone(account.renewalDate, 'none'),
  };
}

export const UNSCORED_FIELDS: ScoreFields = { band: 'unscored', flags: [], risk: false, exp: false };

export function scoreFields(score: Pick<StoredScore, 'band' | 'tier' | 'flags'> | undefined): ScoreFields {
  if (!score) return UNSCORED_FIELDS;
  const flags = Object.keys(score.flags ?? {}).sort();
  const kinds = new Set(flags.map((f) => FLAG_RULES[f]?.kind));
  return { band: score.band ?? 'unscored', flags, risk: score.band === 'red' || score.tier === 'red' || kinds.has('risk'), exp: kinds.has('expansion') };
}

/** Fixed width, so string order is number order (ARR is 0 to 1e12 by the API's schema, a score 0 to 100). */
const numberKey = (n: number, width: number) => n.toFixed(2).padStart(width, '0');
/** The score order's value (scores are whole numbers: the key moves only when the score the list shows does). */
const scoreValue = (score: Pick<StoredScore, 'score'> | undefined) => (typeof score?.score === 'number' ? numberKey(score.score, 6) : undefined);

/** The order's value as a sort key piece; undefined when the account has none (it lists after the others, by id). */
export function orderValue(order: ListOrder, account: Account, score: Pick<StoredScore, 'score'> | undefined): string | undefined {
  switch (order) {
    case 'name':
      // Control characters are dropped: the separator must sort below every character a key keeps.
      // By code point, so a cut never splits a surrogate pair (DynamoDB takes valid UTF-8 only).
      return [...account.name.toLowerCase()]
        .filter((c) => c >= ' ')
        .slice(0, NAME_KEY_LENGTH)
        .join('');
    case 'arr':
      return account.arr === undefined ? undefined : numberKey(account.arr, 16);
    case 'score':
      return scoreValue(score);
    case 'renewalDate': {
      const renew = isoOrNone(account.renewalDate, '');
      return renew || undefined;
    }
  }
}

/**
 * What an account's four entries hold of its score, in one string: the score order's value, then
 * the fields every entry copies. The score item keeps the listing its entries were last written
 * with (functions/data/scores.ts), so a score write compares it with the new one and writes only
 * the entries that differ: none when neither changed, the score entry alone when only the value did.
 */
export function scoreListing(score: Pick<StoredScore, 'score' | 'band' | 'tier' | 'flags'> | undefined): string {
  const f = scoreFields(score);
  return [scoreValue(score) ?? '', f.band, f.risk ? 1 : 0, f.exp ? 1 : 0, f.flags.join(',')].join('|');
}

/** The score item's attribute holding the listing its entries were last written with (absent: not known). */
export const SCORE_LISTING = 'lst';

/** Which entries a score moving from listing `before` (undefined: not known) to `after` must write. */
export function listingChanges(before: string | undefined, after: string): { scoreEntry: boolean; otherEntries: boolean } {
  if (before === undefined) return { scoreEntry: true, otherEntries: true };
  const fields = (l: string) => l.slice(l.indexOf('|'));
  const otherEntries = fields(before) !== fields(after);
  return { scoreEntry: otherEntries || before !== after, otherEntries };
}

/** The entry's place: lane 0 by value then id, lane 1 (no value) by id. */
export function entryPlace(value: string | undefined, accountId: string): { lane: 0 | 1; key: string } {
  return value === undefined ? { lane: 1, key: accountId } : { lane: 0, key: `${value}${KEY_SEPARATOR}${accountId}` };
}

/** Every filter GET /v1/accounts takes (the card's names: `band`, `plan`, `stage`). */
export interface ListFilters {
  band?: string;
  segment?: string;
  plan?: string;
  owner?: string;
  stage?: string;
  flag?: string;
  q?: string;
}

export interface StageClock {
  now: Date;
  newAccountDays: number;
  renewalWithinDays: number;
}

const DAY_MS = 86_400_000;
/** The instants the stage filter compares dates with: the new-account cut-off and the end of the renewal window. */
export function stageInstants(c: StageClock) {
  return {
    now: c.now.toISOString(),
    newSince: new Date(c.now.getTime() - c.newAccountDays * DAY_MS).toISOString(),
    renewUntil: new Date(c.now.getTime() + c.renewalWithinDays * DAY_MS).toISOString(),
  };
}

/**
 * The card's stage (card.ts `stageOf`) from an entry, without its one input an entry lacks: a
 * running onboarding play run. The list checks each row's card after (indexed-account-list.ts).
 */
export function entryStage(e: EntryFields, c: StageClock): string {
  const t = stageInstants(c);
  if (e.risk || e.stg === 'at-risk') return 'At-Risk';
  if (e.stg !== 'none') return e.stg.charAt(0).toUpperCase() + e.stg.slice(1);
  if (e.start > t.newSince) return 'Onboarding';
  if (e.exp) return 'Expansion';
  if (e.renew >= t.now && e.renew <= t.renewUntil) return 'Retention';
  return 'Adoption';
}

/** Whether an entry passes the filters: what the index's FilterExpression says, in code (tests and the in-memory index). */
export function entryMatches(e: EntryFields, f: ListFilters, c: StageClock): boolean {
  if (f.band && e.band !== f.band) return false;
  if (f.segment && e.seg !== f.segment) return false;
  if (f.plan && e.plan !== f.plan) return false;
  if (f.owner && e.own !== f.owner) return false;
  if (f.flag && !e.flags.includes(f.flag)) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!e.nm.includes(q) && !e.idl.startsWith(q)) return false;
  }
  return !f.stage || entryStage(e, c) === f.stage;
}
