import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeScore, tierOf, type SignalContribution } from '../../functions/core/score/compute.ts';
import { scoreModelSchema, type Normalise, type ScoreModel, type ScoreModelInput, type SignalValues } from '../../functions/core/score/model.ts';
import { presetModel, presetNames } from '../../functions/core/score/presets/index.ts';

const seed = presetModel('seed-002');

/** Every seed-002 signal at the value that scores 100. */
const allMax: SignalValues = {
  loginDaysPerWeek: 4,
  featureAdoption: 0.7,
  activeSeatRatio: 0.8,
  usageDepth: 4,
  supportQuality: 1,
  trainingCompletion: 1,
  communityParticipation: 1,
  emailEngagement: 0.5,
  nps: 10,
  csat: 5,
  renewalProbability: 1,
  ticketSentiment: 1,
  arr: 50_000,
  usageGrowth: 1.5,
  strategicImportance: 'high',
  paymentStatus: 'current',
};

const signalIds = seed.components.flatMap((c) => c.signals.map((s) => s.signal));
const ruleOf = (model: ScoreModel, signal: string): Normalise => model.components.flatMap((c) => c.signals).find((s) => s.signal === signal)!.normalise;
const componentScore = (r: ReturnType<typeof computeScore>, id: string) => r.components.find((c) => c.id === id)!.score;

describe('presetModel("seed-002")', () => {
  it("is the brief's model: usage 40, engagement 25, sentiment 20, business 15, four signals each", () => {
    expect(presetNames).toContain('seed-002');
    expect(seed.components.map((c) => [c.id, c.weight, c.signals.length])).toEqual([
      ['usage', 40, 4],
      ['engagement', 25, 4],
      ['sentiment', 20, 4],
      ['business', 15, 4],
    ]);
    expect(seed.components.reduce((s, c) => s + c.weight, 0)).toBe(100);
  });

  it('weighs the signals of a component equally (schema default weight 1)', () => {
    expect(new Set(seed.components.flatMap((c) => c.signals.map((s) => s.weight)))).toEqual(new Set([1]));
  });

  it('has tiers green >= 76, yellow >= 50, red >= 0', () => {
    expect(seed.tiers.map((t) => [t.name, t.min])).toEqual([
      ['green', 76],
      ['yellow', 50],
      ['red', 0],
    ]);
  });
});

describe('tierOf(seed-002): green > 75, yellow 50-75, red < 50', () => {
  it.each([
    [100, 'green'],
    [76, 'green'], // lowest green
    [75, 'yellow'], // "green > 75": 75 itself is yellow
    [62, 'yellow'],
    [50, 'yellow'], // lowest yellow
    [49, 'red'], // "red < 50"
    [0, 'red'],
  ])('%s -> %s', (score, tier) => {
    expect(tierOf(seed, score).name).toBe(tier);
  });
});

