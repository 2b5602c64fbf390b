import * as z from './zod.ts';
import { TIMELINE_KINDS } from './timeline.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

export const TIMELINE_PAGE_MAX = 100;
/** `GET /v1/accounts/{id}/timeline` query: `kinds` is a comma-separated list of TIMELINE_KINDS. Built on first use (schemas.ts). */
export const timelineQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(TIMELINE_PAGE_MAX)), 25),
    cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{4,600}$/, 'a cursor from a previous page'))),
    kinds: z.optional(
      z
        .pipe(
          z.string(),
          z.transform((s) =>
            s
              .split(',')
              .map((k) => k.trim())
              .filter(Boolean),
          ),
        )
        .check(
          z.refine((ks: string[]) => ks.length > 0 && ks.every((k) => (TIMELINE_KINDS as readonly string[]).includes(k)), {
            message: `a comma-separated list of: ${TIMELINE_KINDS.join(', ')}`,
          }),
        ),
    ),
  }),
);
