import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usageEvent } from './support/usage-event.ts';
import { CLAIMS_PER_WRITE, chunksOf, claimAndRecord, distinctIds, eventHash, noneClaimed, unclaimed } from '../../functions/data/usage-claims.ts';
import { rollupOf } from '../../functions/data/usage-rollup.ts';

const ev = usageEvent;

describe('event-id claims in the account-day rollup', () => {
  it('hashes an id to 11 url-safe characters, the same each time, different for different ids', () => {
    expect(eventHash('e-1')).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(eventHash('e-1')).toBe(eventHash('e-1'));
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(eventHash(a)).not.toBe(eventHash(b));
      }),
    );
  });

  it.each([
    [0, []],
    [1, [1]],
    [CLAIMS_PER_WRITE, [CLAIMS_PER_WRITE]],
    [CLAIMS_PER_WRITE + 1, [CLAIMS_PER_WRITE, 1]],
    [500, [100, 100, 100, 100, 100]],
  ])('chunks %i events into writes of %j', (n, sizes) => {
    const chunks = chunksOf(Array.from({ length: n }, (_, i) => i));
    expect(chunks.map((c) => c.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("keeps a full chunk's write inside DynamoDB's expression limits (4 KB, 300 operators)", () => {
    const events = Array.from({ length: CLAIMS_PER_WRITE }, (_, i) =>
      ev(`event-${i}`, { userId: `u${i}`, properties: { feature: 'f', sessionId: 's', durationSeconds: 5, department: 'd', source: 'api' } }),
    );
    const input = claimAndRecord('t', { pk: 'ACCOUNT#acme', sk: 'DAY#2026-03-02' }, '2026-03-02', 1, events, rollupOf(events)).input;
    for (const expression of [input.ConditionExpression!, input.UpdateExpression!]) expect(Buffer.byteLength(expression)).toBeLessThan(4096);
    const operators = (input.ConditionExpression!.match(/\b(contains|OR|AND|NOT)\b/g) ?? []).length;
    expect(operators).toBeLessThanOrEqual(300);
    expect(new Set(Object.keys(input.ExpressionAttributeValues!).filter((k) => k.startsWith(':h'))).size).toBe(CLAIMS_PER_WRITE);
    expect(input.ExpressionAttributeValues![':ids']).toEqual(new Set(events.map((e) => eventHash(e.id))));
  });

  it('conditions a write on none of its hashes being claimed', () => {
    expect(noneClaimed(2)).toBe('NOT (contains(#ids, :h0) OR contains(#ids, :h1))');
  });

  it('adds only the sets an event fills (DynamoDB refuses an empty set)', () => {
    const input = claimAndRecord('t', { pk: 'p', sk: 's' }, '2026-03-02', 1, [ev('e1', { properties: {} })], rollupOf([ev('e1', { properties: {} })])).input;
    expect(input.UpdateExpression).toBe('ADD #ids :ids, #users :users SET #day = :day, expiresAt = :exp');
  });

  it('after a refusal, keeps exactly the events whose ids are not claimed', () => {
    const events = [ev('a'), ev('b'), ev('c')];
    expect(unclaimed(events, new Set([eventHash('b')])).map((e) => e.id)).toEqual(['a', 'c']);
    expect(unclaimed(events, new Set())).toEqual(events);
    expect(unclaimed(events, new Set(events.map((e) => eventHash(e.id))))).toEqual([]);
  });

  it('keeps the first body of an id sent twice', () => {
    expect(distinctIds([ev('a'), ev('b'), ev('a', { userId: 'u2' })]).map((e) => [e.id, e.userId])).toEqual([
      ['a', 'u1'],
      ['b', 'u1'],
    ]);
  });
});

describe('rollupOf: what events add to their account-day', () => {
  it.each([
    ['a feature use', ev('e', { properties: { feature: 'reports' } }), { users: ['u1'], features: ['reports'], userFeatures: ['u1|reports'] }],
    [
      'a session heartbeat',
      ev('e', { properties: { sessionId: 's1', durationSeconds: 60 } }),
      { users: ['u1'], sessions: ['u1|s1'], sessionSeconds: ['u1|s1|60'] },
    ],
    ['an API call', ev('e', { name: 'api.export', properties: {} }), { users: ['u1'], apiUsers: ['u1'] }],
    ['a completed training', ev('e', { name: 'training.completed', properties: { course: 'basics' } }), { users: ['u1'], trainings: ['u1|basics'] }],
    ['a department', ev('e', { properties: { department: 'finance' } }), { users: ['u1'], departments: ['finance'] }],
  ])('%s', (_, event, expected) => {
    const sets = Object.fromEntries(
      Object.entries(rollupOf([event]))
        .filter(([, v]) => v.size)
        .map(([k, v]) => [k, [...v]]),
    );
    expect(sets).toEqual(expected);
  });

  it('is a union: the rollup of a batch is the union of its events\u2019 rollups, whatever their order', () => {
    const event = fc.record({ id: fc.string(), userId: fc.constantFrom('u1', 'u2', 'u3'), feature: fc.option(fc.constantFrom('a', 'b')) });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (raw) => {
        const events = raw.map((r) => ev(r.id, { userId: r.userId, properties: r.feature ? { feature: r.feature } : {} }));
        const whole = rollupOf(events);
        const reversed = rollupOf([...events].reverse());
        const pieces = events.map((e) => rollupOf([e]));
        for (const k of Object.keys(whole) as (keyof typeof whole)[]) {
          expect(reversed[k]).toEqual(whole[k]);
          expect(new Set(pieces.flatMap((p) => [...p[k]]))).toEqual(whole[k]);
        }
      }),
    );
  });
});
