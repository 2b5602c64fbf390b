import type { Band } from './health.ts';

/**
 * A live (not churned) account's entry in the book index (docs/metrics.md, "How the figures are
 * kept"): what the renewals report and the weekly review read of an account, kept beside its
 * metric contribution (contribution.ts) so the same upkeep, versioning and rebuild keep it true.
 * Sorted by renewal day (those without one last), so a renewal window is one key range.
 */
export interface RenewalEntry {
  accountId: string;
  /** The account's renewal date as stored (a day, or a time whose UTC day is the renewal day). */
  renewalDate?: string;
  segment: string;
  /** Paid ARR (trials 0), as the metrics count it. */
  arr: number;
  band: Band;
  name: string;
  owner?: string;
}

/** The index item's sort key: by day, then account, so a window is one key range. */
export const renewalSk = (e: Pick<RenewalEntry, 'renewalDate' | 'accountId'>) => `${e.renewalDate?.slice(0, 10) ?? NO_RENEWAL}#${e.accountId}`;
/** The sort key prefix of the accounts without a renewal date: after every day. */
export const NO_RENEWAL = 'none';

/** Whether two entries are the same item with the same fields (nothing to write). */
export function sameRenewal(a: RenewalEntry | undefined, b: RenewalEntry | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.accountId === b.accountId &&
    a.renewalDate === b.renewalDate &&
    a.segment === b.segment &&
    a.arr === b.arr &&
    a.band === b.band &&
    a.name === b.name &&
    a.owner === b.owner
  );
}

/** The index's port (functions/data/renewal-index.ts). */
export interface RenewalIndexReader {
  /** The first `limit` entries due in `[from, to)` (of `band` when given), soonest first: reads no further than the page. */
  first(from: string, to: string, limit: number, band?: Band): Promise<RenewalEntry[]>;
  /** The renewal day items in `[from, to)` (contribution.ts `renewalCounters`, summed): day → accounts and ARR by band. */
  days(from: string, to: string): Promise<[string, Record<string, number>][]>;
  /** Every live account's entry (the weekly review's book): without `name` and `band`; around `today`, read in a few ranges at once. */
  all(today?: string): Promise<RenewalEntry[]>;
  /** The entries due in `[from, to)`, without `name` and `band`: the renewals that may enter the review's window. */
  range(from: string, to: string): Promise<RenewalEntry[]>;
  /** Some accounts' entries by account (from their stored metric contribution): absent when not in the book. */
  entriesOf(accountIds: string[]): Promise<Map<string, RenewalEntry>>;
}
