import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BookAccount, OwnerRepo } from '../core/ports.ts';
import { keys } from './keys.ts';
import { putIfAbsent, writeIf } from './items.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';
import { batchGetItems } from './batch.ts';

const adjust = (db: DynamoDBDocumentClient, table: string, csm: string, by: number) =>
  db.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.csmCount(csm),
      UpdateExpression: 'ADD accounts :by',
      ExpressionAttributeValues: { ':by': by },
    }),
  );

/**
 * The CSMs' books (one small entry per account, in the owner's partition), the account count of
 * each CSM (one item each under `CSMS`), the round-robin turns and the owner claims of new
 * accounts. Counts move only when a book entry appears or goes, so a replay counts nothing twice.
 */
export function ownerRepo(db: DynamoDBDocumentClient, table: string): OwnerRepo {
  return {
    async claimed(accountId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.ownerClaim(accountId), ConsistentRead: true }));
      return out.Item?.owner as string | undefined;
    },
    claim: (accountId, owner, at) => putIfAbsent(db, table, { ...keys.ownerClaim(accountId), owner, at }),
    async counts() {
      const counts: Record<string, number> = {};
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.csmCounts },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) counts[String(item.sk)] = Number(item.accounts ?? 0);
        start = out.LastEvaluatedKey;
      } while (start);
      return counts;
    },
    // The count read is the condition: two assignments that read the same count cannot both take the slot.
    reserve: (csm, seen) =>
      writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.csmCount(csm),
          UpdateExpression: 'SET accounts = :next',
          ConditionExpression: seen === 0 ? 'attribute_not_exists(accounts) OR accounts = :seen' : 'accounts = :seen',
          ExpressionAttributeValues: { ':next': seen + 1, ':seen': seen },
        }),
      ),
    release: async (csm) => void (await adjust(db, table, csm, -1)),
    async nextTurn(rule) {
      const out = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.assignmentTurn(rule),
          UpdateExpression: 'ADD turn :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.turn ?? 1);
    },
    async addToBook(csm, accountId, at, counted) {
      const added = await putIfAbsent(db, table, { ...keys.bookEntry(csm, accountId), accountId, owner: csm, since: at });
      if (added && !counted) await adjust(db, table, csm, 1);
    },
    async removeFromBook(csm, accountId) {
      const out = await db.send(new DeleteCommand({ TableName: table, Key: keys.bookEntry(csm, accountId), ReturnValues: 'ALL_OLD' }));
      if (out.Attributes) await adjust(db, table, csm, -1);
    },
    async book(csm, { limit, cursor }) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.book(csm) },
          Limit: limit,
          ExclusiveStartKey: cursor ? decodeCursor(cursor, ['pk', 'sk'], ['pk', keys.book(csm)], `the book of "${csm}"`) : undefined,
        }),
      );
      const accounts = await bookAccounts(
        db,
        table,
        (out.Items ?? []).map((i) => String(i.accountId)),
      );
      return { accounts: accounts.filter((a) => a.owner === csm), cursor: encodeCursor(out.LastEvaluatedKey) };
    },
  };
}

/** The fields a book page shows of each account, in one BatchGetItem (projected). */
async function bookAccounts(db: DynamoDBDocumentClient, table: string, accountIds: string[]): Promise<BookAccount[]> {
  if (accountIds.length === 0) return [];
  const names = ['id', 'name', 'owner', 'segment', 'arr', 'status', 'renewalDate', 'stage', 'plan'];
  const found = (await batchGetItems(
    db,
    table,
    accountIds.map((id) => keys.account(id)),
    { projection: names.map((_, i) => `#n${i}`).join(', '), names: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])) },
  )) as BookAccount[];
  const order = new Map(accountIds.map((id, i) => [id, i]));
  return found.sort((a, b) => order.get(a.id!)! - order.get(b.id!)!);
}
