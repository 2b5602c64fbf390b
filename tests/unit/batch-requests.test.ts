import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TendError } from '../../functions/core/errors.ts';
import { BATCH_ATTEMPTS, batchGetItems, batchWrite } from '../../functions/data/batch.ts';

const TABLE = 't';
const key = (i: number) => ({ pk: `A#${i}`, sk: 'X' });
const noPause = async () => {};

/**
 * A table behind BatchGetItem/BatchWriteItem that leaves unprocessed what `leave` says for each
 * request (its index among all requests): the keys or writes at those positions of the request.
 */
function table(leave: (request: number, size: number) => number[] = () => []) {
  const stored = new Map<string, Record<string, unknown>>();
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const id = (k: Record<string, unknown>) => `${String(k.pk)}|${String(k.sk)}`;
  const db = {
    send: async (command: BatchGetCommand | BatchWriteCommand) => {
      const n = sent.length;
      const input = command.input as { RequestItems: Record<string, unknown> };
      sent.push({ name: command.constructor.name, input: structuredClone(input.RequestItems[TABLE]) as Record<string, unknown> });
      if (command instanceof BatchGetCommand) {
        const request = input.RequestItems[TABLE] as { Keys: Record<string, unknown>[] };
        const left = new Set(leave(n, request.Keys.length));
        const Responses = { [TABLE]: request.Keys.filter((_, i) => !left.has(i)).flatMap((k) => (stored.has(id(k)) ? [stored.get(id(k))!] : [])) };
        const unprocessed = request.Keys.filter((_, i) => left.has(i));
        return { Responses, UnprocessedKeys: unprocessed.length ? { [TABLE]: { ...request, Keys: unprocessed } } : {} };
      }
      const writes = input.RequestItems[TABLE] as { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Record<string, unknown> } }[];
      const left = new Set(leave(n, writes.length));
      writes.forEach((w, i) => {
        if (left.has(i)) return;
        if (w.PutRequest) stored.set(id(w.PutRequest.Item), w.PutRequest.Item);
        if (w.DeleteRequest) stored.delete(id(w.DeleteRequest.Key));
      });
      const unprocessed = writes.filter((_, i) => left.has(i));
      return { UnprocessedItems: unprocessed.length ? { [TABLE]: unprocessed } : {} };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, stored, sent };
}

describe('batchGetItems', () => {
  it.each([
    { keys: 0, requests: [] },
    { keys: 1, requests: [1] },
    { keys: 100, requests: [100] },
    { keys: 101, requests: [100, 1] },
    { keys: 250, requests: [100, 100, 50] },
  ])('$keys keys: requests of $requests keys, every item returned', async ({ keys, requests }) => {
    const t = table();
    for (let i = 0; i < keys; i++) t.stored.set(`A#${i}|X`, { ...key(i), n: i });
    const items = await batchGetItems(
      t.db,
      TABLE,
      Array.from({ length: keys }, (_, i) => key(i)),
      { pause: noPause },
    );
    expect(t.sent.map((s) => (s.input.Keys as unknown[]).length)).toEqual(requests);
    expect(items.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: keys }, (_, i) => i));
  });

  it('asks once for a key given twice (BatchGetItem refuses a request naming a key twice)', async () => {
    const t = table();
    t.stored.set('A#1|X', { ...key(1), n: 1 });
    const items = await batchGetItems(t.db, TABLE, [key(1), key(2), { sk: 'X', pk: 'A#1' }, key(1)], { pause: noPause });
    expect(t.sent.map((s) => s.input.Keys)).toEqual([[key(1), key(2)]]);
    expect(items).toEqual([{ ...key(1), n: 1 }]);
  });

  it('sends the projection, names and consistency with every chunk and every retry', async () => {
    const t = table((n) => (n === 0 ? [0, 1] : []));
    await batchGetItems(t.db, TABLE, [key(1), key(2), key(3)], { projection: '#a', names: { '#a': 'a' }, consistent: true, pause: noPause });
    expect(t.sent).toHaveLength(2);
    for (const s of t.sent) expect(s.input).toMatchObject({ ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': 'a' }, ConsistentRead: true });
    expect(t.sent[1]!.input.Keys).toEqual([key(1), key(2)]);
  });

  it('asks again only for what was left unprocessed, pausing before each retry', async () => {
    const pauses: number[] = [];
    const t = table((n, size) => (n < 2 ? [size - 1] : []));
    for (let i = 0; i < 3; i++) t.stored.set(`A#${i}|X`, { ...key(i), n: i });
    const items = await batchGetItems(t.db, TABLE, [key(0), key(1), key(2)], { pause: async (a) => void pauses.push(a) });
    expect(t.sent.map((s) => s.input.Keys)).toEqual([[key(0), key(1), key(2)], [key(2)], [key(2)]]);
    expect(pauses).toEqual([1, 2]);
    expect(items).toHaveLength(3);
  });

  it(`gives up after ${BATCH_ATTEMPTS} attempts with a 503 StoreBusyError, not a loop until the Lambda's timeout`, async () => {
    const t = table(() => [0]);
    const failure = await batchGetItems(t.db, TABLE, [key(0)], { pause: noPause }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TendError);
    expect(failure).toMatchObject({ code: 'StoreBusyError', status: 503 });
    expect(t.sent).toHaveLength(BATCH_ATTEMPTS);
  });
});

