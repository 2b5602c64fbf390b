import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesSince, type ChangeEntry } from '../../functions/core/metrics/changes.ts';
import type { RenewalEntry } from '../../functions/core/metrics/renewal-index.ts';
import {
  bookNoteOf,
  entriesFromStates,
  scoreOfFacts,
  stateOf,
  withBookNotes,
  type ScoreState,
  type ScoreStatesOfDay,
} from '../../functions/core/metrics/score-states.ts';
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

  it('gives what the score items and the book give with the book kept in the states: ARR, segment and owner changed, churns, renewals, one owner (property)', () => {
    const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
    const owners = [undefined, 'alex', 'sam'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            startDay: fc.integer({ min: 0, max: 40 }),
            steps: fc.array(step, { minLength: 45, maxLength: 45 }),
            owner: fc.constantFrom(...owners),
            renewal: fc.option(fc.integer({ min: 30, max: 140 })),
            change: fc.option(fc.record({ day: fc.integer({ min: 0, max: 44 }), arr: fc.nat(5000), owner: fc.constantFrom(...owners), segment: fc.boolean() })),
            churnDay: fc.option(fc.integer({ min: 0, max: 50 })),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.integer({ min: 0, max: 34 }),
        fc.integer({ min: 36, max: 44 }),
        fc.boolean(),
        fc.constantFrom(undefined, 'alex'),
        (accounts, back, today, todayUnrun, owner) => {
          const items = new Map<string, Item>();
          const days = new Map<string, ScoreStatesOfDay>();
          const ofDay = (d: number) =>
            days.get(dayOf(d)) ?? days.set(dayOf(d), { day: dayOf(d), shards: new Set(), states: [], failed: [], notes: [] }).get(dayOf(d))!;
          // Each account's book as it stands, and whether live (not churned).
          const book = accounts.map((a, i): RenewalEntry & { live: boolean } => ({
            accountId: `a${i}`,
            segment: 'tech-touch',
            arr: 1000 * (i + 1),
            band: 'unscored',
            name: `a${i}`,
            ...(a.owner ? { owner: a.owner } : {}),
            ...(a.renewal !== null ? { renewalDate: dayOf(a.renewal) } : {}),
            live: true,
          }));
          const account = (i: number) => ({ status: 'active' as const, arr: book[i]!.arr, segment: book[i]!.segment as 'tech-touch', owner: book[i]!.owner });
          for (let d = 0; d <= today; d++) {
            // The daily run at 06:00 sets the shard (not today's when it has not run yet).
            const ran = !(d === today && todayUnrun);
            if (ran) ofDay(d).shards.add(0);
            else ofDay(d);
            accounts.forEach((a, i) => {
              const id = `a${i}`;
              if (d < a.startDay || !book[i]!.live) return;
              const s = a.steps[d]!;
              if (ran) {
                if (s.fails === 0 && items.has(id)) ofDay(d).failed.push(id);
                else {
                  items.set(id, write(items.get(id), id, at(d, 6), s.score, s.flagged));
                  ofDay(d).states.push(stateOf(items.get(id)!, account(i)));
                }
              }
              // The book changes at 10:00, noted by the upkeep; the account churns at noon.
              const was = { ...book[i]! };
              if (a.change?.day === d) {
                Object.assign(book[i]!, { arr: a.change.arr, segment: a.change.segment ? 'high-touch' : 'tech-touch', owner: a.change.owner });
                if (!a.change.owner) delete book[i]!.owner;
                const note = bookNoteOf(was, book[i], at(d, 10));
                if (note) ofDay(d).notes.push(note);
              }
              if (a.churnDay === d) {
                book[i]!.live = false;
                ofDay(d).notes.push(bookNoteOf(book[i], undefined, at(d, 12))!);
                return;
              }
              if (s.rescore !== null && d < today) {
                items.set(id, write(items.get(id), id, at(d, 15), s.rescore, !s.flagged));
                ofDay(d).states.push(stateOf(items.get(id)!, account(i)));
              }
            });
          }
          const fromDay = dayOf(today - back);
          const since = new Date(Date.parse(`${fromDay}T00:00:00Z`) + 5 * 3_600_000);
          const now = new Date(Date.parse(`${dayOf(today)}T09:00:00Z`));
          const options = { since, now, top: 3, renewalWindowDays: 90, modelFor: () => model };
          const live = book.filter((b) => b.live && (owner === undefined || b.owner === owner));
          const raw: ChangeEntry[] = live.map((b) => ({
            accountId: b.accountId,
            arr: b.arr,
            segment: b.segment,
            ...(b.renewalDate ? { renewalDate: b.renewalDate } : {}),
            ...(items.has(b.accountId) ? { score: items.get(b.accountId)! } : {}),
          }));
          // As the report reads them: the index's entries due from the later of today and the window's end the day before since, to today's window end.
          const enterFrom = [dayOf(today), addDays(fromDay, 89)].sort()[1]!;
          const entering = book.filter((b) => b.live && b.renewalDate && b.renewalDate >= enterFrom && b.renewalDate < addDays(dayOf(today), 90));
          // The day before since, unless yesterday, as the report reads it: the scores alone.
          const scoresOnly = (d: ScoreStatesOfDay): ScoreStatesOfDay => ({
            ...d,
            states: d.states.map((x) => ({ accountId: x.accountId, computedAt: x.computedAt, score: x.score, tier: null })),
          });
          const read = [...new Set([today, ...(todayUnrun ? [today - 1] : []), today - back - 1])].map((d) =>
            d < today - 1 && d === today - back - 1 ? scoresOnly(ofDay(d)) : ofDay(d),
          );
          const out = entriesFromStates(undefined, read, { fromDay, today: dayOf(today), shards: 1, owner, entering });
          expect(out).toBeDefined();
          expect(out).not.toBe('book-needed');
          const { entries, unsure, unbooked } = out as Exclude<typeof out, 'book-needed' | undefined>;
          for (const b of live.filter((x) => unbooked.includes(x.accountId)))
            entries.push({ accountId: b.accountId, arr: b.arr, segment: b.segment, ...(b.renewalDate ? { renewalDate: b.renewalDate } : {}) });
          for (const e of entries)
            if (unsure.includes(e.accountId) && items.has(e.accountId)) e.score = scoreOfFacts({ ...items.get(e.accountId)!, weekBefore: {} } as never);
          expect(changesSince(entries, options)).toEqual(changesSince(raw, options));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('asks for the book when a state was written before states kept it, and gives the same review from the book index then', () => {
    const today = 10;
    const old: ScoreState = { accountId: 'x', computedAt: at(today, 6), score: 30, tier: 'Critical', band: 'red' };
    const days = [
      { day: dayOf(today), shards: new Set([0]), states: [old], failed: [], notes: [] },
      {
        day: dayOf(7),
        shards: new Set([0]),
        states: [{ ...old, computedAt: at(7, 6), score: 70, tier: 'Stable', band: 'yellow' as const }],
        failed: [],
        notes: [],
      },
    ];
    const within = { fromDay: dayOf(8), today: dayOf(today), shards: 1 };
    expect(entriesFromStates(undefined, days, within)).toBe('book-needed');
    const index: RenewalEntry[] = [{ accountId: 'x', segment: 'tech-touch', arr: 10, band: 'red', name: 'x', renewalDate: dayOf(60) }];
    const fromIndex = entriesFromStates(index, days, within)!;
    // With the book kept, the same entries.
    const withBook = days.map((d) => ({ ...d, states: d.states.map((s) => ({ ...s, book: { arr: 10, segment: 'tech-touch' } })) }));
    const fromStates = entriesFromStates(undefined, withBook, { ...within, entering: index })!;
    expect(fromStates).toEqual(fromIndex);
    expect(fromIndex.entries[0]).toMatchObject({ arr: 10, renewalDate: dayOf(60), score: { score: 30, recent: [{ day: dayOf(7), score: 70 }] } });
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

describe('withBookNotes', () => {
  const entry: RenewalEntry = { accountId: 'a1', segment: 'smb', arr: 10_000, band: 'green', name: 'A1', owner: 'sam' };
  const clock = { now: () => new Date('2026-05-01T10:00:00Z') };
  const moves: unknown[] = [];
  const aggregates = { moveRenewal: async (before: RenewalEntry | undefined, after: RenewalEntry | undefined) => void moves.push([before, after]) };

  it.each([
    {
      name: 'an ARR change is noted after the move',
      after: { ...entry, arr: 12_000 },
      notes: [{ accountId: 'a1', at: '2026-05-01T10:00:00.000Z', book: { arr: 12_000, segment: 'smb', owner: 'sam' } }],
    },
    { name: 'a band change alone is not', after: { ...entry, band: 'red' as const }, notes: [] },
    { name: 'a churn (no entry after) is noted without a book', after: undefined, notes: [{ accountId: 'a1', at: '2026-05-01T10:00:00.000Z' }] },
  ])('$name', async ({ after, notes }) => {
    const noted: unknown[] = [];
    const composed = withBookNotes(aggregates, { note: async (n) => void noted.push(...n) }, clock, (err) => {
      throw err;
    });
    await composed.moveRenewal(entry, after);
    expect(noted).toEqual(notes);
  });

  it('a failed note is reported and does not fail the upkeep', async () => {
    moves.length = 0;
    const reported: unknown[] = [];
    const failing = {
      note: async () => {
        throw new Error('throttled');
      },
    };
    const composed = withBookNotes(aggregates, failing, clock, (err) => reported.push(err));
    await expect(composed.moveRenewal(entry, { ...entry, owner: 'alex' })).resolves.toBeUndefined();
    expect(moves).toHaveLength(1);
    expect(reported).toEqual([new Error('throttled')]);
  });
});
