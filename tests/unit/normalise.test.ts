import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Normalise, SignalValue } from '../../functions/core/score/model.ts';
import { normalise } from '../../functions/core/score/normalise.ts';

// Each row: raw value -> expected 0..100, worked out by hand from the rule's formula.
type Row = [value: SignalValue, expected: number];

describe('normalise: linear (min scores 0, max scores 100, clamped)', () => {
  const rule: Normalise = { kind: 'linear', min: 0, max: 4 }; // seed-002 loginDaysPerWeek
  it.each<Row>([
    [0, 0], // (0-0)/4 = 0
    [1, 25], // 1/4 = 0.25
    [2, 50], // 2/4 = 0.5
    [3, 75],
    [4, 100], // at max
    [5, 100], // 125 clamped to 100
    [-1, 0], // -25 clamped to 0
  ])('min 0 max 4: %s -> %s', (value, expected) => {
    expect(normalise(rule, value)).toBeCloseTo(expected, 9);
  });

  it.each<Row>([
    [1, 0], // at min
    [2.5, 50], // (2.5-1)/(4-1) = 0.5
    [3.25, 75], // 2.25/3 = 0.75
    [0, 0], // below min: -33.3 clamped
  ])('min 1 max 4 (usageDepth): %s -> %s', (value, expected) => {
    expect(normalise({ kind: 'linear', min: 1, max: 4 }, value)).toBeCloseTo(expected, 9);
  });

  it.each<Row>([
    [-1, 0], // ticketSentiment -1..1: (-1+1)/2 = 0
    [0, 50], // (0+1)/2 = 0.5
    [0.5, 75], // 1.5/2
    [1, 100],
  ])('min -1 max 1 (negative range): %s -> %s', (value, expected) => {
    expect(normalise({ kind: 'linear', min: -1, max: 1 }, value)).toBeCloseTo(expected, 9);
  });

  it.each<Row>([
    [3, 100], // reaching the single point scores 100
    [4, 100],
    [2.9, 0], // below it scores 0
  ])('degenerate min = max = 3 is a threshold: %s -> %s', (value, expected) => {
    expect(normalise({ kind: 'linear', min: 3, max: 3 }, value)).toBe(expected);
  });
});

describe('normalise: inverse (min scores 100, max scores 0, clamped)', () => {
  const rule: Normalise = { kind: 'inverse', min: 0, max: 30 }; // e.g. days since last activity
  it.each<Row>([
    [0, 100], // (30-0)/30 = 1
    [6, 80], // 24/30 = 0.8
    [15, 50], // 15/30
    [30, 0], // at max
    [45, 0], // -50 clamped to 0
    [-5, 100], // 116.7 clamped to 100
  ])('min 0 max 30: %s -> %s', (value, expected) => {
    expect(normalise(rule, value)).toBeCloseTo(expected, 9);
  });

  it.each<Row>([
    [5, 100], // at or below the point scores 100
    [4, 100],
    [6, 0], // above it scores 0
  ])('degenerate min = max = 5 is a ceiling: %s -> %s', (value, expected) => {
    expect(normalise({ kind: 'inverse', min: 5, max: 5 }, value)).toBe(expected);
  });
});

describe('normalise: target (value / target, capped)', () => {
  it.each<[target: number, value: number, expected: number]>([
    [0.7, 0, 0],
    [0.7, 0.35, 50], // 0.35/0.7 = 0.5
    [0.7, 0.56, 80], // 0.56/0.7 = 0.8
    [0.7, 0.7, 100], // at target
    [0.7, 1, 100], // 142.9 capped to 100
    [0.7, -0.1, 0], // negative clamped to 0
    [0.8, 0.4, 50], // activeSeatRatio 0.4 of an 0.8 goal
    [0.5, 0.25, 50], // emailEngagement
    [1, 0.3, 30],
  ])('target %s: %s -> %s', (target, value, expected) => {
    expect(normalise({ kind: 'target', target }, value)).toBeCloseTo(expected, 9);
  });
});

