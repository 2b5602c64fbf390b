import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesSince, type ChangeEntry } from '../../functions/core/metrics/changes.ts';
import type { RenewalEntry } from '../../functions/core/metrics/renewal-index.ts';
import { entriesFromStates, scoreOfFacts, stateOf, type ScoreState, type ScoreStatesOfDay } from '../../functions/core/metrics/score-states.ts';
import type { ClearedFlag } from '../../functions/core/flags/cleared.ts';
import type { ActiveFlag } from '../../functions/core/flags/rules.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';
import type { ScoreModel } from '../../functions/core/score/model.ts';
import { recordDaily, type DailyScore } from '../../functions/core/score/trend.ts';

const model: ScoreModel = {
  ...presetModel('seed-002'),
  tiers: [
    { name: 'Healthy', min: 80, color: '#2e7d32' },
    { name: 'Stable', min: 60, color: '#9e9d24' },
    { name: 'AtRisk', min: 40, color: '#f9a825' },
    { name: 'Critical', min: 0, color: '#c62828' },
  ],
};
const tierOf = (s: number) => (s >= 80 ? 'Healthy' : s >= 60 ? 'Stable' : s >= 40 ? 'AtRisk' : 'Critical');
const bandOf = (s: number) => (s >= 80 ? 'green' : s >= 40 ? 'yellow' : 'red') as 'green' | 'yellow' | 'red';
const DAY = 86_400_000;
const dayOf = (d: number) => new Date(Date.UTC(2026, 3, 1) + d * DAY).toISOString().slice(0, 10);
const at = (d: number, hour: number) => `${dayOf(d)}T${String(hour).padStart(2, '0')}:00:00.000Z`;

interface Item {
  accountId: string;
  computedAt: string;
  score: number;
  tier: string;
  band: 'green' | 'yellow' | 'red';
  recent: DailyScore[];
  flags: Record<string, ActiveFlag>;
  clearedFlags: Record<string, ClearedFlag>;
}

/** One score write, as scoring keeps the item: today's daily score replaced, flags started and stopped. */
function write(prev: Item | undefined, accountId: string, when: string, score: number, flagged: boolean): Item {
  const flags = { ...(prev?.flags ?? {}) };
  const clearedFlags = { ...(prev?.clearedFlags ?? {}) };
  if (flagged && !flags.slipping) flags.slipping = { kind: 'risk', since: when } as ActiveFlag;
  if (!flagged && flags.slipping) {
    clearedFlags.slipping = { ...flags.slipping, clearedAt: when };
    delete flags.slipping;
  }
  return {
    accountId,
    computedAt: when,
    score,
    tier: tierOf(score),
    band: bandOf(score),
    recent: recordDaily(prev?.recent, { day: when.slice(0, 10), score }),
    flags,
    clearedFlags,
  };
}

const step = fc.record({
  score: fc.integer({ min: 0, max: 100 }),
  flagged: fc.boolean(),
  rescore: fc.option(fc.integer({ min: 0, max: 100 })),
  fails: fc.nat(30),
});

