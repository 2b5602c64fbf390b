import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreBusyError } from '../core/errors.ts';

/*
 * BatchGetItem and BatchWriteItem, whole. Hand-written: lib-dynamodb has paginators for Query and
 * Scan only, nothing that asks again for what a batch left unprocessed. DynamoDB leaves keys or
 * writes unprocessed when the table is throttled (or an answer passes 16 MB); AWS's advice is to
 * retry them after an exponential, jittered pause. A bounded number of attempts: a throttled table
 * answers StoreBusyError (503) instead of a Lambda that spins until its timeout.
 */

/** Attempts at a batch's unprocessed part before giving up (pauses of up to 25, 50, ... 1,000 ms: about 3 s in all at most). */
export const BATCH_ATTEMPTS = 8;
const GET_LIMIT = 100;
const WRITE_LIMIT = 25;

/** How long to wait before an attempt: tests give one that does not wait. */
export type Pause = (attempt: number) => Promise<void>;

/** Full jitter over an exponential ceiling (25 ms doubled each attempt, at most 1 s). */
const jitteredPause: Pause = (attempt) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));

export interface BatchGetOptions {
  projection?: string;
  names?: Record<string, string>;
  consistent?: boolean;
  pause?: Pause;
}

type KeysAndAttributes = {
  Keys: Record<string, unknown>[];
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ConsistentRead?: boolean;
};

/** The items at `keys` (those that exist, each once, in no particular order), 100 keys a request; a key given twice is asked once (BatchGetItem refuses a request naming a key twice). */
export async function batchGetItems(db: DynamoDBDocumentClient, table: string, wanted: Record<string, unknown>[], options: BatchGetOptions = {}) {
  const keys = [...new Map(wanted.map((k) => [JSON.stringify(Object.entries(k).sort(([a], [b]) => (a < b ? -1 : 1))), k])).values()];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += GET_LIMIT) {
    const chunk: KeysAndAttributes = {
      Keys: keys.slice(i, i + GET_LIMIT),
      ...(options.projection && { ProjectionExpression: options.projection }),
      ...(options.names && { ExpressionAttributeNames: options.names }),
      ...(options.consistent && { ConsistentRead: true }),
    };
    await untilProcessed(
      options.pause,
      chunk.Keys.length,
      'keys',
      async (attempt) => {
        const out = await db.send(new BatchGetCommand({ RequestItems: { [table]: attempt } }));
        items.push(...(out.Responses?.[table] ?? []));
        const left = out.UnprocessedKeys?.[table] as KeysAndAttributes | undefined;
        return left?.Keys?.length ? left : undefined;
      },
      chunk,
    );
  }
  return items;
}

/** Puts and deletes (`{ PutRequest }` / `{ DeleteRequest }`), 25 a request. */
export async function batchWrite(db: DynamoDBDocumentClient, table: string, requests: Record<string, unknown>[], pause?: Pause) {
  for (let i = 0; i < requests.length; i += WRITE_LIMIT) {
    const chunk = requests.slice(i, i + WRITE_LIMIT);
    await untilProcessed(
      pause,
      chunk.length,
      'writes',
      async (attempt) => {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: attempt as never } }));
        const left = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined;
        return left?.length ? left : undefined;
      },
      chunk,
    );
  }
}

async function untilProcessed<T>(pause: Pause = jitteredPause, size: number, what: string, send: (request: T) => Promise<T | undefined>, first: T) {
  let request: T | undefined = first;
  for (let attempt = 0; request !== undefined; attempt++) {
    if (attempt === BATCH_ATTEMPTS)
      throw new StoreBusyError(`DynamoDB left ${what} of a batch of ${size} unprocessed after ${BATCH_ATTEMPTS} attempts: try again later`);
    if (attempt > 0) await pause(attempt);
    request = await send(request);
  }
}
