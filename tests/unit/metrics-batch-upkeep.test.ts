import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addInto, type Contribution, type Counters, type MetricSources } from '../../functions/core/metrics/contribution.ts';
import type { MetricAggregateRepo } from '../../functions/core/metrics/sources.ts';
import { refreshAccountMetrics, refreshAccountsMetrics } from '../../functions/core/metrics/upkeep.ts';

const sourcesOf = (id: string, a: { segment: string; arr: number; status: 'active' | 'churned'; nps?: number; renewal?: string }): MetricSources => ({
  account: { accountId: id, segment: a.segment, status: a.status, arr: a.arr, band: 'green', startDate: '2026-01-01' },
  history: { accountId: id, points: [{ at: '2026-01-01T00:00:00Z', arr: a.arr, status: a.status }] },
  surveys: a.nps === undefined ? [] : [{ id: `s-${id}`, accountId: id, kind: 'nps', score: a.nps, answeredAt: '2026-02-03T00:00:00Z' }],
  profile: { name: id, ...(a.renewal ? { renewalDate: a.renewal } : {}) },
});

/** The aggregates and contributions in memory, counting the updates `add` would send (one per item). */
function memory(options: { refuseOnce?: string; failFirstAdd?: boolean } = {}) {
  const contributions = new Map<string, { contribution?: Contribution; version: number }>();
  const items = new Map<string, Counters>();
  const calls = { add: 0, updates: 0, batchReads: 0 };
  let refuse = options.refuseOnce;
  const repo: MetricAggregateRepo = {
    contribution: async (id) => contributions.get(id) ?? { version: 0 },
    contributions: async (ids) => (calls.batchReads++, new Map(ids.map((id) => [id, contributions.get(id) ?? { version: 0 }]))),
    async saveContribution(id, contribution, version) {
      if (refuse === id) {
        // Another upkeep stored one meanwhile (the same sources, so the same contribution).
        refuse = undefined;
        return false;
      }
      if ((contributions.get(id)?.version ?? 0) !== version) return false;
      contributions.set(id, { ...(contribution ? { contribution } : {}), version: version + 1 });
      return true;
    },
    add: async (diff) => {
      calls.add++;
      if (options.failFirstAdd && calls.add === 1) throw new Error('throttled');
      calls.updates += diff.size;
      addInto(items, diff);
    },
    readPeriod: async () => [],
    readMonths: async () => [],
    moveRenewal: async () => {},
    replaceAll: async () => ({ written: 0, deleted: 0, renewals: 0 }),
  };
  /** The items, zero counters dropped (an ADD that nets out leaves a 0). */
  const figures = () =>
    new Map(
      [...items]
        .map(([a, c]) => [a, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0))] as const)
        .filter(([, c]) => Object.keys(c).length)
        .sort(),
    );
  return { repo, calls, figures, contributions };
}

const change = fc.record({
  account: fc.integer({ min: 0, max: 5 }),
  segment: fc.constantFrom('tech-touch', 'high-touch'),
  arr: fc.constantFrom(1000, 2000, 5000),
  status: fc.constantFrom<'active' | 'churned'>('active', 'active', 'churned'),
  nps: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  renewal: fc.option(fc.constantFrom('2026-05-01', '2026-06-15'), { nil: undefined }),
});

describe('many accounts refreshed together (a survey batch, revenue points)', () => {
  it('leaves the aggregates and contributions of one-by-one refreshes, with one update per item the batch moves (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(change, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 5 }),
        async (batches, raced) => {
          const sources = new Map<string, MetricSources>();
          const load = async (id: string) => sources.get(id);
          const together = memory({ refuseOnce: `a${raced}` });
          const alone = memory();
          const errors: string[] = [];
          for (const batch of batches) {
            for (const c of batch) sources.set(`a${c.account}`, sourcesOf(`a${c.account}`, c));
            const ids = batch.map((c) => `a${c.account}`);
            for (const id of new Set(ids)) await refreshAccountMetrics({ sources: { load, all: async function* () {} }, aggregates: alone.repo }, id);
            const before = { ...together.calls };
            await refreshAccountsMetrics({ sources: { load, all: async function* () {} }, aggregates: together.repo }, ids, (id) => void errors.push(id));
            // One batch read, and each moved item updated once for the batch (a raced account's own refresh may add its items again).
            const distinct = new Set(ids).size;
            if (distinct > 1) expect(together.calls.batchReads - before.batchReads).toBe(1);
            if (distinct > 1 && !ids.includes(`a${raced}`)) expect(together.calls.add - before.add).toBeLessThanOrEqual(1);
          }
          expect(errors).toEqual([]);
          expect(together.figures()).toEqual(alone.figures());
          expect(new Map([...together.contributions].map(([id, c]) => [id, c.contribution]))).toEqual(
            new Map([...alone.contributions].map(([id, c]) => [id, c.contribution])),
          );
          expect(together.calls.updates).toBeLessThanOrEqual(alone.calls.updates);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('counts the others when one account fails, and reports that one', async () => {
    const sources = new Map([
      ['a', sourcesOf('a', { segment: 'tech-touch', arr: 1000, status: 'active', nps: 9 })],
      ['b', sourcesOf('b', { segment: 'tech-touch', arr: 2000, status: 'active', nps: 3 })],
    ]);
    const kept = memory();
    const errors: string[] = [];
    const load = async (id: string) => {
      if (id === 'bad') throw new Error('throttled');
      return sources.get(id);
    };
    await refreshAccountsMetrics(
      { sources: { load, all: async function* () {} }, aggregates: kept.repo },
      ['a', 'bad', 'b', 'a'],
      (id) => void errors.push(id),
    );
    expect(errors).toEqual(['bad']);
    expect(kept.calls.add).toBe(1);
    const alone = memory();
    for (const id of ['a', 'b']) await refreshAccountMetrics({ sources: { load, all: async function* () {} }, aggregates: alone.repo }, id);
    expect(kept.figures()).toEqual(alone.figures());
    // Two accounts of one segment answering in one month share their items: fewer updates than one by one.
    expect(kept.calls.updates).toBeLessThan(alone.calls.updates);
  });

  it("reports the batch's accounts when the one update fails, and still refreshes the one that lost a race", async () => {
    const sources = new Map(['a', 'b', 'c'].map((id) => [id, sourcesOf(id, { segment: 'tech-touch', arr: 1000, status: 'active', nps: 9 })]));
    const load = async (id: string) => sources.get(id);
    const kept = memory({ failFirstAdd: true, refuseOnce: 'c' });
    const errors: string[] = [];
    await refreshAccountsMetrics({ sources: { load, all: async function* () {} }, aggregates: kept.repo }, ['a', 'b', 'c'], (id) => void errors.push(id));
    expect(errors.sort()).toEqual(['a', 'b']);
    // c lost its save's race: its own refresh (the one-account path) stored and counted it.
    expect(kept.contributions.get('c')?.contribution).toBeDefined();
    const alone = memory();
    await refreshAccountMetrics({ sources: { load, all: async function* () {} }, aggregates: alone.repo }, 'c');
    expect(kept.figures()).toEqual(alone.figures());
  });
});