describe('computeScore(seed-002): worked examples', () => {
  it('every signal at its max scores 100, green, full coverage, nothing pulling it down', () => {
    const r = computeScore(seed, allMax);
    expect(r).toMatchObject({ modelId: 'seed-002', modelVersion: '1', score: 100, tier: 'green', color: '#2e7d32', coverage: 1 });
    expect(r.components.map((c) => [c.id, c.score, c.coverage])).toEqual([
      ['usage', 100, 1],
      ['engagement', 100, 1],
      ['sentiment', 100, 1],
      ['business', 100, 1],
    ]);
    expect(r.driversDown).toEqual([]);
    expect(r.driversUp).toHaveLength(3);
  });

  it('values beyond the max are clamped: still 100, never above', () => {
    const r = computeScore(seed, { ...allMax, loginDaysPerWeek: 7, featureAdoption: 1, nps: 10, arr: 5_000_000, usageGrowth: 9 });
    expect(r.score).toBe(100);
  });

  it('every signal at its min: only the business floor is left, 2, red', () => {
    // usage, engagement, sentiment all 0.
    // business: arr 0 -> 25 (first step), usageGrowth 0.5 -> 0, 'low' -> 30, 'failed' -> 0: (25+0+30+0)/4 = 13.75
    // total = 13.75 * 15/100 = 2.0625 -> 2
    const r = computeScore(seed, {
      loginDaysPerWeek: 0,
      featureAdoption: 0,
      activeSeatRatio: 0,
      usageDepth: 1,
      supportQuality: 0,
      trainingCompletion: 0,
      communityParticipation: 0,
      emailEngagement: 0,
      nps: 0,
      csat: 1,
      renewalProbability: 0,
      ticketSentiment: -1,
      arr: 0,
      usageGrowth: 0.5,
      strategicImportance: 'low',
      paymentStatus: 'failed',
    });
    expect(componentScore(r, 'business')).toBe(13.75);
    expect(r).toMatchObject({ score: 2, tier: 'red', color: '#c62828', coverage: 1 });
  });

  it('only usage signals: coverage 0.4 and the score is the usage component', () => {
    // loginDaysPerWeek 3 -> 3/4 = 75; featureAdoption 0.7 -> 100; activeSeatRatio 0.4 -> 0.4/0.8 = 50; usageDepth 2.5 -> (2.5-1)/3 = 50
    // usage = (75+100+50+50)/4 = 68.75; only usage is scored, so it carries all the weight: round(68.75) = 69, yellow
    // coverage = (40*1 + 25*0 + 20*0 + 15*0)/100 = 0.4
    const r = computeScore(seed, { loginDaysPerWeek: 3, featureAdoption: 0.7, activeSeatRatio: 0.4, usageDepth: 2.5 });
    expect(componentScore(r, 'usage')).toBe(68.75);
    expect(r.components.filter((c) => c.id !== 'usage').map((c) => [c.score, c.coverage])).toEqual([
      [null, 0],
      [null, 0],
      [null, 0],
    ]);
    expect(r).toMatchObject({ score: 69, tier: 'yellow', coverage: 0.4 });
  });

  it('a missing signal re-weights over the rest of its component instead of counting as 0', () => {
    // loginDaysPerWeek 2 -> 50 alone: usage = 50 (not 50/4), coverage = 40 * 0.25 / 100 = 0.1
    const r = computeScore(seed, { loginDaysPerWeek: 2 });
    expect(r).toMatchObject({ score: 50, tier: 'yellow', coverage: 0.1 });
    expect(r.components[0]).toMatchObject({ id: 'usage', score: 50, coverage: 0.25 });
  });

  it('a mixed account, computed by hand: 63, yellow, coverage 0.84', () => {
    // usage (usageDepth missing):
    //   loginDaysPerWeek 2    -> 2/4           = 50
    //   featureAdoption 0.42  -> 0.42/0.7      = 60
    //   activeSeatRatio 0.6   -> 0.6/0.8       = 75
    //   mean (50+60+75)/3 = 61.666.. -> 61.67, coverage 3/4
    // engagement (communityParticipation missing):
    //   supportQuality 0.9    -> 90
    //   trainingCompletion 0.4 -> 0.4/1        = 40
    //   emailEngagement 0.25  -> 0.25/0.5      = 50
    //   mean (90+40+50)/3 = 60, coverage 3/4
    // sentiment:
    //   nps 8 -> 80; csat 4 -> (4-1)/4 = 75; renewalProbability 0.9 -> 90; ticketSentiment 0 -> (0+1)/2 = 50
    //   mean (80+75+90+50)/4 = 73.75
    // business:
    //   arr 12,000 -> 75 (>= 10k step); usageGrowth 1.1 -> (1.1-0.5)/1 = 60; 'medium' -> 65; 'late' -> 40
    //   mean (75+60+65+40)/4 = 60
    // total = (61.67*40 + 60*25 + 73.75*20 + 60*15)/100 = (2466.8 + 1500 + 1475 + 900)/100 = 63.418 -> 63, yellow
    // coverage = (40*0.75 + 25*0.75 + 20*1 + 15*1)/100 = 0.8375 -> 0.84
    const r = computeScore(seed, {
      loginDaysPerWeek: 2,
      featureAdoption: 0.42,
      activeSeatRatio: 0.6,
      supportQuality: 0.9,
      trainingCompletion: 0.4,
      emailEngagement: 0.25,
      nps: 8,
      csat: 4,
      renewalProbability: 0.9,
      ticketSentiment: 0,
      arr: 12_000,
      usageGrowth: 1.1,
      strategicImportance: 'medium',
      paymentStatus: 'late',
    });
    expect(r.components.map((c) => [c.id, c.score, c.coverage])).toEqual([
      ['usage', 61.67, 0.75],
      ['engagement', 60, 0.75],
      ['sentiment', 73.75, 1],
      ['business', 60, 1],
    ]);
    expect(r).toMatchObject({ score: 63, tier: 'yellow', color: '#f9a825', coverage: 0.84 });

    // Each signal's share of the total: component weight / 100 * 1 / (present signals of the component).
    //   usage 0.4/3, engagement 0.25/3, sentiment 0.2/4 = 0.05, business 0.15/4 = 0.0375
    // pointsLost = (100 - score) * share:
    //   loginDaysPerWeek 50*0.1333 = 6.67, featureAdoption 40*0.1333 = 5.33, trainingCompletion 60*0.0833 = 5,
    //   then emailEngagement 4.17, activeSeatRatio 3.33, ...
    expect(r.driversDown.map((d) => [d.signal, d.pointsLost])).toEqual([
      ['loginDaysPerWeek', 6.67],
      ['featureAdoption', 5.33],
      ['trainingCompletion', 5],
    ]);
    // points = score * share: activeSeatRatio 75*0.1333 = 10, featureAdoption 60*0.1333 = 8 (named among the costs
    // already, so not again), supportQuality 90*0.0833 = 7.5, renewalProbability 90*0.05 = 4.5
    expect(r.driversUp.map((d) => [d.signal, d.points])).toEqual([
      ['activeSeatRatio', 10],
      ['supportQuality', 7.5],
      ['renewalProbability', 4.5],
    ]);
    expect(r.driversDown[0]!.text).toBe('active users logged in 2 days a week over the last 2 weeks');
    expect(r.driversDown[1]!.text).toBe("42% of the product's features used in the last 30 days");
    const business = r.components.find((c) => c.id === 'business')!;
    expect(business.signals.map((s) => [s.signal, s.score, s.points])).toEqual([
      ['arr', 75, 2.81], // 75 * 0.0375 = 2.8125
      ['usageGrowth', 60, 2.25],
      ['strategicImportance', 65, 2.44], // 2.4375
      ['paymentStatus', 40, 1.5],
    ]);
    expect(business.signals[0]!.text).toBe('ARR $12,000');
  });

  // Only nps present: the score is nps * 10, so these land exactly on the tier boundaries.
  it.each([
    [10, 100, 'green'],
    [7.6, 76, 'green'],
    [7.5, 75, 'yellow'],
    [5, 50, 'yellow'],
    [4.9, 49, 'red'],
    [0, 0, 'red'],
  ])('boundary: nps %s alone -> %s, %s', (nps, score, tier) => {
    const r = computeScore(seed, { nps });
    expect(r.score).toBe(score);
    expect(r.tier).toBe(tier);
    expect(r.coverage).toBe(0.05); // 20 * 1/4 / 100
  });

  it.each<[string, SignalValues]>([
    ['no values at all', {}],
    ['only signals the model does not know', { daysSinceLastActivity: 3, somethingElse: 1 }],
    [
      'only values that do not fit their rule',
      { nps: Number.NaN, csat: Number.POSITIVE_INFINITY, paymentStatus: 'bogus', strategicImportance: 'constructor', arr: 'lots' },
    ],
    ['only undefined values', { nps: undefined, arr: undefined }],
  ])('%s: score null, no tier, coverage 0', (_name, values) => {
    const r = computeScore(seed, values);
    expect(r).toMatchObject({ score: null, tier: null, color: null, coverage: 0, driversDown: [], driversUp: [] });
    expect(r.components.every((c) => c.score === null && c.coverage === 0 && c.signals.length === 0)).toBe(true);
  });

  it('a value that does not fit its rule counts as missing, not as 0', () => {
    // paymentStatus 'bogus' is dropped; business = 'high' -> 100 alone
    const r = computeScore(seed, { strategicImportance: 'high', paymentStatus: 'bogus' });
    expect(r).toMatchObject({ score: 100, coverage: 0.04 }); // 15 * 1/4 / 100 = 0.0375 -> 0.04
    expect(r.components[3]!.signals.map((s) => s.signal)).toEqual(['strategicImportance']);
  });

  it('is pure: the same input gives the same result and the input is not changed', () => {
    const values = Object.freeze({ ...allMax, nps: 6, arr: 3_000 });
    expect(computeScore(seed, values)).toEqual(computeScore(seed, values));
    expect(values).toEqual({ ...allMax, nps: 6, arr: 3_000 });
  });
});