describe('normalise: points (score of the highest step reached)', () => {
  // seed-002 arr steps: 0 -> 25, 1k -> 50, 10k -> 75, 50k -> 100
  const arr: Normalise = {
    kind: 'points',
    steps: [
      { atLeast: 0, score: 25 },
      { atLeast: 1_000, score: 50 },
      { atLeast: 10_000, score: 75 },
      { atLeast: 50_000, score: 100 },
    ],
  };
  it.each<Row>([
    [-1, 0], // below every step: 0
    [0, 25], // exactly on the first step
    [999, 25],
    [1_000, 50], // steps are inclusive
    [9_999.99, 50],
    [10_000, 75],
    [49_999, 75],
    [50_000, 100],
    [1e9, 100], // beyond the last step keeps the last score
  ])('arr %s -> %s', (value, expected) => {
    expect(normalise(arr, value)).toBe(expected);
  });

  // Steps given out of order: the highest `atLeast` reached wins, not the last one listed.
  const unsorted: Normalise = {
    kind: 'points',
    steps: [
      { atLeast: 10, score: 80 },
      { atLeast: 0, score: 10 },
      { atLeast: 5, score: 40 },
    ],
  };
  it.each<Row>([
    [-1, 0],
    [0, 10],
    [7, 40],
    [10, 80],
    [11, 80],
  ])('unsorted steps: %s -> %s', (value, expected) => {
    expect(normalise(unsorted, value)).toBe(expected);
  });
});

describe('normalise: categorical (a score per named value)', () => {
  const payment: Normalise = { kind: 'categorical', scores: { current: 100, late: 40, failed: 0 } };
  it.each<[SignalValue, number | undefined]>([
    ['current', 100],
    ['late', 40],
    ['failed', 0], // 0 is a real score, not "missing"
    ['unknown', undefined],
    ['Current', undefined], // names are case-sensitive
    ['', undefined],
    [1, undefined], // numbers do not fit a categorical rule
    // Inherited Object.prototype members are not categories (these used to return functions/objects).
    ['constructor', undefined],
    ['toString', undefined],
    ['__proto__', undefined],
    ['hasOwnProperty', undefined],
  ])('%j -> %s', (value, expected) => {
    expect(normalise(payment, value)).toBe(expected);
  });
});

describe('normalise: values that do not fit a numeric rule are undefined (treated as missing)', () => {
  const numericRules: [string, Normalise][] = [
    ['linear', { kind: 'linear', min: 0, max: 4 }],
    ['inverse', { kind: 'inverse', min: 0, max: 30 }],
    ['target', { kind: 'target', target: 0.7 }],
    ['points', { kind: 'points', steps: [{ atLeast: 0, score: 25 }] }],
  ];
  const invalid: SignalValue[] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'high', '3', ''];
  it.each(numericRules.flatMap(([kind, rule]) => invalid.map((value) => ({ kind, rule, value }))))('$kind rejects $value', ({ rule, value }) => {
    expect(normalise(rule, value)).toBeUndefined();
  });
});

describe('normalise: properties', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
  const numericRule: fc.Arbitrary<Normalise> = fc.oneof(
    fc.tuple(finite, finite).map(([min, max]): Normalise => ({ kind: 'linear', min, max })),
    fc.tuple(finite, finite).map(([min, max]): Normalise => ({ kind: 'inverse', min, max })),
    fc.double({ min: 1e-6, max: 1e6, noNaN: true }).map((target): Normalise => ({ kind: 'target', target })),
    fc
      .array(fc.record({ atLeast: finite, score: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 6 })
      .map((steps): Normalise => ({ kind: 'points', steps })),
  );

  it('every finite value of every numeric rule lands in 0..100', () => {
    fc.assert(
      fc.property(numericRule, finite, (rule, value) => {
        const s = normalise(rule, value);
        expect(s).toBeTypeOf('number');
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('linear is non-decreasing and inverse non-increasing in the value', () => {
    fc.assert(
      fc.property(finite, fc.double({ min: 1e-6, max: 1e6, noNaN: true }), finite, finite, (min, span, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const max = min + span;
        expect(normalise({ kind: 'linear', min, max }, hi)!).toBeGreaterThanOrEqual(normalise({ kind: 'linear', min, max }, lo)!);
        expect(normalise({ kind: 'inverse', min, max }, hi)!).toBeLessThanOrEqual(normalise({ kind: 'inverse', min, max }, lo)!);
      }),
    );
  });

  it('categorical returns only its own listed scores, for any string', () => {
    const scores = { current: 100, late: 40, failed: 0 };
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('constructor', 'toString', '__proto__', 'valueOf', 'current', 'late')), (value) => {
        const s = normalise({ kind: 'categorical', scores }, value);
        if (Object.hasOwn(scores, value)) expect(s).toBe(scores[value as keyof typeof scores]);
        else expect(s).toBeUndefined();
      }),
    );
  });
});