describe('the weekly review from the score states', () => {
  it('gives what the score items give, whatever the days, rescorings, failed scorings and since (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ startDay: fc.integer({ min: 0, max: 40 }), steps: fc.array(step, { minLength: 45, maxLength: 45 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: 34 }),
        fc.integer({ min: 36, max: 44 }),
        (accounts, back, today) => {
          const items = new Map<string, Item>();
          const days = new Map<string, ScoreStatesOfDay>();
          const ofDay = (d: number) =>
            days.get(dayOf(d)) ?? days.set(dayOf(d), { day: dayOf(d), shards: new Set([0]), states: [], failed: [], notes: [] }).get(dayOf(d))!;
          for (let d = 0; d <= today; d++)
            accounts.forEach((a, i) => {
              const id = `a${i}`;
              if (d < a.startDay) return;
              const s = a.steps[d]!;
              // The daily run at 06:00: a failed scoring keeps the item and is named in the day's failures.
              if (s.fails === 0 && items.has(id)) ofDay(d).failed.push(id);
              else {
                items.set(id, write(items.get(id), id, at(d, 6), s.score, s.flagged));
                ofDay(d).states.push(stateOf(items.get(id)!));
              }
              // A rescoring in the afternoon, logged under its day.
              if (s.rescore !== null && d < today) {
                items.set(id, write(items.get(id), id, at(d, 15), s.rescore, !s.flagged));
                ofDay(d).states.push(stateOf(items.get(id)!));
              }
            });
          const since = new Date(Date.parse(`${dayOf(today - back)}T00:00:00Z`) + 5 * 3_600_000);
          const now = new Date(Date.parse(`${dayOf(today)}T09:00:00Z`));
          const options = { since, now, top: 3, renewalWindowDays: 90, modelFor: () => model };
          const book: RenewalEntry[] = accounts.map((_, i) => ({
            accountId: `a${i}`,
            segment: 'tech-touch',
            arr: 1000 * (i + 1),
            band: 'unscored',
            name: `a${i}`,
          }));
          const raw: ChangeEntry[] = book.map((b) => ({
            accountId: b.accountId,
            arr: b.arr,
            segment: b.segment,
            ...(items.has(b.accountId) ? { score: items.get(b.accountId)! } : {}),
          }));
          const read = [today, today - back - 1].map(ofDay);
          const fromStates = entriesFromStates(book, read, { fromDay: dayOf(today - back), today: dayOf(today), shards: 1 });
          expect(fromStates).toBeDefined();
          for (const e of fromStates!.entries)
            if (fromStates!.unsure.includes(e.accountId) && items.has(e.accountId))
              e.score = scoreOfFacts({ ...items.get(e.accountId)!, weekBefore: {} } as never);
          expect(changesSince(fromStates!.entries, options)).toEqual(changesSince(raw, options));
        },
      ),
      { numRuns: 150 },
    );
  });

  const state = (accountId: string, computedAt: string, score: number, firstDay?: string): ScoreState => ({
    accountId,
    computedAt,
    score,
    tier: tierOf(score),
    band: bandOf(score),
    ...(firstDay ? { firstDay } : {}),
  });
  const book: RenewalEntry[] = [{ accountId: 'x', segment: 'tech-touch', arr: 10, band: 'green', name: 'x' }];
  const of = (day: number, states: ScoreState[], shards = [0, 1], failed: string[] = []): ScoreStatesOfDay => ({
    day: dayOf(day),
    shards: new Set(shards),
    states,
    failed,
    notes: [],
  });

  it.each([
    ['a shard missing the day before since', [of(10, [state('x', at(10, 6), 50)]), of(7, [], [0])], undefined],
    ['a shard missing today and yesterday', [of(10, [state('x', at(10, 6), 50)], [0]), of(9, [], [0]), of(7, [])], undefined],
    ['no states the day before since', [of(10, [state('x', at(10, 6), 50)])], undefined],
  ])('cannot tell with %s', (_name, days, expected) => {
    expect(entriesFromStates(book, days, { fromDay: dayOf(8), today: dayOf(10), shards: 2 })).toEqual(expected);
  });

  it.each([
    [
      'the newest state is now, the newest of the day before is then',
      [of(10, [state('x', at(10, 6), 50), state('x', at(10, 4), 90)]), of(7, [state('x', at(7, 6), 70), state('x', at(7, 15), 65)])],
      50,
      [{ day: dayOf(7), score: 65 }],
      [],
    ],
    [
      'a failed scoring reads the item',
      [of(10, [state('x', at(9, 6), 50)], [0, 1], ['x']), of(7, [state('x', at(7, 6), 70)])],
      50,
      [{ day: dayOf(7), score: 70 }],
      ['x'],
    ],
    ['scored before but not the day before: the item may hold an older score', [of(10, [state('x', at(10, 6), 50, dayOf(2))]), of(7, [])], 50, [], ['x']],
    ['first scored after since: no score then, nothing to read', [of(10, [state('x', at(10, 6), 50, dayOf(9))]), of(7, [])], 50, [], []],
  ])('%s', (_name, days, score, recent, unsure) => {
    const out = entriesFromStates(book, days, { fromDay: dayOf(8), today: dayOf(10), shards: 2 })!;
    expect(out.entries[0]!.score).toMatchObject({ score, recent });
    expect(out.unsure).toEqual(unsure);
  });
});