/** A custom model with inverse signals and unequal signal weights. */
const inverseModelInput: ScoreModelInput = {
  id: 'custom-inverse',
  version: '3',
  components: [
    {
      id: 'usage',
      label: 'Usage',
      weight: 60,
      signals: [
        { signal: 'loginDaysPerWeek', normalise: { kind: 'linear', min: 0, max: 5 } },
        { signal: 'daysSinceLastActivity', weight: 2, normalise: { kind: 'inverse', min: 0, max: 30 } },
      ],
    },
    {
      id: 'support',
      label: 'Support',
      weight: 40,
      signals: [
        { signal: 'openTickets', weight: 3, normalise: { kind: 'inverse', min: 0, max: 10 } },
        { signal: 'csat', normalise: { kind: 'linear', min: 1, max: 5 } },
      ],
    },
  ],
  tiers: [
    { name: 'healthy', min: 70, color: '#00aa00' },
    { name: 'at-risk', min: 40, color: '#ffaa00' },
    { name: 'critical', min: 0, color: '#aa0000' },
  ],
};
const inverseModel = scoreModelSchema.parse(inverseModelInput);

describe('computeScore: a custom model with inverse signals and signal weights', () => {
  it('computes a weighted example by hand: 67, at-risk', () => {
    // usage: loginDaysPerWeek 2.5 -> 50 (w1); daysSinceLastActivity 6 -> (30-6)/30 = 80 (w2): (50 + 160)/3 = 70
    // support: openTickets 5 -> (10-5)/10 = 50 (w3); csat 5 -> 100 (w1): (150 + 100)/4 = 62.5
    // total = (70*60 + 62.5*40)/100 = 42 + 25 = 67 -> at-risk (40..69)
    const r = computeScore(inverseModel, { loginDaysPerWeek: 2.5, daysSinceLastActivity: 6, openTickets: 5, csat: 5 });
    expect(r.components.map((c) => c.score)).toEqual([70, 62.5]);
    expect(r).toMatchObject({ modelId: 'custom-inverse', modelVersion: '3', score: 67, tier: 'at-risk', color: '#ffaa00', coverage: 1 });
    // openTickets share = 0.4 * 3/4 = 0.3; pointsLost = 50 * 0.3 = 15, the biggest drag
    expect(r.driversDown[0]).toMatchObject({ signal: 'openTickets', pointsLost: 15, text: 'openTickets 5' });
  });

  it('missing signal weight re-weights by signal weight: coverage counts weights, not signals', () => {
    // only openTickets (weight 3 of 4 in support): coverage = 40 * 0.75 / 100 = 0.3
    const r = computeScore(inverseModel, { openTickets: 0 });
    expect(r).toMatchObject({ score: 100, tier: 'healthy', coverage: 0.3 });
  });
});

