import * as z from './zod.ts';
import { PLANS } from './plan.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

/** The orders GET /v1/accounts sorts by (`-` first: descending). */
export const ACCOUNT_SORTS = ['name', '-name', 'arr', '-arr', 'score', '-score', 'renewalDate', '-renewalDate'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

/** Built on first use, like the request schemas of schemas.ts (see there). */
export const accountListQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** The plan as the card shows it (plan.ts). */
    plan: z.optional(z.enum(PLANS)),
    segment: z.optional(z.enum(['high-touch', 'medium-touch', 'tech-touch'])),
    stage: z.optional(z.enum(['Onboarding', 'Adoption', 'Retention', 'Expansion', 'At-Risk'])),
    /** The health band, as GET /v1/renewals filters it; `unscored` for accounts without a score yet. */
    band: z.optional(z.enum(['green', 'yellow', 'red', 'unscored'])),
    /** An active flag by name (at-risk and expansion signals, e.g. `champion-left`). */
    flag: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,64}$/, 'a flag name such as champion-left'))),
    // The web app's view (issue 16, account-list-view.ts): owner, search, and an order that holds across pages.
    owner: z.optional(z.string().check(z.regex(/^[a-z0-9._-]{1,64}$/, 'a CSM id, or unassigned'))),
    q: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    sort: z.optional(z.enum(ACCOUNT_SORTS)),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
    // A sort key's position (a name of up to 80 characters and an id) in base64url JSON.
    cursor: z.optional(z.string().check(z.maxLength(800))),
  }),
);
export type AccountListQuery = z.output<typeof accountListQuerySchema>;
