import * as z from './zod.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { AccountRepo } from './ports.ts';
import { type TimelineEntry, type TimelineKind } from './timeline.ts';
import { TIMELINE_PAGE_MAX, timelineQuerySchema } from './timeline-query-schema.ts';
export { TIMELINE_PAGE_MAX, timelineQuerySchema };

/** Reading an account's timeline (`GET /v1/accounts/{id}/timeline`): the query, the storage port, a page. */

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
