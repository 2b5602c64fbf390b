import type { Band } from './health.ts';

/**
 * An account's entry in the renewal index (docs/metrics.md, "How the figures are kept"): what the
 * renewals report and the review's renewals entering the window read of it, kept beside the
 * metric contribution (contribution.ts) so the same upkeep, versioning and rebuild keep it true.
 * Only a live (not churned) account with a renewal date has one.
 */
export interface RenewalEntry {
  accountId: string;
  /** The account's renewal date as stored (a day, or a time whose UTC day is the renewal day). */
  renewalDate: string;
  /** Paid ARR (trials 0), as the metrics count it. */
  arr: number;
  band: Band;
  name: string;
  owner?: string;
}

/** The index item's sort key: by day, then account, so a window is one key range. */
export const renewalSk = (e: Pick<RenewalEntry, 'renewalDate' | 'accountId'>) => `${e.renewalDate.slice(0, 10)}#${e.accountId}`;

/** Whether two entries are the same item with the same fields (nothing to write). */
export function sameRenewal(a: RenewalEntry | undefined, b: RenewalEntry | undefined): boolean {
  if (!a || !b) return a === b;
  return a.accountId === b.accountId && a.renewalDate === b.renewalDate && a.arr === b.arr && a.band === b.band && a.name === b.name && a.owner === b.owner;
}

/** The index's port (functions/data/renewal-index.ts). */
export interface RenewalIndexReader {
  /** The entries due in `[from, to)`, soonest first (by day, then account id). */
  between(from: string, to: string): Promise<RenewalEntry[]>;
}
