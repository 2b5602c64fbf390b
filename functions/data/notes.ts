import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoteRepo } from '../core/ports.ts';
import type { AccountNote } from '../core/types.ts';
import { keys } from './keys.ts';
import { putIfAbsent, stripKeys, writeIf } from './items.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';
import { putAll, timelineItemOf } from './timeline.ts';
import { noteEntry } from '../core/timeline.ts';

/**
 * Notes on the account's partition under `NOTE#<createdAt>#<noteId>` (the timeline lists them with
 * everything else of the account, newest first), and a claim per note id (`NOTEID#<noteId>`)
 * holding its creation time: a replayed create finds the note the first call made, whatever its clock says.
 */
export function noteRepo(db: DynamoDBDocumentClient, table: string): NoteRepo {
  const createdAtOf = async (accountId: string, noteId: string) => {
    const out = await db.send(new GetCommand({ TableName: table, Key: keys.noteClaim(accountId, noteId), ConsistentRead: true }));
    return out.Item?.createdAt as string | undefined;
  };
  const get = async (accountId: string, noteId: string) => {
    const createdAt = await createdAtOf(accountId, noteId);
    if (!createdAt) return undefined;
    const out = await db.send(new GetCommand({ TableName: table, Key: keys.note(accountId, createdAt, noteId), ConsistentRead: true }));
    return out.Item ? (stripKeys(out.Item) as unknown as AccountNote) : undefined;
  };
  return {
    async create(note) {
      const claimed = await putIfAbsent(db, table, { ...keys.noteClaim(note.accountId, note.id), createdAt: note.createdAt });
      if (!claimed) {
        const first = await get(note.accountId, note.id);
        if (first) return { note: first, created: false };
        // The first call stopped between its claim and its note: finish its note, at its time.
        const createdAt = (await createdAtOf(note.accountId, note.id)) ?? note.createdAt;
        note = { ...note, createdAt, at: createdAt };
      }
      // The note and its timeline entry in one request: the entry's key is the note's, so a replay rewrites the same two items.
      await putAll(db, table, [{ ...keys.note(note.accountId, note.createdAt, note.id), ...note }, timelineItemOf(noteEntry({ ...note, at: note.createdAt }))]);
      return { note, created: claimed };
    },
    get,
    async list(accountId, { limit, cursor }) {
      const pk = keys.account(accountId).pk;
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': pk, ':p': keys.notePrefix },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: cursor ? decodeCursor(cursor, ['pk', 'sk'], ['pk', pk], "this account's notes") : undefined,
        }),
      );
      return { notes: (out.Items ?? []).map((i) => stripKeys(i) as unknown as AccountNote), cursor: encodeCursor(out.LastEvaluatedKey) };
    },
    async setPinned(accountId, noteId, pinned, at) {
      const createdAt = await createdAtOf(accountId, noteId);
      if (!createdAt) return undefined;
      const updated = await writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.note(accountId, createdAt, noteId),
          UpdateExpression: pinned ? 'SET pinned = :p, pinnedAt = :at' : 'SET pinned = :p REMOVE pinnedAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: pinned ? { ':p': true, ':at': at } : { ':p': false },
        }),
      );
      return updated ? get(accountId, noteId) : undefined;
    },
  };
}
