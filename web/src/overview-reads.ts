import type { Query } from './api.ts';

// The Overview's reads that need nothing from the page: declared once, so the session's prefetch
// (session.ts) and the page ask for the same path and query, and the page takes the prefetched answer.

/** The renewal pages' horizon: the next 180 days. */
export const RENEWAL_DAYS = 180;
/** Accounts named under "Turned red" (the count says how many in all). */
export const TURNED_RED_LISTED = 10;

/** Renewals due in each month of the next 180 days, by band (`limit=1`: the totals are what counts; `days`: from the API's today). */
export const RENEWAL_MONTHS_READ = ['/v1/renewals', { days: RENEWAL_DAYS, limit: 1 }] as const satisfies readonly [string, Query];
/** The week's changes: the first accounts of each figure only (counts, ARR and flags by kind are of all). */
export const WEEK_CHANGES_READ = ['/v1/changes', { days: 7, top: 5, list: TURNED_RED_LISTED }] as const satisfies readonly [string, Query];
