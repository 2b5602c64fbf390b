import * as z from '../core/zod.ts';
import type { Scope } from '../core/api-keys.ts';
import { accountListQuerySchema } from '../core/account-list-query.ts';
import { changesQuerySchema, renewalsQuerySchema } from '../core/metrics/report-queries.ts';
import { OUTCOME_CUTS, outcomesQuerySchema } from '../core/metrics/outcomes-query.ts';
import { metricAccountsQuerySchema, metricsQuerySchema } from '../core/metrics/metrics-queries.ts';
import { UNSUBSCRIBE_PATH } from '../core/email/links.ts';
import { pauseActionSchema } from '../core/email/pause-control.ts';
import { accountUpsertSchema, contactBatchSchema, eventBatchSchema, milestoneSchema, surveyBatchSchema, ticketBatchSchema } from '../core/schemas.ts';
import { segmentBodySchema } from '../core/segment-body.ts';
import { renewalOutcomeSchema } from '../core/renewal-outcome.ts';
import { taskCommentSchema, taskCompleteSchema, taskListQuerySchema, taskReassignSchema, taskSnoozeSchema } from '../core/task-inputs.ts';
import { noteCreateSchema, pageQuerySchema } from '../core/notes.ts';
import { TIMELINE_KINDS } from '../core/timeline.ts';
import { timelineQuerySchema } from '../core/timeline-query-schema.ts';
import { holdoutEndSchema } from '../core/plays/holdout-end.ts';

/**
 * What a route needs: a scope (held by an API key, or by a signed-in person's role: functions/core/roles.ts),
 * `any` valid key or sign-in, or (`public`) neither, because something else is the authorisation
 * (the signed token of an unsubscribe link).
 */
export type RouteAuth = Scope | 'any' | 'public';

export interface RouteSpec {
  auth: RouteAuth;
  /** The Lambda that serves it: the API function, or the unsubscribe links' own small one. */
  serve: 'api' | 'unsubscribe';
  summary: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Statuses of success, by code, with what they mean. */
  ok: Record<number, string>;
  /** Errors this route can answer besides the ones every keyed route can (400, 401, 403, 413, 415, 429). */
  errors?: Record<number, string>;
  /** What the route answers with, when not JSON. */
  contentType?: string;
}

export const SEGMENT_ROUTE = 'POST /v1/segment';

// Built on first use, like the request schemas of functions/core/schemas.ts (see there).
export const playListQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    status: z.optional(z.enum(['running', 'paused', 'completed', 'exited', 'failed', 'cancelled'])),
    limit: z.optional(z.string().check(z.regex(/^([1-9]\d?|100)$/, 'a whole number from 1 to 100'))),
    cursor: z.optional(z.string().check(z.maxLength(2000))),
    /** The runs of one group (`cut` segment, plan or owner, and `group`): by the groups a run recorded when it began. */
    cut: z.optional(z.enum(OUTCOME_CUTS)),
    group: z.optional(z.string().check(z.minLength(1), z.maxLength(254))),
  }),
);
export const playControlSchema = /* @__PURE__ */ z.lazy(() => z.optional(z.object({ by: z.optional(z.string().check(z.minLength(1), z.maxLength(200))) })));
const cardQuerySchema = /* @__PURE__ */ z.lazy(() => z.object({ format: z.optional(z.enum(['json', 'text'])) }));
const unsubscribeQuerySchema = /* @__PURE__ */ z.lazy(() => z.object({ token: z.optional(z.string()) }));
const unsubscribeErrors = {
  400: 'the link is incomplete or malformed (an HTML page)',
  403: 'the link was changed or not issued by Tend (an HTML page)',
  410: 'the link has expired (an HTML page)',
};

/**
 * Every route of the public HTTP API, each declared once, keyed by API Gateway's route key
 * (`METHOD /path`). CDK adds exactly these routes to the HTTP API (lib/constructs), the API
 * function routes by them (a handler per key, checked by the compiler), the auth middleware reads
 * each one's scope from here, and /v1/openapi.json is generated from it. Plain data and zod
 * schemas only: the CDK app imports it at synth time.
 */
