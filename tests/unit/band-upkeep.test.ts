import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandChangeBatch, refreshAccountBands } from '../../functions/core/metrics/band-upkeep.ts';
import { addInto, contributionOf, entriesOf, type Contribution, type Counters, type MetricSources } from '../../functions/core/metrics/contribution.ts';
import type { Band } from '../../functions/core/metrics/health.ts';
import type { MetricAggregateRepo, MetricSourceReader } from '../../functions/core/metrics/sources.ts';
import { renewalSk, type RenewalEntry } from '../../functions/core/metrics/renewal-index.ts';
import { refreshAccountBand, type MetricUpkeepDeps } from '../../functions/core/metrics/upkeep.ts';

const BANDS: Band[] = ['green', 'yellow', 'red', 'unscored'];

const sourcesOf = (i: number, band: Band): MetricSources => ({
  account: {
    accountId: `a${i}`,
    segment: ['tech-touch', 'high-touch'][i % 2]!,
    plan: ['Starter', 'Pro'][i % 3 ? 0 : 1]!,
    ...(i % 4 ? { owner: `csm${i % 3}` } : {}),
    status: i % 7 === 6 ? 'churned' : 'active',
    arr: 1000 * (1 + (i % 5)),
    band,
    startDate: '2025-09-01T00:00:00.000Z',
  },
  history: { accountId: `a${i}`, points: [{ at: '2025-09-01T00:00:00.000Z', arr: 1000 * (1 + (i % 5)), status: 'active' }] },
  surveys: [],
  // What the book index shows: every third account without a renewal date.
  profile: { name: `Account ${i}`, ...(i % 3 ? { renewalDate: `2026-0${1 + (i % 9)}-15` } : {}) },
});

/**
 * The aggregates and contributions in memory, counting requests as the DynamoDB repository makes
 * them (one per add item, one per save, one per contribution read), with a hook to make another
 * upkeep win a race on one account's next save.
 */
function world(accounts: number, startBand: (i: number) => Band, uncounted = new Set<number>()) {
  const items = new Map<string, Counters>();
  // The renewal index, by sort key as the DynamoDB repository keeps it (put, then delete the old key).
  const index = new Map<string, RenewalEntry>();
  const stored = new Map<string, { contribution?: Contribution; version: number }>();
  const bands = new Map<string, Band>();
  for (let i = 0; i < accounts; i++) {
    bands.set(`a${i}`, startBand(i));
    if (uncounted.has(i)) continue;
    const c = contributionOf(sourcesOf(i, startBand(i)));
    stored.set(`a${i}`, { contribution: c, version: 1 });
    addInto(items, entriesOf(c));
    if (c.renewal) index.set(renewalSk(c.renewal), c.renewal);
  }
  const calls = { adds: 0, saves: 0, reads: 0, batchReads: 0 };
  const racing = new Set<string>();
  const aggregates: MetricAggregateRepo = {
    async contribution(id) {
      calls.reads++;
      return stored.get(id) ?? { version: 0 };
    },
    async contributions(ids) {
      calls.batchReads++;
      return new Map(ids.map((id) => [id, stored.get(id) ?? { version: 0 }]));
    },
    async saveContribution(id, contribution, version) {
      calls.saves++;
      if (racing.delete(id)) {
        // Another upkeep stores the account's contribution first (its band unchanged) and adds nothing.
        stored.set(id, { ...stored.get(id)!, version: stored.get(id)!.version + 1 });
        return false;
      }
      if ((stored.get(id)?.version ?? 0) !== version) return false;
      stored.set(id, { ...(contribution ? { contribution } : {}), version: version + 1 });
      return true;
    },
    async add(diff) {
      calls.adds += diff.size;
      addInto(items, diff);
    },
    async moveRenewal(before, after) {
      if (after) index.set(renewalSk(after), after);
      if (before && (!after || renewalSk(before) !== renewalSk(after))) index.delete(renewalSk(before));
    },
    readPeriod: async () => [],
    readMonths: async () => [],
    replaceAll: async () => ({ written: 0, deleted: 0, renewals: 0 }),
  };
  const sources: MetricSourceReader = {
    load: async (id) => sourcesOf(Number(id.slice(1)), bands.get(id) ?? 'unscored'),
    all: async function* () {},
  };
  const deps: MetricUpkeepDeps = { aggregates, sources };
  /** The aggregates a rebuild would write for the bands now. */
  const rebuilt = () => {
    const out = new Map<string, Counters>();
    for (let i = 0; i < accounts; i++) addInto(out, entriesOf(contributionOf(sourcesOf(i, bands.get(`a${i}`)!))));
    return out;
  };
  /** The kept items without the counters that went back to 0 (a rebuild writes none). */
  const kept = () =>
    new Map(
      [...items].map(([k, c]) => [k, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0))] as const).filter(([, c]) => Object.keys(c).length),
    );
  /** The renewal index a rebuild would write for the bands now. */
  const rebuiltIndex = () =>
    new Map(
      Array.from({ length: accounts }, (_, i) => contributionOf(sourcesOf(i, bands.get(`a${i}`)!)).renewal)
        .filter((e) => e !== undefined)
        .map((e) => [renewalSk(e), e]),
    );
  return { deps, items, index, stored, bands, calls, racing, rebuilt, rebuiltIndex, kept };
}

