import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addInto,
  aggregateSk,
  contributionOf,
  renewalCounters,
  withBand,
  type Contribution,
  type Counters,
  type MetricSources,
} from '../../functions/core/metrics/contribution.ts';
import type { Band } from '../../functions/core/metrics/health.ts';
import { renewalSk, type RenewalEntry } from '../../functions/core/metrics/renewal-index.ts';
import type { MetricAggregateRepo } from '../../functions/core/metrics/sources.ts';
import { rebuildMetrics, refreshAccountBand, refreshAccountMetrics } from '../../functions/core/metrics/upkeep.ts';

const sourcesOf = (
  id: string,
  a: { status: 'trial' | 'active' | 'churned'; arr: number; band: Band; owner?: string; renewal?: string; name: string },
): MetricSources => ({
  account: {
    accountId: id,
    segment: 'tech-touch',
    status: a.status,
    arr: a.status === 'trial' ? 0 : a.arr,
    band: a.band,
    startDate: '2026-01-01',
    ...(a.owner ? { owner: a.owner } : {}),
  },
  history: { accountId: id, points: [{ at: '2026-01-01T00:00:00Z', arr: a.arr, status: a.status }] },
  surveys: [],
  profile: { name: a.name, ...(a.renewal ? { renewalDate: a.renewal } : {}) },
});

/** The aggregates, the contributions and the book index in memory, as the DynamoDB repository keeps them. */
function memory() {
  const contributions = new Map<string, { contribution?: Contribution; version: number }>();
  const index = new Map<string, RenewalEntry>();
  const items = new Map<string, Counters>();
  const repo: MetricAggregateRepo = {
    contribution: async (id) => contributions.get(id) ?? { version: 0 },
    async saveContribution(id, contribution, version) {
      if ((contributions.get(id)?.version ?? 0) !== version) return false;
      contributions.set(id, { ...(contribution ? { contribution } : {}), version: version + 1 });
      return true;
    },
    add: async (diff) => addInto(items, diff),
    readPeriod: async () => [],
    readMonths: async () => [],
    async moveRenewal(before, after) {
      if (after) index.set(renewalSk(after), after);
      if (before && (!after || renewalSk(before) !== renewalSk(after))) index.delete(renewalSk(before));
    },
    async replaceAll(rebuilt, all) {
      index.clear();
      items.clear();
      addInto(items, rebuilt);
      for (const [id, c] of all) {
        contributions.set(id, { contribution: c, version: (contributions.get(id)?.version ?? 0) + 1 });
        if (c.renewal) index.set(renewalSk(c.renewal), c.renewal);
      }
      return { written: 0, deleted: 0, renewals: index.size };
    },
  };
  /** The renewal day items (`whole|R#<day>`), zero counters dropped (an ADD leaves a 0 where a rebuild writes nothing). */
  const renewalDays = () =>
    new Map(
      [...items]
        .filter(([address]) => address.startsWith('whole|R#'))
        .map(([address, c]) => [address, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0))] as const)
        .filter(([, c]) => Object.keys(c).length)
        .sort(),
    );
  return { repo, index, renewalDays };
}

/** What the renewal day items must say: the index's entries of each day counted by band. */
function countedFromIndex(index: Map<string, RenewalEntry>) {
  const out = new Map<string, Counters>();
  for (const e of index.values())
    if (e.renewalDate) addInto(out, new Map([[`whole|${aggregateSk.renewalDay(e.renewalDate.slice(0, 10))}`, renewalCounters(e)]]));
  return new Map([...out].map(([a, c]) => [a, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0))] as const).sort());
}

const change = fc.record({
  account: fc.integer({ min: 0, max: 3 }),
  status: fc.constantFrom<'trial' | 'active' | 'churned'>('trial', 'active', 'active', 'churned'),
  arr: fc.constantFrom(1000, 2000),
  band: fc.constantFrom<Band>('green', 'yellow', 'red', 'unscored'),
  owner: fc.option(fc.constantFrom('alex', 'sam'), { nil: undefined }),
  renewal: fc.option(fc.constantFrom('2026-05-01', '2026-06-15', '2026-06-15T10:00:00Z'), { nil: undefined }),
  name: fc.constantFrom('Acme', 'Acme Inc'),
  bandOnly: fc.boolean(),
});

describe('the book index', () => {
  it('holds a live account with its renewal date, paid ARR, band, owner and name; none for a churned one', () => {
    const live = contributionOf(sourcesOf('a', { status: 'trial', arr: 5000, band: 'red', owner: 'sam', renewal: '2026-06-15T10:00:00Z', name: 'A' }));
    expect(live.renewal).toEqual({ accountId: 'a', renewalDate: '2026-06-15T10:00:00Z', segment: 'tech-touch', arr: 0, band: 'red', name: 'A', owner: 'sam' });
    expect(renewalSk(live.renewal!)).toBe('2026-06-15#a');
    expect(renewalSk({ accountId: 'b' })).toBe('none#b');
    expect(contributionOf(sourcesOf('a', { status: 'churned', arr: 5000, band: 'red', name: 'A' })).renewal).toBeUndefined();
    expect(withBand(live, 'green').renewal!.band).toBe('green');
  });

  it('kept by upkeep with its renewal day items, whatever the order of changes, band moves and replays, equals the rebuild (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 25 }), async (changes) => {
        const sources = new Map<string, MetricSources>();
        const kept = memory();
        const deps = { sources: { load: async (id: string) => sources.get(id), all: async function* () {} }, aggregates: kept.repo };
        for (const c of changes) {
          const id = `a${c.account}`;
          const current = sources.get(id);
          if (c.bandOnly && current) {
            // Scoring moves the band alone: the stored contribution is enough.
            sources.set(id, { ...current, account: { ...current.account, band: c.band } });
            await refreshAccountBand(deps, id, c.band);
          } else {
            sources.set(id, sourcesOf(id, c));
            await refreshAccountMetrics(deps, id);
          }
        }
        const rebuilt = memory();
        await rebuildMetrics({
          sources: {
            load: async (id) => sources.get(id),
            all: async function* () {
              yield [...sources.values()];
            },
          },
          aggregates: rebuilt.repo,
        });
        expect(new Map([...kept.index].sort())).toEqual(new Map([...rebuilt.index].sort()));
        // The renewal day items: as the rebuild sums them, and as the index's entries count (what the renewals report's totals are).
        expect(kept.renewalDays()).toEqual(rebuilt.renewalDays());
        expect(kept.renewalDays()).toEqual(countedFromIndex(kept.index));
        // Replayed: nothing moves.
        for (const id of sources.keys()) expect(await refreshAccountMetrics(deps, id)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
