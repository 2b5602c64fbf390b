import * as z from '../zod.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

/**
 * Play, email and onboarding outcomes by segment, plan and owner (docs/metrics.md, "Outcomes by
 * segment, plan and owner"). A run records its account's groups when it begins, a send when it is
 * claimed, a play's task when it is created: the first record stands, and everything that happens
 * to it later (its end, an open, a task done) counts under those groups, not the account's current
 * ones. Counts are kept per combination of the three groups, so one more counter write per event
 * serves every cut, and a cut's groups are sums of combinations.
 */
export const OUTCOME_CUTS = ['segment', 'plan', 'owner'] as const;
export type OutcomeCut = (typeof OUTCOME_CUTS)[number];
// Built on first use, like the request schemas of schemas.ts (see there).
export const outcomesQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** A month (`2026-03`), a quarter (`2026-Q1`) or whole months `2026-01-01..2026-07-01`. */
    period: z.string().check(z.maxLength(40)),
    /** Also each group of the cut: the groups a run recorded when it began, a send when it was claimed (docs/metrics.md). */
    cut: z.optional(z.enum(OUTCOME_CUTS)),
  }),
);
export type OutcomesQuery = z.output<typeof outcomesQuerySchema>;
