import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeScore } from '../../functions/core/score/compute.ts';
import { scoreModelSchema, type ScoreModel, type SignalValues } from '../../functions/core/score/model.ts';
import { presetModel, presetNames } from '../../functions/core/score/presets/index.ts';
import * as reference from './support/compute-reference.ts';

// Few names, so signals repeat within and across components (the points' weight lookup by name).
const signalNames = ['a', 'b', 'c', 'd', 'e'];
const weight = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.01, max: 5, noNaN: true }));
const normalise = fc.oneof(
  fc.record({ kind: fc.constant('linear' as const), min: fc.integer({ min: -5, max: 5 }), max: fc.integer({ min: -5, max: 10 }) }),
  fc.record({ kind: fc.constant('inverse' as const), min: fc.integer({ min: -5, max: 5 }), max: fc.integer({ min: -5, max: 10 }) }),
  fc.record({ kind: fc.constant('target' as const), target: fc.double({ min: 0.1, max: 10, noNaN: true }) }),
  fc.record({
    kind: fc.constant('points' as const),
    steps: fc.array(fc.record({ atLeast: fc.integer({ min: -3, max: 8 }), score: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('categorical' as const), scores: fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.integer({ min: 0, max: 100 })) }),
);
const model: fc.Arbitrary<ScoreModel> = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom('usage', 'support', 'value', 'risk'),
      label: fc.constant('L'),
      weight,
      signals: fc.array(fc.record({ signal: fc.constantFrom(...signalNames), weight, normalise }), { minLength: 1, maxLength: 4 }),
    }),
    { selector: (c) => c.id, minLength: 1, maxLength: 4 },
  )
  .map((components) =>
    scoreModelSchema.parse({
      id: 'm',
      version: '1',
      components,
      tiers: [
        { name: 'good', min: 70, color: '#00aa00' },
        { name: 'mid', min: 40, color: '#aaaa00' },
        { name: 'bad', min: 0, color: '#aa0000' },
      ],
    }),
  );
const value = fc.oneof(fc.double({ min: -10, max: 20 }), fc.integer({ min: -10, max: 20 }), fc.constantFrom('x', 'y', 'z', 'w'), fc.constant(undefined));
const values: fc.Arbitrary<SignalValues> = fc.record(Object.fromEntries(signalNames.map((n) => [n, value])) as Record<string, typeof value>, {
  requiredKeys: [],
});

/** Same result, and the same keys in the same order (the stored item's JSON). */
function same(m: ScoreModel, now: SignalValues, before: SignalValues | undefined, explain: boolean | undefined) {
  const options = explain === undefined ? undefined : { explain };
  const got = computeScore(m, now, before, options);
  const want = reference.computeScore(m, now, before, options);
  expect(got).toEqual(want);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
}

describe('computeScore = the map/filter/sort version it replaced', () => {
  it('on generated models and values, with and without a week before and reason text', () => {
    fc.assert(fc.property(model, values, fc.option(values, { nil: undefined }), fc.option(fc.boolean(), { nil: undefined }), same), { numRuns: 1000 });
  });

  it('on the preset models, with the signals they read', () => {
    const presetValue = fc.oneof(fc.double({ min: -1, max: 100, noNaN: true }), fc.constantFrom('current', 'late', 'failed', 'high', 'low'));
    const presetSignals = [...new Set(presetNames.flatMap((n) => presetModel(n).components.flatMap((c) => c.signals.map((s) => s.signal))))];
    const presetValues: fc.Arbitrary<SignalValues> = fc.record(
      Object.fromEntries(presetSignals.map((n) => [n, presetValue])) as Record<string, typeof presetValue>,
      {
        requiredKeys: [],
      },
    );
    fc.assert(
      fc.property(fc.constantFrom(...presetNames), presetValues, fc.option(presetValues, { nil: undefined }), fc.boolean(), (name, now, before, explain) =>
        same(presetModel(name), now, before, explain),
      ),
      { numRuns: 1000 },
    );
  });
});