describe('batchWrite', () => {
  it.each([
    { writes: 0, requests: [] },
    { writes: 25, requests: [25] },
    { writes: 26, requests: [25, 1] },
    { writes: 60, requests: [25, 25, 10] },
  ])('$writes writes: requests of $requests', async ({ writes, requests }) => {
    const t = table();
    await batchWrite(
      t.db,
      TABLE,
      Array.from({ length: writes }, (_, i) => ({ PutRequest: { Item: key(i) } })),
      noPause,
    );
    expect(t.sent.map((s) => (s.input as unknown as unknown[]).length)).toEqual(requests);
    expect(t.stored.size).toBe(writes);
  });

  it(`gives up after ${BATCH_ATTEMPTS} attempts with a StoreBusyError`, async () => {
    const t = table(() => [0]);
    await expect(batchWrite(t.db, TABLE, [{ PutRequest: { Item: key(0) } }], noPause)).rejects.toMatchObject({ code: 'StoreBusyError', status: 503 });
    expect(t.sent).toHaveLength(BATCH_ATTEMPTS);
  });

  it('property: whatever a throttled table leaves unprocessed (short of every attempt), every write lands and every item is read once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 130 }),
        // For each request, which positions are left unprocessed (the last attempts of a chunk process everything).
        fc.array(fc.array(fc.nat({ max: 130 }), { maxLength: 30 }), { maxLength: 40 }),
        async (count, leaves) => {
          const leave = (n: number, size: number) => (leaves[n] ?? []).filter((i) => i < size);
          // Keep within the attempts: after BATCH_ATTEMPTS - 1 consecutive partial answers, process everything.
          let streak = 0;
          const bounded = (n: number, size: number) => {
            const left = streak === BATCH_ATTEMPTS - 1 ? [] : leave(n, size);
            streak = left.length ? streak + 1 : 0;
            return left;
          };
          const t = table(bounded);
          const items = Array.from({ length: count }, (_, i) => ({ ...key(i), n: i }));
          await batchWrite(
            t.db,
            TABLE,
            items.map((Item) => ({ PutRequest: { Item } })),
            noPause,
          );
          expect(t.stored.size).toBe(count);
          streak = 0;
          const read = await batchGetItems(
            t.db,
            TABLE,
            items.map((i) => key(i.n)),
            { pause: noPause },
          );
          expect(read.map((i) => i.n).sort((a, b) => Number(a) - Number(b))).toEqual(items.map((i) => i.n));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('one way through for batches', () => {
  it('no function sends BatchGetItem or BatchWriteItem itself: functions/data/batch.ts does (a hand-rolled loop retried unprocessed keys forever, or dropped them)', () => {
    const root = join(import.meta.dirname, '../../functions');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const offenders = files(root)
      .filter((f) => !f.endsWith(join('data', 'batch.ts')))
      .filter((f) => /\bBatch(Get|Write)(Item)?Command\b/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => f.slice(root.length + 1))).toEqual([]);
  });
});