describe('scoreModelSchema', () => {
  const valid = (): ScoreModelInput => structuredClone(inverseModelInput);
  const issuesOf = (input: unknown) => {
    const r = scoreModelSchema.safeParse(input);
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => ({ path: i.path, message: i.message }));
  };

  it('accepts the presets and the custom model, defaulting signal weight to 1', () => {
    expect(scoreModelSchema.safeParse(valid()).success).toBe(true);
    expect(inverseModel.components[0]!.signals[0]!.weight).toBe(1);
    expect(inverseModel.components[0]!.signals[1]!.weight).toBe(2);
  });

  it('rejects a model with no tier starting at 0, at path tiers', () => {
    const m = valid();
    m.tiers = [
      { name: 'healthy', min: 70, color: '#00aa00' },
      { name: 'critical', min: 10, color: '#aa0000' },
    ];
    expect(issuesOf(m)).toEqual([{ path: ['tiers'], message: 'one tier must start at 0 so every score has a tier' }]);
  });

  it('rejects duplicate component ids, at path components[i].id of the second one', () => {
    const m = valid();
    m.components[1]!.id = 'usage';
    expect(issuesOf(m)).toEqual([{ path: ['components', 1, 'id'], message: 'duplicate component "usage"' }]);
  });

  it.each<[string, (m: ScoreModelInput) => void, PropertyKey[]]>([
    [
      'a non-positive target',
      (m) => (m.components[0]!.signals[0]!.normalise = { kind: 'target', target: 0 }),
      ['components', 0, 'signals', 0, 'normalise', 'target'],
    ],
    ['a bad tier colour', (m) => (m.tiers[0]!.color = 'green'), ['tiers', 0, 'color']],
    ['a fractional tier min', (m) => (m.tiers[1]!.min = 40.5), ['tiers', 1, 'min']],
    ['a tier min above 100', (m) => (m.tiers[0]!.min = 101), ['tiers', 0, 'min']],
    ['a component without signals', (m) => (m.components[1]!.signals = []), ['components', 1, 'signals']],
    ['a zero component weight', (m) => (m.components[0]!.weight = 0), ['components', 0, 'weight']],
    [
      'a categorical score above 100',
      (m) => (m.components[1]!.signals[1]!.normalise = { kind: 'categorical', scores: { a: 120 } }),
      ['components', 1, 'signals', 1, 'normalise', 'scores', 'a'],
    ],
    [
      'an unknown normalise kind',
      (m) => (m.components[0]!.signals[0]!.normalise = { kind: 'log' } as never),
      ['components', 0, 'signals', 0, 'normalise', 'kind'],
    ],
  ])('rejects %s with the path of the field', (_name, mutate, path) => {
    const m = valid();
    mutate(m);
    expect(issuesOf(m).map((i) => i.path)).toContainEqual(path);
  });

  it('rejects fewer than 2 or more than 4 tiers', () => {
    const one = valid();
    one.tiers = [{ name: 'all', min: 0, color: '#000000' }];
    expect(issuesOf(one).map((i) => i.path)).toContainEqual(['tiers']);
    const five = valid();
    five.tiers = [0, 20, 40, 60, 80].map((min) => ({ name: `t${min}`, min, color: '#000000' }));
    expect(issuesOf(five).map((i) => i.path)).toContainEqual(['tiers']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** A raw value that fits the rule, spread around (and past) its interesting range. */
function validValue(rule: Normalise): fc.Arbitrary<number | string> {
  switch (rule.kind) {
    case 'linear':
    case 'inverse': {
      const span = Math.abs(rule.max - rule.min) || 1;
      return fc.double({ min: Math.min(rule.min, rule.max) - span, max: Math.max(rule.min, rule.max) + span, noNaN: true });
    }
    case 'target':
      return fc.double({ min: -0.5 * rule.target, max: 2 * rule.target, noNaN: true });
    case 'points':
      return fc.oneof(fc.double({ min: -1_000, max: 200_000, noNaN: true }), fc.constantFrom(...rule.steps.map((s) => s.atLeast)));
    case 'categorical':
      return fc.constantFrom(...Object.keys(rule.scores));
  }
}

/** Valid values for any subset of a model's signals (each key may be absent). */
function validValues(model: ScoreModel): fc.Arbitrary<Record<string, number | string>> {
  const specs = model.components.flatMap((c) => c.signals);
  return fc.record(Object.fromEntries(specs.map((s) => [s.signal, validValue(s.normalise)])), { requiredKeys: [] }) as fc.Arbitrary<
    Record<string, number | string>
  >;
}

/** Anything at all: out-of-range numbers, NaN, infinities, -0, unknown strings, prototype names. */
const anyValue: fc.Arbitrary<number | string | undefined> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.constantFrom('low', 'medium', 'high', 'current', 'late', 'failed', 'constructor', 'toString', '__proto__', 'valueOf'),
  fc.constant(undefined),
);
const anyValues = fc.record(Object.fromEntries(signalIds.map((id) => [id, anyValue])), { requiredKeys: [] }) as fc.Arbitrary<
  Record<string, number | string | undefined>
>;

const positiveNumeric = seed.components
  .flatMap((c) => c.signals)
  .filter((s) => s.normalise.kind === 'linear' || s.normalise.kind === 'target' || s.normalise.kind === 'points');

describe('computeScore: properties', () => {
  it('any signal values give a whole score in 0..100 (or null), coverage in 0..1, and a tier exactly when scored', () => {
    fc.assert(
      fc.property(anyValues, (values) => {
        const r = computeScore(seed, values);
        expect(r.coverage).toBeGreaterThanOrEqual(0);
        expect(r.coverage).toBeLessThanOrEqual(1);
        if (r.score === null) {
          expect(r.tier).toBeNull();
          expect(r.coverage).toBe(0);
        } else {
          expect(Number.isInteger(r.score)).toBe(true);
          expect(r.score).toBeGreaterThanOrEqual(0);
          expect(r.score).toBeLessThanOrEqual(100);
          expect(r.tier).toBe(tierOf(seed, r.score).name);
          expect(r.coverage).toBeGreaterThan(0);
        }
        // A signal is named once: never both a cost and a gain.
        const down = new Set(r.driversDown.map((d) => d.signal));
        expect(r.driversUp.filter((d) => down.has(d.signal))).toEqual([]);
        for (const c of r.components) {
          if (c.score !== null) {
            expect(c.score).toBeGreaterThanOrEqual(0);
            expect(c.score).toBeLessThanOrEqual(100);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  /** One signal of the model, a valid starting value for it, and a non-negative step of its scale. */
  const signalAndStep = (model: ScoreModel, kinds: Normalise['kind'][]) =>
    fc.constantFrom(...model.components.flatMap((c) => c.signals).filter((s) => kinds.includes(s.normalise.kind))).chain((spec) => {
      const rule = spec.normalise;
      const scale = rule.kind === 'target' ? rule.target : rule.kind === 'linear' || rule.kind === 'inverse' ? Math.abs(rule.max - rule.min) || 1 : 60_000;
      return fc.tuple(
        fc.constant(spec.signal),
        validValue(spec.normalise) as fc.Arbitrary<number>,
        fc.oneof(fc.double({ min: 0, max: scale, noNaN: true }), fc.double({ min: 0, max: 100 * scale, noNaN: true })),
      );
    });

  it('raising a positive (linear / target / points) signal never lowers the score', () => {
    expect(positiveNumeric.length).toBe(14); // every seed-002 signal but the two categorical ones
    fc.assert(
      fc.property(validValues(seed), signalAndStep(seed, ['linear', 'target', 'points']), (values, [signal, base, delta]) => {
        const low = computeScore(seed, { ...values, [signal]: base });
        const high = computeScore(seed, { ...values, [signal]: base + delta });
        expect(high.score!).toBeGreaterThanOrEqual(low.score!);
      }),
      { numRuns: 500 },
    );
  });

  it('raising an inverse signal never raises the score', () => {
    fc.assert(
      fc.property(validValues(inverseModel), signalAndStep(inverseModel, ['inverse']), (values, [signal, base, delta]) => {
        const low = computeScore(inverseModel, { ...values, [signal]: base });
        const high = computeScore(inverseModel, { ...values, [signal]: base + delta });
        expect(high.score!).toBeLessThanOrEqual(low.score!);
      }),
      { numRuns: 500 },
    );
  });

  it('removing a present signal strictly lowers coverage (the rest re-weight, the score stays valid)', () => {
    const withPresent = validValues(seed).filter((v) => Object.keys(v).length > 0);
    fc.assert(
      fc.property(withPresent, fc.nat(), (values, pick) => {
        const keys = Object.keys(values);
        const removed = keys[pick % keys.length]!;
        const { [removed]: _gone, ...rest } = values;
        const before = computeScore(seed, values);
        const after = computeScore(seed, rest);
        expect(after.coverage).toBeLessThan(before.coverage);
        if (keys.length === 1) expect(after.score).toBeNull();
        else expect(after.score).toEqual(expect.any(Number));
      }),
      { numRuns: 500 },
    );
  });

  it('coverage is 1 exactly when every signal has a valid value', () => {
    fc.assert(
      fc.property(fc.record(Object.fromEntries(signalIds.map((id) => [id, validValue(ruleOf(seed, id))]))), (values) => {
        expect(computeScore(seed, values).coverage).toBe(1);
      }),
    );
  });

  const sortedDesc = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1]! >= x);

  it('reasons: at most 3 drivers each way, sorted, the biggest ones, each with a non-empty text', () => {
    fc.assert(
      fc.property(validValues(seed), (values) => {
        const r = computeScore(seed, values);
        const all: SignalContribution[] = r.components.flatMap((c) => c.signals);
        expect(r.driversDown.length).toBeLessThanOrEqual(3);
        expect(r.driversUp.length).toBeLessThanOrEqual(3);
        expect(sortedDesc(r.driversDown.map((d) => d.pointsLost))).toBe(true);
        expect(sortedDesc(r.driversUp.map((d) => d.points))).toBe(true);
        for (const d of [...r.driversDown, ...r.driversUp]) {
          expect(d.text.trim().length).toBeGreaterThan(0);
          expect(d.text).not.toMatch(/undefined|NaN/);
          expect(all).toContain(d);
        }
        for (const d of r.driversDown) expect(d.pointsLost).toBeGreaterThan(0);
        for (const d of r.driversUp) expect(d.points).toBeGreaterThan(0);
        // Nothing left out costs more than the smallest driver shown.
        const lossy = all.filter((s) => s.pointsLost > 0);
        expect(r.driversDown).toHaveLength(Math.min(3, lossy.length));
        const floor = r.driversDown.at(-1)?.pointsLost ?? Infinity;
        for (const s of lossy) if (!r.driversDown.includes(s)) expect(s.pointsLost).toBeLessThanOrEqual(floor);
      }),
      { numRuns: 500 },
    );
  });

  it('signal points add up to the score (up to rounding), and points + pointsLost to 100', () => {
    fc.assert(
      fc.property(validValues(seed), (values) => {
        const r = computeScore(seed, values);
        if (r.score === null) return;
        const all = r.components.flatMap((c) => c.signals);
        const points = all.reduce((s, x) => s + x.points, 0);
        const lost = all.reduce((s, x) => s + x.pointsLost, 0);
        // Math.round moves the score by up to 0.5; each points/score rounds to 0.01 (16 signals).
        expect(Math.abs(points - r.score)).toBeLessThanOrEqual(0.5 + 0.2);
        expect(Math.abs(points + lost - 100)).toBeLessThanOrEqual(0.2);
      }),
      { numRuns: 500 },
    );
  });
});

describe('reasons that moved over a week', () => {
  it('say what the value was a week ago, when its score moved 5 points or more', () => {
    const model = presetModel('seed-002');
    const now = { activeSeatRatio: 0.36, featureAdoption: 0.5 };
    const r = computeScore(model, now, { activeSeatRatio: 0.84, featureAdoption: 0.51 });
    const texts = Object.fromEntries(r.components.flatMap((c) => c.signals).map((x) => [x.signal, x.text]));
    expect(texts.activeSeatRatio).toBe('36% of licensed seats active in the last 30 days (84% a week ago)');
    // 0.51 -> 0.5 is 1.4 points on the target scale: not worth saying.
    expect(texts.featureAdoption).toBe("50% of the product's features used in the last 30 days");
    expect(
      computeScore(model, now)
        .components.flatMap((c) => c.signals)
        .every((x) => !x.text.includes('week ago')),
    ).toBe(true);
  });
});
