import * as z from './zod.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

const isoDate = () => z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
// Built on first use, like the request schemas of schemas.ts.
export const renewalOutcomeSchema = /* @__PURE__ */ z.lazy(() =>
  z.discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('renewed'),
      renewalDate: isoDate(),
      /** The ARR from the renewal on; absent: unchanged. */
      newArr: z.optional(z.number().check(z.nonnegative(), z.lte(1e12))),
      nextRenewalDate: isoDate(),
    }),
    z.object({
      outcome: z.literal('churned'),
      renewalDate: isoDate(),
      /** One of tend.config.ts `revenue.churnReasons`. */
      reason: z.string().check(z.minLength(1), z.maxLength(40)),
      note: z.optional(z.string().check(z.maxLength(2000))),
    }),
  ]),
);
export type RenewalOutcomeInput = z.output<typeof renewalOutcomeSchema>;
