import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGGREGATE_CUTS,
  contributionDiff,
  contributionOf,
  type AggregateCut,
  type Counters,
  type MetricSources,
} from '../../functions/core/metrics/contribution.ts';
import { metricAggregates } from '../../functions/data/metric-aggregates.ts';
import { addressesOf, PERIOD_COUNTER_CODES, storedItemBytes, storedItemsOf, storedUpdates } from '../../functions/data/metric-layout.ts';

const FLOWS = ['newArr', 'newLogos', 'reactivationArr', 'reactivationLogos', 'expansionArr', 'contractionArr', 'churnedArr', 'churnedLogos'];
const SENTIMENT = ['npsResponses', 'promoters', 'passives', 'detractors', 'csatResponses', 'csatSum', 'csatSatisfied'];
const BOOK_NOW = ['accounts', ...['green', 'yellow', 'red', 'unscored'].flatMap((b) => [`${b}Accounts`, `${b}Arr`])];
const SEGMENTS = ['high-touch', 'medium-touch', 'tech-touch', 'none'];
const PLANS = ['Starter', 'Pro', 'Enterprise', 'none'];

const groupOf: Record<AggregateCut, fc.Arbitrary<string>> = {
  whole: fc.constant('all'),
  segment: fc.constantFrom(...SEGMENTS, 'tech#touch'),
  plan: fc.constantFrom(...PLANS),
  // Owners are free text: `#`, `|` and non-ASCII included.
  owner: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('a#b', 'a|b', 'zoë|#|', 'none')),
  cohort: fc.oneof(
    fc.constant('none'),
    fc.integer({ min: 2020, max: 2027 }).map((y) => `${y}-0${1 + (y % 9)}`),
  ),
};
const year = fc.integer({ min: 2024, max: 2027 });
const skOf = (group: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(year, fc.integer({ min: 1, max: 12 })).map(([y, m]) => `P#M#${y}-${String(m).padStart(2, '0')}#${group}`),
    fc.tuple(year, fc.integer({ min: 1, max: 4 })).map(([y, q]) => `P#Q#${y}-Q${q}#${group}`),
    year.map((y) => `P#Y#${y}#${group}`),
    fc.tuple(year, fc.integer({ min: 1, max: 28 })).map(([y, d]) => `T#${y}-03-${String(d).padStart(2, '0')}#${group}`),
    fc.constant(`N#${group}`),
  );
const counters = fc.dictionary(
  fc.constantFrom(...FLOWS, ...SENTIMENT, ...BOOK_NOW, 'started', 'd3', 'd14'),
  fc.integer({ min: -1e9, max: 1e9 }).filter((v) => v !== 0),
  {
    minKeys: 1,
  },
);
const address = fc.constantFrom(...AGGREGATE_CUTS).chain((cut) => groupOf[cut].chain(skOf).map((sk) => `${cut}|${sk}`));
const renewalDay = fc.integer({ min: 1, max: 28 }).map((d) => `whole|R#2026-05-${String(d).padStart(2, '0')}`);
const addresses = fc.array(fc.tuple(fc.oneof({ weight: 9, arbitrary: address }, { weight: 1, arbitrary: renewalDay }), counters), { maxLength: 60 });

/** The addresses read back from stored items, cut by cut: each cut's partition, and the book item for the whole book, segment and plan. */
function readBack(items: Record<string, unknown>[]) {
  const out = new Map<string, Counters>();
  for (const cut of AGGREGATE_CUTS)
    for (const item of items) {
      const book = item.pk === 'METRICS#whole' && item.sk === 'N';
      const ofCut = book ? ['whole', 'segment', 'plan'].includes(cut) : item.pk === `METRICS#${cut}`;
      if (ofCut) for (const [sk, c] of addressesOf(item, cut)) out.set(`${cut}|${sk}`, c);
    }
  return out;
}