export const ROUTES = {
  'POST /v1/accounts': {
    auth: 'ingest',
    serve: 'api',
    summary: 'Create or update an account and its primary contact; `outcome` says what the request did',
    body: accountUpsertSchema,
    ok: { 200: 'changed, churned, reactivated or unchanged (`outcome`)', 201: 'created' },
    errors: { 409: 'the account changed again and again while this request was writing it: send it again' },
  },
  'POST /v1/events': {
    auth: 'ingest',
    serve: 'api',
    summary: 'Record up to 500 usage events; each is accepted, a duplicate or rejected',
    body: eventBatchSchema,
    ok: { 202: 'stored; per-event results' },
  },
  'POST /v1/contacts': {
    auth: 'ingest',
    serve: 'api',
    summary: 'Upsert up to 100 contacts by email',
    body: contactBatchSchema,
    ok: { 202: 'stored; per-item rejections' },
  },
  'POST /v1/surveys': {
    auth: 'ingest',
    serve: 'api',
    summary: 'Record up to 100 NPS or CSAT answers',
    body: surveyBatchSchema,
    ok: { 202: 'stored; per-item rejections' },
  },
  'POST /v1/tickets': {
    auth: 'ingest',
    serve: 'api',
    summary: 'Record up to 100 support tickets as they are now',
    body: ticketBatchSchema,
    ok: { 202: 'stored; per-item rejections' },
  },
  [SEGMENT_ROUTE]: {
    auth: 'ingest',
    serve: 'api',
    summary: 'Segment or RudderStack: a webhook delivery (one message, X-Signature) or a tracking-API batch (write key as Basic user, or writeKey in the body)',
    body: segmentBodySchema,
    ok: { 200: 'per-message results; group traits create or update the account' },
  },
  'GET /v1/accounts': {
    auth: 'read',
    serve: 'api',
    summary: 'List accounts with their card, filtered, a page at a time',
    query: accountListQuerySchema,
    ok: { 200: 'a page of accounts and the cursor of the next' },
  },
  'GET /v1/accounts/{id}': {
    auth: 'read',
    serve: 'api',
    summary: 'An account, its health score, its play runs and its CSM tasks',
    ok: { 200: 'the account' },
    errors: { 404: 'no such account' },
  },
  'GET /v1/accounts/{id}/card': {
    auth: 'read',
    serve: 'api',
    summary: 'The account card, as JSON or (Accept: text/plain or ?format=text) as text',
    query: cardQuerySchema,
    ok: { 200: 'the card' },
    errors: { 404: 'no such account' },
  },
  'GET /v1/openapi.json': { auth: 'any', serve: 'api', summary: 'This document', ok: { 200: 'OpenAPI 3.1' } },
  'POST /v1/accounts/{id}/milestones': {
    auth: 'ingest',
    serve: 'api',
    summary: 'Record a checklist milestone of the account (tend.config.ts milestones.checklist); the first date stands',
    body: milestoneSchema,
    ok: { 200: "the account's milestones, and whether this call recorded it" },
    errors: { 404: 'no such account' },
  },
  // Revenue history and renewal outcomes (functions/core/renewals.ts, docs/metrics.md).
  'POST /v1/accounts/{id}/renewals': {
    auth: 'ingest',
    serve: 'api',
    summary: 'Record the outcome of one renewal: renewed (new ARR, next renewal date) or churned (a configured reason); once per renewal date',
    body: renewalOutcomeSchema,
    ok: { 200: 'the outcome as recorded and applied to the account (a replay answers the same)' },
    errors: { 404: 'no such account', 409: '`RenewalOutcomeConflict`: that renewal already has a different outcome' },
  },
  'GET /v1/accounts/{id}/revenue': {
    auth: 'read',
    serve: 'api',
    summary: "The account's revenue history (dated ARR, plan and status points with their source), its movements and its renewal outcomes",
    ok: { 200: 'history, movements and renewals' },
    errors: { 404: 'no such account' },
  },
  'GET /v1/plays': { auth: 'read', serve: 'api', summary: 'The configured plays: trigger, anchor, cool-down and steps', ok: { 200: 'the plays' } },
  'GET /v1/plays/{play}/runs': {
    auth: 'read',
    serve: 'api',
    summary: 'Runs of one play, newest first (status filter, limit, cursor; `cut` and `group`: the runs that began in that segment, plan or owner)',
    query: playListQuerySchema,
    ok: { 200: 'a page of runs and the cursor of the next' },
    errors: { 404: 'no such play' },
  },
  'POST /v1/accounts/{id}/plays/{play}/{action}': {
    auth: 'work',
    serve: 'api',
    summary: 'start, pause, resume, cancel or retry (a failed run) a play for an account; body { by } optional',
    body: playControlSchema,
    ok: { 200: 'the run as it is now', 202: 'started' },
    errors: { 404: 'no such account, play, action or live run', 409: 'not possible now (already started, live, cooling down, not failed)' },
  },
  // Portfolio reviews (issue 13, docs/metrics.md): each figure carries the accounts behind it.
  'GET /v1/renewals': {
    auth: 'read',
    serve: 'api',
    summary: 'Renewals due from `from` up to `to` (default: the next 90 days), soonest first, with health, and accounts and ARR by band',
    query: renewalsQuerySchema,
    ok: { 200: 'totals by band, with the query that lists each, and a page of renewals with the cursor of the next' },
  },
  'GET /v1/changes': {
    auth: 'read',
    serve: 'api',
    summary: 'The weekly at-risk review: turned red, tier drops, flags raised and cleared, top movers and renewals entering the 90-day window since `since`',
    query: changesQuerySchema,
    ok: { 200: 'each change with the accounts behind it' },
  },
  // Outcome figures (issue 13, docs/metrics.md "Play and email outcomes"): to fold into GET /v1/metrics.
  'GET /v1/metrics/outcomes': {
    auth: 'read',
    serve: 'api',
    summary:
      'Play outcomes (runs started, ended and how, exit reasons, save rate, tasks done on time), email outcomes per template and onboarding completion for `period` (2026-Q1, 2026-03, or whole months 2026-01-01..2026-07-01), from counters kept by month; with `cut` (segment, plan, owner) also each group, by the groups a run recorded when it began and a send when it was claimed',
    query: outcomesQuerySchema,
    ok: { 200: '{ period, months, plays, email, onboarding } and with `cut`: { cut, groups: { <group>: { plays, email, onboarding } } }' },
  },
  'GET /v1/email/pause': {
    auth: 'read',
    serve: 'api',
    summary: "Tech-touch sending's automatic pause: the bounce and complaint rates over the window, whether sending is paused and why, any operator resume",
    ok: { 200: '{ paused, reason | detail, bounceRate, complaintRate, sent, override, policy }' },
  },
  'POST /v1/email/pause': {
    auth: 'admin',
    serve: 'api',
    summary: "Resume paused sending for `hours` (1-168, default 24) whatever the rates, recorded with `by` (default: the key's id), or `cancel-resume`",
    body: pauseActionSchema,
    ok: { 200: 'the pause as it is now, with the override set (null after cancel-resume)' },
  },
  // Owners, the task queue and notes (issue 14; docs/api.md "Owners, tasks and notes", functions/api/task-routes.ts).
  'GET /v1/csms': {
    auth: 'read',
    serve: 'api',
    summary: 'The CSMs of tend.config.ts (`csms`) with the number of accounts each owns',
    ok: { 200: '{ csms: [{ id, name, email, slackUserId?, capacity?, accounts }] }' },
  },
  'GET /v1/csms/{id}/accounts': {
    auth: 'read',
    serve: 'api',
    summary: "A CSM's book of business, a page at a time (limit, cursor)",
    query: pageQuerySchema,
    ok: { 200: '{ csm, accounts: [{ id, name, segment, status, arr?, renewalDate?, stage?, plan?, owner }], cursor? }' },
    errors: { 404: 'no such CSM' },
  },
  'GET /v1/tasks': {
    auth: 'read',
    serve: 'api',
    summary:
      'CSM tasks across accounts: filter by owner, status, dueBefore, overdue, priority, play or accountId; sort by due (default) or priority; a page at a time',
    query: taskListQuerySchema,
    ok: { 200: '{ tasks: [task with `overdue`], cursor? }' },
  },
  'POST /v1/tasks/{accountId}/{taskId}/complete': {
    auth: 'work',
    serve: 'api',
    summary: 'Complete an open or snoozed task, with an optional outcome note and who did it ({ outcome?, by? })',
    body: taskCompleteSchema,
    ok: { 200: 'the task, done' },
    errors: { 404: 'no such task on that account', 409: '`TaskAlreadyDone`: the task was completed before' },
  },
  'POST /v1/tasks/{accountId}/{taskId}/snooze': {
    auth: 'work',
    serve: 'api',
    summary: 'Snooze a task until a future date ({ until }); it is open again from then',
    body: taskSnoozeSchema,
    ok: { 200: 'the task, snoozed' },
    errors: { 404: 'no such task on that account', 409: '`TaskAlreadyDone`: a done task is not snoozed' },
  },
  'POST /v1/tasks/{accountId}/{taskId}/reassign': {
    auth: 'work',
    serve: 'api',
    summary: "Move a task to another CSM's queue ({ owner }: a CSM id or email, or `unassigned`)",
    body: taskReassignSchema,
    ok: { 200: 'the task in its new queue' },
    errors: { 404: 'no such task on that account', 409: '`TaskAlreadyDone`: a done task stays where it is' },
  },
  'POST /v1/tasks/{accountId}/{taskId}/comments': {
    auth: 'work',
    serve: 'api',
    summary: 'Comment on a task ({ id?, author, text }); the same comment id again adds nothing',
    body: taskCommentSchema,
    ok: { 200: '{ added, task }' },
    errors: { 404: 'no such task on that account' },
  },
  'POST /v1/accounts/{id}/notes': {
    auth: 'work',
    serve: 'api',
    summary: 'Add a note to an account ({ noteId?, author, text, pinned? }); text up to 8192 bytes; once per noteId or Idempotency-Key',
    body: noteCreateSchema,
    ok: { 201: 'the note, created', 200: 'the note an earlier request with the same id created' },
    errors: { 404: 'no such account', 413: '`NoteTooLarge`: text above 8192 bytes (UTF-8)' },
  },
  'GET /v1/accounts/{id}/notes': {
    auth: 'read',
    serve: 'api',
    summary: "The account's notes, newest first (limit, cursor)",
    query: pageQuerySchema,
    ok: { 200: '{ notes, cursor? }' },
    errors: { 404: 'no such account' },
  },
  'POST /v1/accounts/{id}/notes/{noteId}/pin': {
    auth: 'work',
    serve: 'api',
    summary: 'Pin a note: pinned notes are shown on the account card',
    ok: { 200: 'the note' },
    errors: { 404: 'no such note on that account' },
  },
  'POST /v1/accounts/{id}/notes/{noteId}/unpin': {
    auth: 'work',
    serve: 'api',
    summary: 'Unpin a note',
    ok: { 200: 'the note' },
    errors: { 404: 'no such note on that account' },
  },
  // The account timeline (issue 14, docs/api.md#account-timeline).
  'GET /v1/accounts/{id}/timeline': {
    auth: 'read',
    serve: 'api',
    summary: `What happened to the account, newest first, one Query a page (limit 1-100, cursor, kinds: a comma-separated list of ${TIMELINE_KINDS.join(', ')})`,
    query: timelineQuerySchema,
    ok: { 200: '{ items: [{ at, kind, ref, summary, detail }], nextCursor } (nextCursor absent on the last page)' },
    errors: { 404: 'no such account' },
  },
  // Portfolio metrics (issue 13, docs/metrics.md): served from the aggregates kept as data changes.
  'GET /v1/metrics': {
    auth: 'read',
    serve: 'api',
    summary:
      'Retention, NPS, CSAT, time to first value and health by band for `period` (2026-03, 2026-Q1, 2026 or from..to; default the current quarter), for the whole book and each group of `cut` (segment, plan, owner, cohort; cohort adds the cohort retention table)',
    query: metricsQuerySchema,
    ok: { 200: 'the figures of the whole and of each group, each with the drill-down query that lists its accounts' },
  },
  'GET /v1/metrics/accounts': {
    auth: 'read',
    serve: 'api',
    summary: 'The accounts behind one figure of GET /v1/metrics (`figure`, `period`, and `cut` with `group`), computed from the source items',
    query: metricAccountsQuerySchema,
    ok: { 200: 'the figure and its account ids' },
  },
  // Sign-in (issue 16, docs/auth.md): who the caller is, for the web app.
  'GET /v1/me': {
    auth: 'any',
    serve: 'api',
    summary:
      "Who is calling: a signed-in person (subject, email, name, roles, their CSM id) or an API key (subject = the key id, no roles), with the scopes they hold, and today's date on the API's clock",
    ok: { 200: '{ subject, email?, name?, roles, scopes, csmId?, today }' },
  },
  // The web app's Plays page (issue 16, docs/web-app.md): a play's diagram figures from its runs.
  'GET /v1/plays/{play}/steps': {
    auth: 'read',
    serve: 'api',
    summary:
      "A play's figures by step, from all its runs: runs waiting at each step now (with the first 100 accounts), done and skipped, the reasons in words, and how runs ended (completed, cancelled, failed, exits by reason)",
    ok: { 200: '{ play, runs, live, steps: [{ step, day, waiting, done, skipped, reasons, accounts }], ended }' },
    errors: { 404: 'no such play' },
  },
  // The web app's Account page (issue 16): the account's people.
  'GET /v1/accounts/{id}/contacts': {
    auth: 'read',
    serve: 'api',
    summary: "The account's contacts (POST /v1/contacts, Segment identify calls): email, name, role, timezone, and when one left",
    ok: { 200: '{ contacts: [{ accountId, email, name?, role?, timezone?, leftAt?, updatedAt }] }' },
    errors: { 404: 'no such account' },
  },
  [`GET ${UNSUBSCRIBE_PATH}`]: {
    auth: 'public',
    serve: 'unsubscribe',
    summary: 'The page an unsubscribe link opens: what it unsubscribes from, and a button (a link scanner that follows links unsubscribes nobody)',
    query: unsubscribeQuerySchema,
    contentType: 'text/html',
    ok: { 200: 'the confirmation page' },
    errors: unsubscribeErrors,
  },
  [`POST ${UNSUBSCRIBE_PATH}`]: {
    auth: 'public',
    serve: 'unsubscribe',
    summary: "Unsubscribes at once: the RFC 8058 one-click request mail providers send, or the page's button",
    query: unsubscribeQuerySchema,
    contentType: 'text/html',
    ok: { 200: 'unsubscribed (an HTML page)' },
    errors: unsubscribeErrors,
  },
  // Holdouts and lift (issue 17, docs/holdouts.md; functions/api/holdout-routes.ts).
  'GET /v1/plays/{play}/lift': {
    auth: 'read',
    serve: 'api',
    summary:
      "A play's lift: for each outcome (each ending, churn, renewal and first value within N days, health change after N days, NRR), the treated and held-out figures, the difference with its 95% interval, and the runs still needed; per email variant, the play's outcome and the sends' opens, clicks and replies",
    ok: { 200: '{ play, asOf, holdout, runs, outcomes, variants } (docs/api.md, "Plays: holdouts and lift")' },
    errors: { 404: 'no such play' },
  },
  'POST /v1/plays/{play}/holdout/end': {
    auth: 'admin',
    serve: 'api',
    summary: "End a play's holdout early ({ reason, by? }): runs that begin from now on are all treated; the first end stands",
    body: holdoutEndSchema,
    ok: { 200: '{ ended, end: { play, endedAt, by, reason } } (`ended` false: it was already ended, the recorded end)' },
    errors: { 404: 'no such play', 409: '`ConflictError`: the play has no holdout' },
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteKey = keyof typeof ROUTES;
/** The routes the API function serves. */
export type ApiRouteKey = { [K in RouteKey]: (typeof ROUTES)[K]['serve'] extends 'api' ? K : never }[RouteKey];

/** A route key's method and path. */
export function routeParts(key: string): { method: string; path: string } {
  const [method = '', path = ''] = key.split(' ');
  return { method, path };
}

/** The routes one function serves, with their method and path. */
export function routesServedBy(serve: RouteSpec['serve']): { key: RouteKey; method: string; path: string; spec: RouteSpec }[] {
  return (Object.entries(ROUTES) as [RouteKey, RouteSpec][])
    .filter(([, spec]) => spec.serve === serve)
    .map(([key, spec]) => ({ key, ...routeParts(key), spec }));
}

/** The scope a route needs; a route not in the list (there should be none) needs `admin`. */
export function authOf(routeKey: string): RouteAuth {
  return (ROUTES as Record<string, RouteSpec>)[routeKey]?.auth ?? 'admin';
}
