import * as z from './zod.ts';

// A schema-only module: the route list (functions/api/routes.ts) imports it, and esbuild splits bundles by file,
// so the API's cold start loads this and not the logic of the module that re-exports it.

/** Characters of a completion's outcome note or a comment. */
export const TASK_TEXT_MAX = 2000;
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
const who = () => z.string().check(z.minLength(1), z.maxLength(200));
const dateTime = () => z.iso.datetime({ offset: true }).check(z.maxLength(40));
// Built on first use, like the request schemas of functions/core/schemas.ts.
export const taskListQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** A CSM id, or `unassigned` for the team's queue; every queue when absent. */
    owner: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    /** open (not done; snoozed ones whose date has come are open again), snoozed, done; default: open and snoozed. */
    status: z.optional(z.enum(['open', 'snoozed', 'done'])),
    dueBefore: z.optional(dateTime()),
    overdue: z.optional(z.enum(['true', 'false'])),
    priority: z.optional(z.enum(PRIORITIES)),
    play: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,24}$/, 'a play id'))),
    accountId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    sort: z.optional(z.enum(['due', 'priority'])),
    limit: z.optional(z.string().check(z.regex(/^([1-9]\d?|100)$/, 'a whole number from 1 to 100'))),
    cursor: z.optional(z.string().check(z.maxLength(4000))),
  }),
);
export const taskCompleteSchema = /* @__PURE__ */ z.lazy(() =>
  z.optional(z.object({ outcome: z.optional(z.string().check(z.minLength(1), z.maxLength(TASK_TEXT_MAX))), by: z.optional(who()) })),
);
export const taskSnoozeSchema = /* @__PURE__ */ z.lazy(() => z.object({ until: z.union([dateTime(), z.iso.date()]), by: z.optional(who()) }));
export const taskReassignSchema = /* @__PURE__ */ z.lazy(() => z.object({ owner: z.string().check(z.minLength(1), z.maxLength(254)), by: z.optional(who()) }));
export const taskCommentSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** Your id for the comment: the same id again adds nothing (a retried request). Default: derived from author and text. */
    id: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and . _ : - (at most 64)'))),
    author: who(),
    text: z.string().check(z.minLength(1), z.maxLength(TASK_TEXT_MAX)),
  }),
);