describe('refreshAccountBands: a batch of band changes', () => {
  it('keeps the aggregates equal to a rebuild, for any batch of changes, with one update per moved item', () => {
    fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(29), fc.constantFrom(...BANDS)), { maxLength: 40 }), async (changes) => {
        const w = world(30, (i) => BANDS[i % 4]!);
        const batch = new Map<string, Band>();
        for (const [i, band] of changes) {
          batch.set(`a${i}`, band);
          w.bands.set(`a${i}`, band);
        }
        await refreshAccountBands(w.deps, batch);
        expect(w.kept()).toEqual(w.rebuilt());
        // The renewal index carries each live account's band too: moved with the batch, as a rebuild writes it.
        expect(w.index).toEqual(w.rebuiltIndex());
        // Applied one by one, the same changes cost six updates each (the book item of each cut, the renewal day's item).
        expect(w.calls.adds).toBeLessThanOrEqual(6 * batch.size);
        expect(w.calls.reads).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('adds nothing when the same batch is applied again (a retried run)', async () => {
    const w = world(10, () => 'green');
    const batch = new Map<string, Band>([
      ['a1', 'red'],
      ['a2', 'yellow'],
      ['a3', 'red'],
    ]);
    for (const [id, band] of batch) w.bands.set(id, band);
    await refreshAccountBands(w.deps, batch);
    const after = structuredClone(w.items);
    const { adds, saves } = w.calls;
    await refreshAccountBands(w.deps, batch);
    expect(w.items).toEqual(after);
    expect(w.calls.adds).toBe(adds);
    expect(w.calls.saves).toBe(saves);
    expect(w.kept()).toEqual(w.rebuilt());
  });

  it('counts once per item: three accounts moving green to red in one segment are one update of that item', async () => {
    const w = world(6, () => 'green');
    const batch = new Map<string, Band>([
      ['a0', 'red'],
      ['a2', 'red'],
      ['a4', 'red'],
    ]);
    await refreshAccountBands(w.deps, batch);
    // a0, a2, a4 share segment and cohort, not plan (Pro, Starter) or owner (none, csm2): 1 + 1 + 1 + 2 + 2;
    // and the renewal day items of a2 and a4 (a0 has no renewal date): 2.
    expect(w.calls.adds).toBe(9);
    expect(w.items.get('whole|N#all')).toMatchObject({ redAccounts: 3, greenAccounts: 3 });
  });

  it('lets an account whose contribution moved meanwhile, or that has none, take the one-account path', async () => {
    // a4 has no contribution yet (counted nowhere): its full refresh counts it from its sources.
    const w = world(5, () => 'green', new Set([4]));
    w.racing.add('a1');
    for (const id of ['a1', 'a2', 'a4']) w.bands.set(id, 'red');
    await refreshAccountBands(
      w.deps,
      new Map<string, Band>([
        ['a1', 'red'],
        ['a2', 'red'],
        ['a4', 'red'],
      ]),
    );
    expect(w.kept()).toEqual(w.rebuilt());
    expect(w.stored.get('a4')?.contribution?.now.redAccounts).toBe(1);
  });
});

describe('bandChangeBatch', () => {
  it('buffers until flushed, keeps the latest band of an account, and ends where one-by-one upkeep ends', async () => {
    const batched = world(12, (i) => BANDS[i % 3]!);
    const alone = world(12, (i) => BANDS[i % 3]!);
    const run = bandChangeBatch(batched.deps);
    const changes: [string, Band][] = [
      ['a1', 'red'],
      ['a5', 'green'],
      ['a1', 'yellow'],
      ['a7', 'unscored'],
    ];
    for (const [id, band] of changes) {
      await run.changed(id, band);
      await refreshAccountBand(alone.deps, id, band);
    }
    expect(batched.calls.saves).toBe(0);
    await run.flush();
    expect(batched.kept()).toEqual(alone.kept());
    expect(batched.calls.adds).toBeLessThan(alone.calls.adds);
    await run.flush();
    expect(batched.kept()).toEqual(alone.kept());
  });

  it('writes a full batch without waiting for the flush', async () => {
    const w = world(150, () => 'green');
    const run = bandChangeBatch(w.deps);
    for (let i = 0; i < 100; i++) await run.changed(`a${i}`, 'red');
    expect(w.calls.batchReads).toBe(1);
    // Churned accounts (every seventh) are in no band.
    const live = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 7 !== 6).length;
    expect(w.items.get('whole|N#all')).toMatchObject({ redAccounts: live, greenAccounts: 150 - 21 - live });
  });
});
