import * as z from './zod.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

export const MAX_SEGMENT_BATCH = 500;
/** A webhook delivery is one message; the tracking API and `batch` calls wrap several in `batch`. */
export const segmentBodySchema = /* @__PURE__ */ z.lazy(() =>
  z
    .looseObject({
      type: z.optional(z.string()),
      batch: z.optional(z.array(z.looseObject({ type: z.string() })).check(z.minLength(1), z.maxLength(MAX_SEGMENT_BATCH))),
      context: z.optional(z.looseObject({})),
      sentAt: z.optional(z.string()),
      writeKey: z.optional(z.string()),
    })
    .check(z.refine((b) => b.batch !== undefined || b.type !== undefined, { message: 'a Segment message (with type) or a batch of them', path: ['type'] })),
);
