import { describe, expect, it } from 'vitest';
import { factsOf } from '../../functions/core/score/explain.ts';
import type { StoredScore } from '../../functions/core/types.ts';
import { isScored, listingOf, scoreFactsOf, scoreItem } from '../../functions/data/scores.ts';

const DAY = 86_400_000;
const at = Date.parse('2026-04-20T07:00:00Z');
const day = (i: number) => new Date(at - i * DAY).toISOString().slice(0, 10);

const score = (change: Partial<StoredScore>): StoredScore => ({
  accountId: 'acme',
  score: 30,
  tier: 'red',
  band: 'red',
  color: null,
  coverage: 1,
  modelId: 'seed-002',
  modelVersion: '1',
  computedAt: new Date(at).toISOString(),
  segment: 'tech-touch',
  churnRisk: null,
  trend: { change7d: -4, change30d: null, fallingFast: false },
  recent: [
    { day: day(2), score: 34 },
    { day: day(0), score: 30 },
  ],
  flags: { 'usage-drop': { kind: 'risk', since: '2026-04-18T07:00:00.000Z' } },
  clearedFlags: {},
  signals: { activeSeatRatio: 0.4 },
  components: [],
  driversDown: [],
  driversUp: [],
  ...change,
});

/** The score item is also the account's entry in the score-sorted list: its facts read back whatever the entry's fields beside them. */
describe('the score item', () => {
  it.each([
    ['a red score with a flag', score({})],
    ['no score (no signal with data): band unscored in the list, null in the facts', score({ score: null, tier: null, band: null, flags: {} })],
    ['no flags, green', score({ score: 88, tier: 'green', band: 'green', flags: {} })],
  ])('%s: the facts stored are the facts read', (_, stored) => {
    const item = scoreItem(stored, 'listing');
    expect(isScored(item)).toBe(true);
    expect(listingOf(item)).toBe('listing');
    expect(scoreFactsOf(item, 'acme')).toEqual(factsOf({ ...stored, band: stored.band ?? null }));
  });

  it("carries the score order's entry: its gsi2 keys and the list's fields", () => {
    const item = scoreItem(score({}));
    expect(item).toMatchObject({
      pk: 'ACCOUNT#acme',
      sk: 'S#SCORE',
      gsi2pk: expect.stringMatching(/^LIST#score#0#\d+$/),
      gsi2sk: '030.00\u0001acme',
      id: 'acme',
      band: 'red',
      flags: ['usage-drop'],
      risk: true,
      exp: false,
      activeFlags: { 'usage-drop': { kind: 'risk', since: '2026-04-18T07:00:00.000Z' } },
    });
    expect(scoreItem(score({ score: null, band: null }))).toMatchObject({ gsi2pk: expect.stringMatching(/^LIST#score#1#/), gsi2sk: 'acme', band: 'unscored' });
  });

  it('an item holding only the list entry (an account not scored yet) is no score', () => {
    expect(isScored({ pk: 'ACCOUNT#acme', sk: 'S#SCORE', gsi2pk: 'LIST#score#1#3', gsi2sk: 'acme', band: 'unscored', flags: [], nm: 'acme' })).toBe(false);
    expect(isScored(undefined)).toBe(false);
  });

  it('an item written before the entry moved onto it (flags a map, no entry fields) reads the same', () => {
    const stored = score({});
    const { gsi2pk: _p, gsi2sk: _s, id: _id, risk: _r, exp: _e, activeFlags, ...former } = scoreItem(stored);
    expect(scoreFactsOf({ ...former, flags: activeFlags }, 'acme')).toEqual(factsOf(stored));
  });
});