describe('the stored layout of the metric aggregates (metric-layout.ts)', () => {
  it('reads back exactly the addresses and counters stored, for any groups (property)', () => {
    fc.assert(
      fc.property(addresses, (entries) => {
        const items = new Map<string, Counters>(entries);
        expect(readBack(storedItemsOf(items))).toEqual(items);
      }),
    );
  });

  it('adds a difference as the sum of its addresses: storing a sum equals adding the parts (property)', () => {
    fc.assert(
      fc.property(addresses, addresses, (a, b) => {
        const sum = new Map<string, Counters>(a);
        for (const [k, c] of new Map(b)) {
          const t = { ...(sum.get(k) ?? {}) };
          for (const [f, v] of Object.entries(c)) t[f] = (t[f] ?? 0) + v;
          sum.set(k, t);
        }
        const stored = new Map<string, Counters>();
        for (const part of [new Map(a), new Map(b)])
          for (const [id, { counters: c }] of storedUpdates(part)) {
            const t = stored.get(id) ?? {};
            for (const [f, v] of Object.entries(c)) t[f] = (t[f] ?? 0) + v;
            stored.set(id, t);
          }
        expect(new Map([...storedUpdates(sum)].map(([id, { counters: c }]) => [id, c]))).toEqual(stored);
      }),
    );
  });

  const source: MetricSources = {
    account: {
      accountId: 'a1',
      segment: 'tech-touch',
      plan: 'Pro',
      owner: 'dana@example.com',
      status: 'active',
      arr: 30_000,
      band: 'green',
      startDate: '2025-02-03T00:00:00Z',
    },
    history: {
      accountId: 'a1',
      points: [
        { at: '2025-02-03T00:00:00Z', arr: 20_000, status: 'active' },
        { at: '2026-01-10T00:00:00Z', arr: 30_000, status: 'active' },
      ],
    },
    surveys: [],
    profile: { name: 'A1', renewalDate: '2026-09-01' },
  };
  const moved = (after: MetricSources) => {
    const diff = contributionDiff(contributionOf(source), contributionOf(after));
    return { addresses: diff.size, requests: storedUpdates(diff).size };
  };

  it.each([
    // Book M, Q, Y and N; the owner's and the cohort's year item and N; the renewal day: 9 where one item an address took 21.
    [
      'an ARR change',
      {
        ...source,
        account: { ...source.account, arr: 40_000 },
        history: { ...source.history, points: [...source.history.points, { at: '2026-05-04T00:00:00Z', arr: 40_000, status: 'active' as const }] },
      },
      21,
      9,
    ],
    // Book M, Q, Y; the owner's and the cohort's year item.
    ['an NPS answer', { ...source, surveys: [{ id: 's1', accountId: 'a1', kind: 'nps' as const, score: 9, answeredAt: '2026-05-04T10:00:00Z' }] }, 15, 5],
    // Book N, the owner's and cohort's N, the renewal day.
    ['a band change', { ...source, account: { ...source.account, band: 'red' as const } }, 6, 4],
  ])('%s moves %i addresses in %i UpdateItems', (_, after, addresses, requests) => {
    expect(moved(after)).toEqual({ addresses, requests });
  });

  // The bounds docs/data-model.md states, at their worst: every counter set, each at 15 digits.
  const BIG = 123_456_789_012_345;
  const YEAR = [
    ...Array.from({ length: 12 }, (_, m) => `M#2026-${String(m + 1).padStart(2, '0')}`),
    'Q#2026-Q1',
    'Q#2026-Q2',
    'Q#2026-Q3',
    'Q#2026-Q4',
    'Y#2026',
  ];
  const every = (names: string[]) => Object.fromEntries(names.map((f) => [f, BIG]));

  it('the book item holds every group of the whole book, segment and plan under 4 KB', () => {
    const groups: [AggregateCut, string][] = [
      ['whole', 'all'],
      ...SEGMENTS.map((g): [AggregateCut, string] => ['segment', g]),
      ...PLANS.map((g): [AggregateCut, string] => ['plan', g]),
    ];
    const stored = storedItemsOf(new Map(groups.map(([cut, g]) => [`${cut}|N#${g}`, every(BOOK_NOW)])));
    expect(stored).toHaveLength(1);
    expect(storedItemBytes(stored[0]!)).toBeLessThan(4 * 1024);
  });

  it("a group's year item holds its 17 periods under 4 KB, whatever the book or the owner's name (300 owners: 300 items)", () => {
    for (const cut of AGGREGATE_CUTS) {
      const items = new Map<string, Counters>();
      for (let o = 0; o < 300; o++) for (const p of YEAR) items.set(`${cut}|P#${p}#${'csm'.repeat(20)}-${o}@example.com`, every([...FLOWS, ...SENTIMENT]));
      const stored = storedItemsOf(items);
      expect(stored).toHaveLength(300);
      expect(Math.max(...stored.map(storedItemBytes))).toBeLessThan(4 * 1024);
    }
  });

  it('stores every period counter under a short code no counter is named', () => {
    expect(Object.keys(PERIOD_COUNTER_CODES).sort()).toEqual([...FLOWS, ...SENTIMENT].sort());
    for (const code of Object.values(PERIOD_COUNTER_CODES)) expect([...FLOWS, ...SENTIMENT, ...BOOK_NOW, 'started']).not.toContain(code);
    expect(new Set(Object.values(PERIOD_COUNTER_CODES)).size).toBe(FLOWS.length + SENTIMENT.length);
  });

  it('splits a big difference (a rebuild-sized move) into UpdateItems of at most 100 ADD clauses, each expression under 4 KB', async () => {
    const mock = mockClient(DynamoDBDocumentClient);
    mock.on(UpdateCommand).resolves({});
    const diff = new Map<string, Counters>();
    // A start day's histogram of 300 days-to-value counters in each of 3 cuts.
    for (const [cut, g] of [
      ['whole', 'all'],
      ['segment', 'high-touch'],
      ['plan', 'Pro'],
    ])
      diff.set(`${cut}|T#2026-03-05#${g}`, Object.fromEntries(Array.from({ length: 300 }, (_, d) => [`d${d}`, 1])));
    await metricAggregates(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'Table').add(diff);
    const calls = mock.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(9);
    for (const input of calls) {
      expect(Object.keys(input.ExpressionAttributeNames!).length).toBeLessThanOrEqual(100);
      expect(input.UpdateExpression!.length).toBeLessThan(4096);
      expect(String(input.Key!.sk)).toMatch(/^T#2026-03-05#/);
    }
    const added = calls.reduce((t, c) => t + Object.keys(c.ExpressionAttributeNames!).length, 0);
    expect(added).toBe(900);
    mock.restore();
  });
});
