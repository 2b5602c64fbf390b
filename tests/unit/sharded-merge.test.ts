import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, mergePage, type MergeOptions, type ReadShard } from '../../functions/core/sharded-merge.ts';
import { decodeListCursor, encodeListCursor } from '../../functions/core/indexed-account-list.ts';
import { ValidationError } from '../../functions/core/errors.ts';

interface Entry {
  key: string;
  id: string;
  lane: number;
  shard: number;
  keep: boolean;
}

/** An in-memory index read as DynamoDB reads one: `limit` entries examined, the filtered ones given back, the last examined key when it stopped at the limit. */
function memoryIndex(entries: Entry[], lanes: { descending: boolean }[]) {
  const reads: number[] = [];
  const read: ReadShard = async (lane, shard, after, limit) => {
    const sign = lanes[lane]!.descending ? -1 : 1;
    const mine = entries
      .filter((e) => e.lane === lane && e.shard === shard && (after === undefined || sign * compareKeys(e.key, after) > 0))
      .sort((a, b) => sign * compareKeys(a.key, b.key));
    const examined = mine.slice(0, limit);
    reads.push(examined.length);
    return {
      entries: examined.filter((e) => e.keep).map(({ key, id }) => ({ key, id })),
      ...(examined.length === limit ? { next: examined[examined.length - 1]!.key } : {}),
      examined: examined.length,
    };
  };
  return { read, reads };
}

/** Every page in turn, until the merge says the list is done. */
async function allPages(read: ReadShard, o: Omit<MergeOptions, 'from'>) {
  const pages: { ids: string[]; examined: number }[] = [];
  let from: MergeOptions['from'];
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await mergePage(read, { ...o, ...(from ? { from } : {}) });
    pages.push({ ids: page.entries.map((e) => e.id), examined: page.examined });
    if (!page.next) return pages;
    from = page.next;
  }
  throw new Error('the pages never ended');
}

const book = fc
  .uniqueArray(
    fc.record({
      key: fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\u{1F600}', '\uffff', 'z'), minLength: 1, maxLength: 4 }),
      lane: fc.integer({ min: 0, max: 1 }),
      shard: fc.integer({ min: 0, max: 5 }),
      keep: fc.boolean(),
    }),
    { maxLength: 120, selector: (e) => `${e.lane}:${e.key}` },
  )
  .map((es) => es.map((e, i) => ({ ...e, id: `a${i}` })));

describe('mergePage over sharded sorted partitions', () => {
  it('pages through every matching entry exactly once, in order, lane after lane, whatever the book, filter, direction, page size and budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        book,
        fc.boolean(),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        async (entries, descending, limit, budget, maxRead) => {
          const lanes = [{ descending }, { descending: false }];
          const { read } = memoryIndex(entries, lanes);
          const pages = await allPages(read, { shards: 6, lanes, limit, budget, maxRounds: 4, maxRead });
          const expected = [0, 1].flatMap((lane) =>
            entries
              .filter((e) => e.lane === lane && e.keep)
              .sort((a, b) => (lanes[lane]!.descending ? -1 : 1) * compareKeys(a.key, b.key))
              .map((e) => e.id),
          );
          expect(pages.flatMap((p) => p.ids)).toEqual(expected);
          for (const p of pages) expect(p.ids.length).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives full pages and knows the last one when nothing is filtered out', async () => {
    await fc.assert(
      fc.asyncProperty(book, fc.integer({ min: 1, max: 12 }), async (entries, limit) => {
        const all = entries.map((e) => ({ ...e, keep: true }));
        const lanes = [{ descending: false }, { descending: false }];
        const pages = await allPages(memoryIndex(all, lanes).read, { shards: 6, lanes, limit, budget: 10_000, maxRounds: 50, maxRead: 100 });
        // Every page full but the last, which is never empty unless the book is.
        expect(pages.slice(0, -1).every((p) => p.ids.length === limit)).toBe(true);
        if (all.length) expect(pages.at(-1)!.ids.length).toBeGreaterThan(0);
        expect(pages.flatMap((p) => p.ids).length).toBe(all.length);
      }),
    );
  });

  it('stops at its budget: a filter that keeps nothing reads a bounded amount per page and still moves on', async () => {
    const entries: Entry[] = Array.from({ length: 16 * 400 }, (_, i) => ({
      key: String(i).padStart(5, '0'),
      id: `a${i}`,
      lane: 0,
      shard: i % 16,
      keep: false,
    }));
    const lanes = [{ descending: false }];
    const { read, reads } = memoryIndex(entries, lanes);
    const first = await mergePage(read, { shards: 16, lanes, limit: 50, budget: 2_000, maxRounds: 8, maxRead: 500 });
    expect(first.entries).toEqual([]);
    // The first round's 16 reads of 6, then rounds sharing what is left of the 2,000.
    expect(first.examined).toBeLessThanOrEqual(2_000 + 16 * 6);
    expect(first.reads).toBeLessThanOrEqual(8 * 16);
    expect(first.next).toBeDefined();
    expect(reads.length).toBe(first.reads);
    const pages = await allPages(read, { shards: 16, lanes, limit: 50, budget: 2_000, maxRounds: 8, maxRead: 500 });
    expect(pages.flatMap((p) => p.ids)).toEqual([]);
    expect(pages.length).toBeLessThanOrEqual(Math.ceil(6_400 / 2_000) + 1);
  });

  it('compares keys as DynamoDB does (UTF-8 bytes, so code points), not as JavaScript strings do', () => {
    expect('\u{1F600}' < '\uffff').toBe(true);
    expect(compareKeys('\u{1F600}', '\uffff')).toBe(1);
    expect(compareKeys('ab', 'abc')).toBe(-1);
    expect(compareKeys('b', 'b')).toBe(0);
  });
});

describe('the list cursor', () => {
  it('round-trips a position of its order', () => {
    const cursor = encodeListCursor('-arr', { lane: 0, after: '0000000001200.00\u0001acme' });
    expect(decodeListCursor(cursor, '-arr')).toEqual({ lane: 0, after: '0000000001200.00\u0001acme' });
    expect(decodeListCursor(encodeListCursor('score', { lane: 1 }), 'score')).toEqual({ lane: 1 });
  });

  it('refuses, naming cursor, anything it did not make, and a cursor of another order', () => {
    expect(() => decodeListCursor(encodeListCursor('arr', { lane: 0, after: 'x' }), '-arr')).toThrow(ValidationError);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.json().map((j) => Buffer.from(j).toString('base64url')),
        ),
        (cursor) => {
          fc.pre(cursor.length > 0);
          try {
            decodeListCursor(cursor, 'name');
          } catch (err) {
            expect(err).toBeInstanceOf(ValidationError);
            expect((err as ValidationError).message).toMatch(/^cursor:/);
          }
        },
      ),
    );
  });
});
