import type * as z from '../core/zod.ts';
import { accountListQuerySchema } from '../core/account-list.ts';
import { accountUpsertSchema, contactBatchSchema, eventBatchSchema, surveyBatchSchema, ticketBatchSchema, milestoneSchema } from '../core/schemas.ts';
import { segmentBodySchema } from '../core/segment.ts';
import type { RouteAuth } from './auth.ts';

export interface RouteDoc {
  auth: RouteAuth;
  summary: string;
  body?: z.ZodMiniType;
  query?: z.ZodMiniObject;
  /** Statuses of success, by code, with what they mean. */
  ok: Record<number, string>;
  /** Client errors this route can answer besides the ones every route can (400, 401, 403, 413, 415, 429). */
  errors?: Record<number, string>;
}

export const SEGMENT_ROUTE = 'POST /v1/segment';

/**
 * Every route of the API Lambda with the scope it needs and its documentation: the auth
 * middleware and /v1/openapi.json both read this table, so they cannot disagree. A route missing
 * from it needs the `admin` scope.
 */
export const ROUTE_TABLE: Record<string, RouteDoc> = {
  'POST /v1/accounts': { auth: 'ingest', summary: 'Create or update an account and its primary contact', body: accountUpsertSchema, ok: { 200: 'updated (or unchanged)', 201: 'created' } },
  'POST /v1/events': { auth: 'ingest', summary: 'Record up to 500 usage events; each is accepted, a duplicate or rejected', body: eventBatchSchema, ok: { 202: 'stored; per-event results' } },
  'POST /v1/contacts': { auth: 'ingest', summary: 'Upsert up to 100 contacts by email', body: contactBatchSchema, ok: { 202: 'stored; per-item rejections' } },
  'POST /v1/surveys': { auth: 'ingest', summary: 'Record up to 100 NPS or CSAT answers', body: surveyBatchSchema, ok: { 202: 'stored; per-item rejections' } },
  'POST /v1/tickets': { auth: 'ingest', summary: 'Record up to 100 support tickets as they are now', body: ticketBatchSchema, ok: { 202: 'stored; per-item rejections' } },
  [SEGMENT_ROUTE]: {
    auth: 'ingest',
    summary: 'Segment or RudderStack: a webhook delivery (one message, X-Signature) or a tracking-API batch (write key as Basic user, or writeKey in the body)',
    body: segmentBodySchema,
    ok: { 200: 'per-message results; group traits create or update the account' },
  },
  'GET /v1/accounts': { auth: 'read', summary: 'List accounts with their card, filtered, a page at a time', query: accountListQuerySchema, ok: { 200: 'a page of accounts and the cursor of the next' } },
  'GET /v1/accounts/{id}': { auth: 'read', summary: 'An account, its health score, its play runs and its CSM tasks', ok: { 200: 'the account' }, errors: { 404: 'no such account' } },
  'GET /v1/accounts/{id}/card': { auth: 'read', summary: 'The account card, as JSON or (Accept: text/plain or ?format=text) as text', ok: { 200: 'the card' }, errors: { 404: 'no such account' } },
  'GET /v1/openapi.json': { auth: 'any', summary: 'This document', ok: { 200: 'OpenAPI 3.1' } },
  'POST /v1/accounts/{id}/milestones': {
    auth: 'ingest',
    summary: 'Record a checklist milestone of the account (tend.config.ts milestones.checklist); the first date stands',
    body: milestoneSchema,
    ok: { 200: 'the account\'s milestones, and whether this call recorded it' },
    errors: { 404: 'no such account' },
  },
  'GET /v1/plays': { auth: 'read', summary: 'The configured plays: trigger, anchor, cool-down and steps', ok: { 200: 'the plays' } },
  'GET /v1/plays/{play}/runs': { auth: 'read', summary: 'Runs of one play, newest first (status filter, limit, cursor)', ok: { 200: 'a page of runs and the cursor of the next' }, errors: { 404: 'no such play' } },
  'POST /v1/accounts/{id}/plays/{play}/{action}': {
    auth: 'admin',
    summary: 'start, pause, resume, cancel or retry (a failed run) a play for an account; body { by } optional',
    ok: { 200: 'the run as it is now', 202: 'started' },
    errors: { 404: 'no such account, play, action or live run', 409: 'not possible now (already started, live, cooling down, not failed)' },
  },
};
