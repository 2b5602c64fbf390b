import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventKey, eventOutcomes, planEvents } from '../../functions/core/ingest-plan.ts';
import { ingestEvents } from '../../functions/core/ingest.ts';
import { UsageDayFullError } from '../../functions/core/errors.ts';
import { isItemTooLarge } from '../../functions/data/errors.ts';
import type { UsageEvent } from '../../functions/core/types.ts';

const ev = (id: string, accountId = 'acme', over: Partial<UsageEvent> = {}): UsageEvent => ({
  id,
  accountId,
  userId: 'u1',
  name: 'feature_used',
  timestamp: '2026-03-02T10:00:00Z',
  properties: { feature: 'reports' },
  ...over,
});
const known = new Set(['acme', 'globex']);

describe('planEvents: which events are recorded where', () => {
  it.each([
    ['one account-day', [ev('e1'), ev('e2')], [['acme', '2026-03-02', ['e1', 'e2']]], []],
    [
      'two days of one account',
      [ev('e1'), ev('e2', 'acme', { timestamp: '2026-03-03T00:00:00Z' })],
      [
        ['acme', '2026-03-02', ['e1']],
        ['acme', '2026-03-03', ['e2']],
      ],
      [],
    ],
    [
      'the same id in two accounts: two events',
      [ev('e1'), ev('e1', 'globex')],
      [
        ['acme', '2026-03-02', ['e1']],
        ['globex', '2026-03-02', ['e1']],
      ],
      [],
    ],
    ['an id repeated with another body: the first body only', [ev('e1'), ev('e1', 'acme', { userId: 'u9' })], [['acme', '2026-03-02', ['e1']]], []],
    [
      'an id repeated on another day: the first day only',
      [ev('e1'), ev('e1', 'acme', { timestamp: '2026-03-05T00:00:00Z' })],
      [['acme', '2026-03-02', ['e1']]],
      [],
    ],
    ['an unknown account: rejected, not recorded', [ev('e1', 'ghost'), ev('e2')], [['acme', '2026-03-02', ['e2']]], [0]],
  ] as const)('%s', (_, events, groups, rejected) => {
    const plan = planEvents([...events], known);
    expect(plan.groups.map((g) => [g.accountId, g.day, g.events.map((e) => e.id)])).toEqual(groups);
    expect(plan.rejected.map((r) => r.index)).toEqual(rejected);
  });

  it('records each (account, id) of any request exactly once, as first sent, and rejects exactly the unknown accounts', () => {
    const event = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd'),
      accountId: fc.constantFrom('acme', 'globex', 'ghost'),
      userId: fc.constantFrom('u1', 'u2'),
      day: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (raw) => {
        const events = raw.map((r) => ev(r.id, r.accountId, { userId: r.userId, timestamp: `2026-03-0${r.day}T12:00:00Z` }));
        const plan = planEvents(events, known);
        const recorded = plan.groups.flatMap((g) => g.events);
        const firsts = events.filter(
          (e, i) => known.has(e.accountId) && events.findIndex((x) => eventKey(x.accountId, x.id) === eventKey(e.accountId, e.id)) === i,
        );
        expect(new Set(recorded)).toEqual(new Set(firsts));
        expect(recorded).toHaveLength(firsts.length);
        expect(plan.rejected.map((r) => r.index)).toEqual(events.flatMap((e, i) => (known.has(e.accountId) ? [] : [i])));
        for (const g of plan.groups) for (const e of g.events) expect([e.accountId, e.timestamp.slice(0, 10)]).toEqual([g.accountId, g.day]);
      }),
    );
  });
});

describe('eventOutcomes: each event answered once', () => {
  it.each([
    ['first seen: accepted', [ev('e1')], ['acme\u0000e1'], ['accepted']],
    ['claimed before: duplicate', [ev('e1')], [], ['duplicate']],
    ['the repeat within a request: duplicate', [ev('e1'), ev('e1', 'acme', { userId: 'u2' })], ['acme\u0000e1'], ['accepted', 'duplicate']],
    ['the same id of another account: its own answer', [ev('e1'), ev('e1', 'globex')], ['acme\u0000e1'], ['accepted', 'duplicate']],
    ['rejected stays rejected', [ev('e1', 'ghost'), ev('e2')], ['acme\u0000e2'], ['rejected', 'accepted']],
  ] as const)('%s', (_, events, firstSeen, statuses) => {
    const { rejected } = planEvents([...events], known);
    const out = eventOutcomes([...events], rejected, new Set(firstSeen));
    expect(out.results.map((r) => r.status)).toEqual(statuses);
    expect(out.accepted).toBe(statuses.filter((s) => s === 'accepted').length);
    expect(out.duplicates).toBe(statuses.filter((s) => s === 'duplicate').length);
    expect(out.results.map((r) => r.index)).toEqual(events.map((_, i) => i));
  });
});

describe('ingestEvents with a full account-day', () => {
  it('rejects the events of a day at the item limit alone; the rest of the batch is stored', async () => {
    const at = (day: string) => `${day}T10:00:00.000Z`;
    const events = [
      { id: 'a', accountId: 'full', userId: 'u1', name: 'x', timestamp: at('2026-03-02') },
      { id: 'b', accountId: 'ok', userId: 'u1', name: 'x', timestamp: at('2026-03-02') },
      { id: 'c', accountId: 'full', userId: 'u2', name: 'x', timestamp: at('2026-03-03') },
      { id: 'd', accountId: 'ghost', userId: 'u1', name: 'x', timestamp: at('2026-03-02') },
    ] as UsageEvent[];
    const marked: string[] = [];
    const result = await ingestEvents(
      {
        clock: { now: () => new Date('2026-03-03T12:00:00Z') },
        accounts: { existing: async (ids: string[]) => new Set(ids.filter((i) => i !== 'ghost')) } as never,
        usage: {
          record: async (accountId, day, evs) => {
            if (accountId === 'full' && day === '2026-03-02') throw new UsageDayFullError(accountId, day);
            return evs.map((e) => e.id);
          },
          days: async () => [],
        },
        dirty: { mark: async (ids: string[]) => void marked.push(...ids) } as never,
      },
      events,
    );
    expect(result.results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'accepted', 'rejected']);
    expect(result.results[0]!.reason).toMatch(/full.*2026-03-02.*400 KB/);
    expect(result.rejected.map((r) => r.index).sort()).toEqual([0, 3]);
  });

  it('tells DynamoDB refusing an item over 400 KB from other validation errors', () => {
    expect(isItemTooLarge({ name: 'ValidationException', message: 'Item size to update has exceeded the maximum allowed size' })).toBe(true);
    expect(isItemTooLarge({ name: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' })).toBe(true);
    expect(isItemTooLarge({ name: 'ValidationException', message: 'One or more parameter values were invalid' })).toBe(false);
    expect(isItemTooLarge({ name: 'ConditionalCheckFailedException', message: 'exceeded the maximum allowed size' })).toBe(false);
  });
});
