import { TREND_DAYS } from '../score/trend.ts';
import * as z from '../zod.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

/** How far back `since` may go: the score item's daily history (TREND_DAYS, today included) is what a change is read from. */
export const CHANGES_MAX_DAYS = TREND_DAYS - 1;
export const MAX_SPAN_DAYS = 731;
// Built on first use, like the request schemas of schemas.ts (see there).
export const renewalsQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** First day of the window (default today), `yyyy-mm-dd`. */
    from: z.optional(z.iso.date()),
    /** Day after the window (default from + 90 days). */
    to: z.optional(z.iso.date()),
    /** The window's length instead of `to`: `to` is `from` + `days` (so a client need not know the API's today). */
    days: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_SPAN_DAYS))),
    band: z.optional(z.enum(['green', 'yellow', 'red', 'unscored'])),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
    cursor: z.optional(z.string().check(z.regex(/^[1-9]\d{0,6}$/, 'not a cursor this API returned'))),
  }),
);
export const changesQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** From when (its UTC day's start): an ISO time or date, at most 34 days back. */
    since: z.optional(z.union([z.iso.datetime({ offset: true }), z.iso.date()])),
    /** Instead of `since`: from the start of the day `days` days before today (the API's today). */
    days: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(CHANGES_MAX_DAYS))),
    top: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 10),
    /** Accounts listed in each figure, the first of each (its count, ARR and `byFlag` still of all): a summary's answer stays small. Absent: all. */
    list: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(1000))),
    /** One CSM's accounts only (a CSM id of tend.config.ts): their day's review reads their book's score items alone. */
    owner: z.optional(z.string().check(z.minLength(1), z.maxLength(254))),
  }),
);
export type RenewalsQuery = z.output<typeof renewalsQuerySchema>;
export type ChangesQuery = z.output<typeof changesQuerySchema>;
