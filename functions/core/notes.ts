import * as z from './zod.ts';
import { NotFoundError, TendError } from './errors.ts';
import type { AccountRepo, NoteRepo } from './ports.ts';
import type { AccountNote } from './types.ts';

/** The most a note's text may hold, in UTF-8 bytes (a page of text; DynamoDB items stay small). */
export const NOTE_TEXT_MAX_BYTES = 8192;

// Built on first use, like the request schemas of functions/core/schemas.ts. The text's byte limit is checked by `addNote` (a 413 naming it).
export const noteCreateSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    /** Your id for the note: the same id again creates nothing (the Idempotency-Key header does the same). */
    noteId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and . _ : - (at most 64)'))),
    author: z.string().check(z.minLength(1), z.maxLength(200)),
    text: z.string().check(z.minLength(1)),
    pinned: z.optional(z.boolean()),
  }),
);
export const pageQuerySchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    limit: z.optional(z.string().check(z.regex(/^([1-9]\d?|100)$/, 'a whole number from 1 to 100'))),
    cursor: z.optional(z.string().check(z.maxLength(2000))),
  }),
);

export interface NoteDeps {
  notes: NoteRepo;
  accounts: Pick<AccountRepo, 'get'>;
  /** A fresh note id, when the request gives none. */
  newId: () => string;
}

export class NoteTooLargeError extends TendError {
  constructor(bytes: number) {
    super(`text: ${bytes} bytes, above the limit of ${NOTE_TEXT_MAX_BYTES} bytes (UTF-8)`, 'NoteTooLarge', 413, [
      { field: 'text', message: `at most ${NOTE_TEXT_MAX_BYTES} bytes` },
    ]);
  }
}

/**
 * POST /v1/accounts/{id}/notes: a note, created once per note id (the body's `noteId`, else the
 * Idempotency-Key header, else a new id). A replay answers with the note first created (201 then 200).
 */
export async function addNote(
  deps: NoteDeps,
  accountId: string,
  input: z.output<typeof noteCreateSchema>,
  idempotencyKey: string | undefined,
  now: Date,
): Promise<{ note: AccountNote; created: boolean }> {
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes > NOTE_TEXT_MAX_BYTES) throw new NoteTooLargeError(bytes);
  if (!(await deps.accounts.get(accountId))) throw new NotFoundError(`account "${accountId}" not found`);
  const id = input.noteId ?? (idempotencyKey ? `key-${idempotencyKey}` : deps.newId());
  const at = now.toISOString();
  return deps.notes.create({
    id,
    accountId,
    author: input.author,
    text: input.text,
    pinned: input.pinned ?? false,
    createdAt: at,
    at,
    ...(input.pinned ? { pinnedAt: at } : {}),
  });
}

/** GET /v1/accounts/{id}/notes: newest first, one Query a page. */
export async function listNotes(deps: Omit<NoteDeps, 'newId'>, accountId: string, page: { limit: number; cursor?: string }) {
  if (!(await deps.accounts.get(accountId))) throw new NotFoundError(`account "${accountId}" not found`);
  const { notes, cursor } = await deps.notes.list(accountId, page);
  return { notes, ...(cursor ? { cursor } : {}) };
}

/** POST /v1/accounts/{id}/notes/{noteId}/pin and /unpin. */
export async function pinNote(deps: Omit<NoteDeps, 'newId'>, accountId: string, noteId: string, pinned: boolean, now: Date) {
  const note = await deps.notes.setPinned(accountId, noteId, pinned, now.toISOString());
  if (!note) throw new NotFoundError(`note "${noteId}" not found on account "${accountId}"`);
  return { note };
}
