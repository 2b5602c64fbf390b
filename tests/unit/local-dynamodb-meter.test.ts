import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { askForCapacity, takeCapacity } from '../../local/capacity-meter.ts';
import { TtlIndex } from '../../local/ttl-index.ts';

describe('askForCapacity', () => {
  it.each([
    [
      'a request that did not ask gets TOTAL, and its answer loses it',
      '{"TableName":"t","Key":{"pk":{"S":"a"}}}',
      { TableName: 't', Key: { pk: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' },
      true,
    ],
    ['NONE is the same as not asking', '{"TableName":"t","ReturnConsumedCapacity":"NONE"}', { TableName: 't', ReturnConsumedCapacity: 'TOTAL' }, true],
    [
      'a caller that asked keeps its answer',
      '{"TableName":"t","ReturnConsumedCapacity":"INDEXES"}',
      { TableName: 't', ReturnConsumedCapacity: 'INDEXES' },
      false,
    ],
    ['an empty object', '{}', { ReturnConsumedCapacity: 'TOTAL' }, true],
    [
      'a value that merely mentions the name is not taken for the parameter',
      '{"TableName":"t","Item":{"x":{"S":"\\"ReturnConsumedCapacity\\""}}}',
      { TableName: 't', Item: { x: { S: '"ReturnConsumedCapacity"' } }, ReturnConsumedCapacity: 'TOTAL' },
      true,
    ],
  ])('%s', (_, body, expected, strip) => {
    const asked = askForCapacity(body);
    expect(JSON.parse(asked.body)).toEqual(expected);
    expect(asked.strip).toBe(strip);
  });
});

describe('takeCapacity', () => {
  it.each([
    ['last key, stripped', '{"Item":{"a":{"S":"x"}},"ConsumedCapacity":{"CapacityUnits":0.5,"TableName":"t"}}', true, 0.5, '{"Item":{"a":{"S":"x"}}}'],
    ['the only key, stripped', '{"ConsumedCapacity":{"CapacityUnits":1,"TableName":"t"}}', true, 1, '{}'],
    ['kept when asked for', '{"ConsumedCapacity":{"CapacityUnits":1,"TableName":"t"}}', false, 1, '{"ConsumedCapacity":{"CapacityUnits":1,"TableName":"t"}}'],
    [
      'a batch: per table, summed',
      '{"UnprocessedItems":{},"ConsumedCapacity":[{"CapacityUnits":2,"TableName":"t"},{"CapacityUnits":3,"TableName":"u"}]}',
      true,
      5,
      '{"UnprocessedItems":{}}',
    ],
    ['not last: parsed in full', '{"ConsumedCapacity":{"CapacityUnits":4},"Count":1}', true, 4, '{"Count":1}'],
    ['none in the answer', '{"Count":0}', true, 0, '{"Count":0}'],
  ])('%s', (_, body, strip, units, out) => {
    const taken = takeCapacity(body, strip);
    expect(taken.units).toBe(units);
    expect(JSON.parse(taken.body)).toEqual(JSON.parse(out));
  });
});

describe('TtlIndex', () => {
  it("finds expired keys earliest first, by each key's latest expiry, and keeps them until deleted", () => {
    const index = new TtlIndex();
    index.set('a', 100);
    index.set('b', 50);
    index.set('c', 300);
    index.set('a', 400); // moved later: no longer expired at 200
    index.set('d', 10);
    index.set('d', undefined); // rewritten without a TTL
    expect(index.expired(200, 10)).toEqual(['b']);
    expect(index.expired(200, 10)).toEqual(['b']);
    index.delete('b');
    expect(index.expired(1000, 1)).toEqual(['c']);
    expect(index.expired(1000, 10)).toEqual(['c', 'a']);
    expect(index.size).toBe(2);
  });

  it('agrees with a plain map under any sequence of writes (and compacts its heap)', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.integer({ min: 0, max: 30 }),
        at: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 30 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), fc.integer({ min: 0, max: 110 }), (ops, now) => {
        const index = new TtlIndex();
        const model = new Map<string, number>();
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'delete' || o.at === undefined) {
            index.delete(key);
            model.delete(key);
          } else {
            index.set(key, o.at);
            model.set(key, o.at);
          }
        }
        const expected = [...model]
          .filter(([, at]) => at < now)
          .map(([k]) => k)
          .sort();
        const found = index.expired(now, 1000);
        expect([...found].sort()).toEqual(expected);
        expect(found.map((k) => model.get(k))).toEqual([...found.map((k) => model.get(k)!)].sort((a, b) => a - b));
      }),
      { numRuns: 200 },
    );
  });
});
