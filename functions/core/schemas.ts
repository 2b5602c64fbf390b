import * as z from './zod.ts';
import { isTimeZone } from './timezone.ts';
import { KEY_LIMITS } from './limits.ts';

/*
 * Every schema here is built on its first use (zod's `z.lazy`), not when the module loads: the API
 * built them all at cold start (about a fifth of its import time), while a request needs its
 * route's only. The parts they share are functions, built inside the schemas that use them.
 * `@__PURE__` lets esbuild drop the schemas a bundle never uses.
 */

/** Identifiers the API accepts: safe in keys, URLs and (hashed) execution names. */
export const idSchema = /* @__PURE__ */ z.lazy(() =>
  z
    .string()
    .check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'letters, digits and . _ : @ - only, starting with a letter or digit')),
);

/** Date-times are bounded: a survey's is part of its key, and the format admits any number of fractional digits. */
const datetime = () => z.iso.datetime({ offset: true }).check(z.maxLength(KEY_LIMITS.dateTimeChars));
const isoDate = () => z.union([datetime(), z.iso.date()]);
/** An address, as long as SMTP allows: it is part of a contact's key. */
export const emailSchema = /* @__PURE__ */ z.lazy(() => z.email().check(z.maxLength(KEY_LIMITS.emailChars)));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** An IANA time zone (`Europe/Paris`): email is sent within working hours there. */
const timeZone = () => z.string().check(z.refine(isTimeZone, { message: 'an IANA time zone such as Europe/Paris or America/New_York' }));

export const contactSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: z.optional(idSchema),
    email: emailSchema,
    name: z.optional(text(200)),
    role: z.optional(z.enum(['champion', 'admin', 'executive-sponsor', 'user'])),
    timezone: z.optional(timeZone()),
  }),
);

export const accountUpsertSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: idSchema,
    name: text(200),
    plan: z.optional(text(64)),
    arr: z.optional(z.number().check(z.nonnegative(), z.lte(1e12))),
    seats: z.optional(z.int().check(z.positive())),
    startDate: z.optional(isoDate()),
    renewalDate: z.optional(isoDate()),
    status: z.optional(z.enum(['trial', 'active', 'churned'])),
    paymentStatus: z.optional(z.enum(['current', 'late', 'failed'])),
    strategicImportance: z.optional(z.enum(['low', 'medium', 'high'])),
    /**
     * Pins the touch model (a strategic logo handled high-touch whatever its ARR); `auto` unpins it,
     * and the segment follows ARR again (`segments` in tend.config.ts). Without it, a pinned
     * segment stands and an unpinned one follows the ARR sent.
     */
    segment: z.optional(z.enum(['high-touch', 'medium-touch', 'tech-touch', 'auto'])),
    /** The account's owner on your side; the email is optional (an import often has the name only). */
    csm: z.optional(z.object({ name: text(200), email: z.optional(emailSchema) })),
    /** The CSM who owns the account: an id (or the email) of `csms` in tend.config.ts; an unknown one is a 400. */
    owner: z.optional(z.string().check(z.minLength(1), z.maxLength(254))),
    /** The account's time zone, for contacts without their own. */
    timezone: z.optional(timeZone()),
    primaryContact: contactSchema,
    /** The day a change of ARR, plan or status took effect (an import of past changes); default: today. Not stored on the account. */
    effectiveDate: z.optional(isoDate()),
    /** Where the change comes from, kept on its revenue history point: `import` for `tend import`; default `api`. */
    source: z.optional(z.enum(['api', 'import'])),
  }),
);

export const usageEventSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: idSchema,
    accountId: idSchema,
    userId: idSchema,
    name: text(128),
    timestamp: datetime(),
    /** `feature` names the product feature used, `sessionId` the session, `department` the user's team; other properties are accepted and not stored. */
    properties: z.optional(
      z.looseObject({
        feature: z.optional(text(128)),
        sessionId: z.optional(text(128)),
        /** The user's team or department: several departments active is an expansion sign. */
        department: z.optional(text(64)),
        /** Length of the session so far, with `sessionId`: time in product. */
        durationSeconds: z.optional(z.int().check(z.gte(0), z.lte(86_400))),
        /** `api` for calls made through your API (or name the event `api.*`). */
        source: z.optional(text(32)),
        /** The course, on a `training.completed` event. */
        course: z.optional(text(128)),
      }),
    ),
  }),
);

/** A checklist milestone of an account, as the team records it (`at` defaults to now). */
export const milestoneSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    milestone: z.string().check(z.regex(/^[a-z][a-zA-Z0-9-]{0,39}$/, 'a milestone name of the checklist (tend.config.ts milestones.checklist)')),
    at: z.optional(isoDate()),
  }),
);

export const MAX_EVENTS_PER_BATCH = 500;
export const eventBatchSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    events: z.array(usageEventSchema).check(z.minLength(1), z.maxLength(MAX_EVENTS_PER_BATCH)),
  }),
);

/** An NPS (0-10) or CSAT (1-5) answer. The same id again is the same answer, not a new one. */
export const surveySchema = /* @__PURE__ */ z.lazy(() =>
  z
    .object({
      id: idSchema,
      accountId: idSchema,
      contactEmail: z.optional(emailSchema),
      kind: z.enum(['nps', 'csat']),
      score: z.int(),
      answeredAt: datetime(),
      comment: z.optional(z.string().check(z.maxLength(2000))),
    })
    .check(
      z.superRefine((s, ctx) => {
        const [min, max] = s.kind === 'nps' ? [0, 10] : [1, 5];
        if (s.score < min || s.score > max)
          ctx.addIssue({ code: 'custom', path: ['score'], message: `a ${s.kind.toUpperCase()} score is a whole number from ${min} to ${max}`, input: s.score });
      }),
    ),
);

/** A support ticket as it is now: posting it again with a new status updates it. */
export const ticketSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    id: idSchema,
    accountId: idSchema,
    status: z.enum(['open', 'pending', 'closed']),
    priority: z._default(z.enum(['low', 'normal', 'high', 'urgent']), 'normal'),
    /** From -1 (angry) to 1 (delighted), as your help desk or a classifier rates it. */
    sentiment: z.optional(z.number().check(z.gte(-1), z.lte(1))),
    openedAt: datetime(),
    closedAt: z.optional(datetime()),
    subject: z.optional(z.string().check(z.maxLength(300))),
  }),
);

export const MAX_FEEDBACK_PER_BATCH = 100;
export const surveyBatchSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({ surveys: z.array(surveySchema).check(z.minLength(1), z.maxLength(MAX_FEEDBACK_PER_BATCH)) }),
);
export const ticketBatchSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({ tickets: z.array(ticketSchema).check(z.minLength(1), z.maxLength(MAX_FEEDBACK_PER_BATCH)) }),
);

/** A contact of an account, upserted by email. `left` records that the person left the customer. */
export const contactUpsertSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    accountId: idSchema,
    email: emailSchema,
    name: z.optional(text(200)),
    role: z.optional(z.enum(['champion', 'admin', 'executive-sponsor', 'user'])),
    timezone: z.optional(timeZone()),
    left: z.optional(z.boolean()),
  }),
);
export const contactBatchSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({ contacts: z.array(contactUpsertSchema).check(z.minLength(1), z.maxLength(MAX_FEEDBACK_PER_BATCH)) }),
);
