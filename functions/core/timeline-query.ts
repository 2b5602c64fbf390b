import * as z from './zod.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { AccountRepo } from './ports.ts';
import { TIMELINE_KINDS, type TimelineEntry, type TimelineKind } from './timeline.ts';

/** Reading an account's timeline (`GET /v1/accounts/{id}/timeline`): the query, the storage port, a page. */

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
export type TimelineQuery = z.output<typeof timelineQuerySchema>;

export type TimelineItem = Omit<TimelineEntry, 'accountId'>;

export interface TimelinePage {
  items: TimelineItem[];
  /** Present when there may be more: pass it as `cursor` for the next (older) page. */
  nextCursor?: string;
}

/** The account timeline's storage (functions/data/timeline.ts). */
export interface TimelineRepo {
  /** Writes entries at their keys (an entry recorded again is the same item). */
  record(entries: TimelineEntry[]): Promise<void>;
  /** One Query: entries older than `before` (a key from a previous page), newest first, only `kinds` when given. */
  page(accountId: string, options: { limit: number; before?: string; kinds?: TimelineKind[] }): Promise<{ items: TimelineItem[]; last?: string }>;
}

/** The cursor is the last entry's sort key, opaque to clients; only a timeline key is taken back. */
function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key.startsWith('TL#'))
    throw new ValidationError('cursor: not a cursor this API returned', [{ field: 'cursor', message: 'not a cursor this API returned' }]);
  return key;
}

/**
 * A page of an account's timeline, newest first: one Query. With `kinds`, entries of other kinds
 * are filtered out of the page read, so a page may hold fewer than `limit` (follow `nextCursor`).
 * An unknown account is a 404 (checked only when its first page is empty).
 */
export async function readTimeline(
  deps: { timeline: TimelineRepo; accounts: Pick<AccountRepo, 'get'> },
  accountId: string,
  query: TimelineQuery,
): Promise<TimelinePage> {
  const before = decodeCursor(query.cursor);
  const page = await deps.timeline.page(accountId, { limit: query.limit, before, kinds: query.kinds as TimelineKind[] | undefined });
  if (!page.items.length && !before && !page.last && !(await deps.accounts.get(accountId))) throw new NotFoundError(`no account ${accountId}`);
  return { items: page.items, ...(page.last ? { nextCursor: Buffer.from(page.last, 'utf8').toString('base64url') } : {}) };
}
