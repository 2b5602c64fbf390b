import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors.ts';
import { TABLE_KEYS } from './keys.ts';

const KEY_ATTRIBUTES: string[] = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, TABLE_KEYS.gsi1.partitionKey, TABLE_KEYS.gsi1.sortKey, TABLE_KEYS.ttl];

/** An item without its storage keys: what the domain sees. */
export function stripKeys(item: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item ?? {})) if (!KEY_ATTRIBUTES.includes(k)) out[k] = v instanceof Set ? [...v] : v;
  return out;
}

export const ttlIn = (from: Date, days: number) => Math.floor(from.getTime() / 1000) + days * 86_400;

/** A Query of one gsi1 partition (the account shards, the dirty marks): the input for paginateQuery. */
export function indexPartition(table: string, partition: string) {
  return {
    TableName: table,
    IndexName: TABLE_KEYS.gsi1.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey },
    ExpressionAttributeValues: { ':pk': partition },
  };
}

/** Writes an item only if none has its key: true when this call wrote it, false when it existed (a replay). */
export function putIfAbsent(db: DynamoDBDocumentClient, table: string, item: Record<string, unknown>): Promise<boolean> {
  return writeIf(db, new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
}

/**
 * The one place a conditional write's refusal is told from a failure: `true` when the condition
 * held and the write happened, `false` when DynamoDB refused it on the condition (a replay, a lost
 * race, a state that moved on). Any other error is thrown. Callers decide what a refusal means.
 */
export async function writeIf(db: DynamoDBDocumentClient, command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
  try {
    // One call site per command type keeps the SDK's overloads happy.
    if (command instanceof PutCommand) await db.send(command);
    else if (command instanceof UpdateCommand) await db.send(command);
    else await db.send(command);
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw err;
  }
}

/**
 * writeIf for an update whose result the caller needs (its ReturnValues, e.g. ALL_NEW to learn the
 * run's start month after a transition): the returned attributes when the condition held, undefined
 * when DynamoDB refused it on the condition. Any other error is thrown.
 */
export async function updateIfReturning(db: DynamoDBDocumentClient, command: UpdateCommand): Promise<Record<string, unknown> | undefined> {
  try {
    return (await db.send(command)).Attributes ?? {};
  } catch (err) {
    if (isConditionalCheckFailed(err)) return undefined;
    throw err;
  }
}
