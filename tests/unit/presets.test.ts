import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeScore, tierOf, type ScoreResult } from '../../functions/core/score/compute.ts';
import { scoreModelSchema, type ScoreModel, type SignalValue, type SignalValues } from '../../functions/core/score/model.ts';
import { modelResolver, presetModel, presetNames, type PresetName } from '../../functions/core/score/presets/index.ts';

// The five health-score models of the domain brief (§1), written out from the brief itself.
// Labels are the brief's words (compared case-insensitively); signal ids are Tend's names for
// the brief's items, listed so the hand-computed examples below stay tied to the model.
interface ExpectedComponent {
  id: string;
  label: string;
  weight: number;
  signals: string[];
}
interface ExpectedModel {
  components: ExpectedComponent[];
  tiers: [string, number][];
}

const brief: Record<PresetName, ExpectedModel> = {
  // engagement 40, product usage 30, relationship 20, outcomes 10; healthy 80-100, at risk 60-79, critical 0-59.
  'seed-000': {
    components: [
      { id: 'engagement', label: 'engagement', weight: 40, signals: ['loginDaysPerWeek', 'activeSeatRatio', 'featureAdoption'] },
      { id: 'product-usage', label: 'product usage', weight: 30, signals: ['coreFeatureUsage', 'advancedFeatureAdoption', 'integrationsConfigured'] },
      // "NPS/CSAT" is one item of three, so nps and csat share one item's weight.
      { id: 'relationship', label: 'relationship', weight: 20, signals: ['nps', 'csat', 'outreachResponse', 'executiveSponsor'] },
      { id: 'outcomes', label: 'outcomes', weight: 10, signals: ['roiRealized', 'goalsMet', 'useCaseExpansion'] },
    ],
    tiers: [
      ['healthy', 80],
      ['at-risk', 60],
      ['critical', 0],
    ],
  },
  // product adoption 30, engagement 25, value realization 25, relationship 20; green 80-100, yellow 60-79, red < 60.
  'seed-001': {
    components: [
      { id: 'product-adoption', label: 'product adoption', weight: 30, signals: ['activeSeatRatio', 'featureAdoption', 'loginDaysPerWeek', 'apiUsageTrend'] },
      { id: 'engagement', label: 'engagement', weight: 25, signals: ['outreachResponse', 'qbrAttendance', 'trainingCompletion', 'ticketSentiment'] },
      { id: 'value-realization', label: 'value realization', weight: 25, signals: ['goalsMet', 'roiRealized', 'integrationCompleteness'] },
      { id: 'relationship', label: 'relationship', weight: 20, signals: ['executiveSponsor', 'stakeholders', 'advocate', 'renewalConfidence'] },
    ],
    tiers: [
      ['green', 80],
      ['yellow', 60],
      ['red', 0],
    ],
  },
  // usage 40, engagement 25, sentiment 20, business 15; green > 75, yellow 50-75, red < 50 (covered in depth by score.test.ts).
  'seed-002': {
    components: [
      { id: 'usage', label: 'usage', weight: 40, signals: ['loginDaysPerWeek', 'featureAdoption', 'activeSeatRatio', 'usageDepth'] },
      { id: 'engagement', label: 'engagement', weight: 25, signals: ['supportQuality', 'trainingCompletion', 'communityParticipation', 'emailEngagement'] },
      { id: 'sentiment', label: 'sentiment', weight: 20, signals: ['nps', 'csat', 'renewalProbability', 'ticketSentiment'] },
      { id: 'business', label: 'business', weight: 15, signals: ['arr', 'usageGrowth', 'strategicImportance', 'paymentStatus'] },
    ],
    tiers: [
      ['green', 76],
      ['yellow', 50],
      ['red', 0],
    ],
  },
  // usage 40, engagement 30, business 30; green 80-100, yellow 50-79, red 0-49.
  'seed-003': {
    components: [
      { id: 'usage', label: 'usage', weight: 40, signals: ['loginDaysPerWeek', 'featureAdoption', 'usageDepth', 'daysSinceLastActivity'] },
      { id: 'engagement', label: 'engagement', weight: 30, signals: ['outreachResponse', 'trainingCompletion', 'featureRequests', 'communityParticipation'] },
      { id: 'business', label: 'business', weight: 30, signals: ['roiRealized', 'usageGrowth', 'daysToRenewal', 'paymentStatus'] },
    ],
    tiers: [
      ['green', 80],
      ['yellow', 50],
      ['red', 0],
    ],
  },
  // usage 40, engagement 30, sentiment 30 points; healthy 90-100, stable 70-89, at risk 50-69, critical < 50.
  'seed-004': {
    components: [
      { id: 'usage', label: 'usage', weight: 40, signals: ['weeklyActiveSeatRatio', 'sessionsPerUserWeek', 'minutesPerUserWeek'] },
      { id: 'engagement', label: 'engagement', weight: 30, signals: ['featureAdoption', 'ticketsLast30Days', 'trainingCompletion'] },
      { id: 'sentiment', label: 'sentiment', weight: 30, signals: ['nps', 'csat', 'outreachResponse'] },
    ],
    tiers: [
      ['healthy', 90],
      ['stable', 70],
      ['at-risk', 50],
      ['critical', 0],
    ],
  },
};

/** seed-004's points per signal, from the brief. */
const seed004Points: Record<string, [string, number][]> = {
  usage: [
    ['weeklyActiveSeatRatio', 15],
    ['sessionsPerUserWeek', 15],
    ['minutesPerUserWeek', 10],
  ],
  engagement: [
    ['featureAdoption', 15],
    ['ticketsLast30Days', 10],
    ['trainingCompletion', 5],
  ],
  sentiment: [
    ['nps', 15],
    ['csat', 10],
    ['outreachResponse', 5],
  ],
};

const componentOf = (r: ScoreResult, id: string) => r.components.find((c) => c.id === id)!;
const signalOf = (r: ScoreResult, id: string) => r.components.flatMap((c) => c.signals).find((s) => s.signal === id)!;

describe("presets: each model is the brief's", () => {
  it('registers exactly the five seeds', () => {
    expect([...presetNames].sort()).toEqual(['seed-000', 'seed-001', 'seed-002', 'seed-003', 'seed-004']);
  });

  describe.each(Object.entries(brief) as [PresetName, ExpectedModel][])('%s', (name, expected) => {
    const model = presetModel(name);

    it('parses against scoreModelSchema and carries its own name as id', () => {
      expect(() => scoreModelSchema.parse(model)).not.toThrow();
      expect(model.id).toBe(name);
    });

    it("has the brief's components, labels and weights (summing to 100)", () => {
      expect(model.components.map((c) => ({ id: c.id, label: c.label.toLowerCase(), weight: c.weight }))).toEqual(
        expected.components.map(({ id, label, weight }) => ({ id, label, weight })),
      );
      expect(model.components.reduce((s, c) => s + c.weight, 0)).toBe(100);
    });

    it('has a signal for each item the brief lists', () => {
      expect(model.components.map((c) => c.signals.map((s) => s.signal))).toEqual(expected.components.map((c) => c.signals));
    });

    it("has the brief's tiers, highest first", () => {
      expect(model.tiers.map((t) => [t.name, t.min])).toEqual(expected.tiers);
    });

    it("puts each tier's lowest score in that tier and the score below it in the next tier down", () => {
      expected.tiers.forEach(([tier, min], i) => {
        expect(tierOf(model, min).name).toBe(tier);
        if (min > 0) expect(tierOf(model, min - 1).name).toBe(expected.tiers[i + 1]![0]);
      });
      expect(tierOf(model, 100).name).toBe(expected.tiers[0]![0]);
    });
  });

  it("seed-004 weighs each signal by its points, and each component's points sum to its weight", () => {
    const model = presetModel('seed-004');
    for (const c of model.components) {
      expect(c.signals.map((s) => [s.signal, s.weight])).toEqual(seed004Points[c.id]);
      expect(c.signals.reduce((s, x) => s + x.weight, 0)).toBe(c.weight);
    }
  });

  it('seed-000 splits the single "NPS/CSAT" item evenly between nps and csat', () => {
    const relationship = presetModel('seed-000').components.find((c) => c.id === 'relationship')!;
    expect(relationship.signals.map((s) => [s.signal, s.weight])).toEqual([
      ['nps', 0.5],
      ['csat', 0.5],
      ['outreachResponse', 1],
      ['executiveSponsor', 1],
    ]);
  });
});

describe('seed-000 worked examples', () => {
  const model = presetModel('seed-000');
  const allMax: SignalValues = {
    loginDaysPerWeek: 4,
    activeSeatRatio: 0.8,
    featureAdoption: 0.7,
    coreFeatureUsage: 1,
    advancedFeatureAdoption: 0.5,
    integrationsConfigured: 1,
    nps: 10,
    csat: 5,
    outreachResponse: 1,
    executiveSponsor: 'yes',
    roiRealized: 1,
    goalsMet: 1,
    useCaseExpansion: 1,
  };
  const allMin: SignalValues = {
    loginDaysPerWeek: 0,
    activeSeatRatio: 0,
    featureAdoption: 0,
    coreFeatureUsage: 0,
    advancedFeatureAdoption: 0,
    integrationsConfigured: 0,
    nps: 0,
    csat: 1,
    outreachResponse: 0,
    executiveSponsor: 'no',
    roiRealized: 0,
    goalsMet: 0,
    useCaseExpansion: 0,
  };

  it('all signals at their best -> 100, healthy', () => {
    const r = computeScore(model, allMax);
    expect([r.score, r.tier, r.coverage]).toEqual([100, 'healthy', 1]);
  });

  it('all signals at their worst -> 0, critical', () => {
    const r = computeScore(model, allMin);
    expect([r.score, r.tier, r.coverage]).toEqual([0, 'critical', 1]);
  });

  it('a mixed account with every signal -> 66, at-risk', () => {
    // engagement:    login 3/4 = 75; seats 0.6/0.8 = 75; adoption 0.42/0.7 = 60        -> (75+75+60)/3 = 70
    // product usage: core 0.9 = 90; advanced 0.2/0.5 = 40; integrations 0.5 = 50      -> 180/3 = 60
    // relationship:  nps 8/10 = 80 (w .5); csat (4-1)/4 = 75 (w .5); outreach 0.6 = 60 (w 1); sponsor yes = 100 (w 1)
    //                -> (40 + 37.5 + 60 + 100)/3 = 237.5/3 = 79.17
    // outcomes:      roi 0.5 = 50; goals 0.75 = 75; expansion 0 = 0                    -> 125/3 = 41.67
    // total: (70*40 + 60*30 + 79.17*20 + 41.67*10)/100 = (2800 + 1800 + 1583.4 + 416.7)/100 = 66.001 -> 66 (at risk: 60-79)
    const r = computeScore(model, {
      loginDaysPerWeek: 3,
      activeSeatRatio: 0.6,
      featureAdoption: 0.42,
      coreFeatureUsage: 0.9,
      advancedFeatureAdoption: 0.2,
      integrationsConfigured: 0.5,
      nps: 8,
      csat: 4,
      outreachResponse: 0.6,
      executiveSponsor: 'yes',
      roiRealized: 0.5,
      goalsMet: 0.75,
      useCaseExpansion: 0,
    });
    expect(r.components.map((c) => c.score)).toEqual([70, 60, 79.17, 41.67]);
    expect([r.score, r.tier, r.coverage]).toEqual([66, 'at-risk', 1]);
  });

  it('a partial account re-weights over what has data -> 52, critical, coverage 0.37', () => {
    // engagement:   login 1/4 = 25; adoption 0.7/0.7 = 100 (seats missing)        -> (25+100)/2 = 62.5, coverage 2/3
    // relationship: nps 9/10 = 90 (w .5); sponsor no = 0 (w 1) (csat, outreach missing)
    //               -> (90*.5 + 0*1)/1.5 = 30, coverage 1.5/3 = 0.5
    // product usage and outcomes have no data and drop out.
    // total: (62.5*40 + 30*20)/(40+20) = 3100/60 = 51.67 -> 52 (critical: 0-59)
    // coverage: (40*2/3 + 20*0.5)/100 = 0.367 -> 0.37
    const r = computeScore(model, { loginDaysPerWeek: 1, featureAdoption: 0.7, nps: 9, executiveSponsor: 'no' });
    expect(componentOf(r, 'engagement').score).toBe(62.5);
    expect(componentOf(r, 'relationship').score).toBe(30);
    expect(componentOf(r, 'product-usage').score).toBeNull();
    expect(componentOf(r, 'outcomes').score).toBeNull();
    expect([r.score, r.tier, r.coverage]).toEqual([52, 'critical', 0.37]);
  });
});

describe('seed-001 worked examples', () => {
  const model = presetModel('seed-001');
  const allMax: SignalValues = {
    activeSeatRatio: 0.8,
    featureAdoption: 0.7,
    loginDaysPerWeek: 4,
    apiUsageTrend: 1.5,
    outreachResponse: 1,
    qbrAttendance: 1,
    trainingCompletion: 1,
    ticketSentiment: 1,
    goalsMet: 1,
    roiRealized: 1,
    integrationCompleteness: 1,
    executiveSponsor: 'yes',
    stakeholders: 4,
    advocate: 'yes',
    renewalConfidence: 1,
  };
  const allMin: SignalValues = {
    activeSeatRatio: 0,
    featureAdoption: 0,
    loginDaysPerWeek: 0,
    apiUsageTrend: 0.5,
    outreachResponse: 0,
    qbrAttendance: 0,
    trainingCompletion: 0,
    ticketSentiment: -1,
    goalsMet: 0,
    roiRealized: 0,
    integrationCompleteness: 0,
    executiveSponsor: 'no',
    stakeholders: 1,
    advocate: 'no',
    renewalConfidence: 0,
  };

  it('all signals at their best -> 100, green', () => {
    const r = computeScore(model, allMax);
    expect([r.score, r.tier, r.coverage]).toEqual([100, 'green', 1]);
  });

  it('all signals at their worst -> 0, red', () => {
    const r = computeScore(model, allMin);
    expect([r.score, r.tier, r.coverage]).toEqual([0, 'red', 1]);
  });

  it('a mixed account with every signal -> 71, yellow', () => {
    // product adoption:  seats 0.72/0.8 = 90; adoption 0.56/0.7 = 80; login 2.8/4 = 70; api trend (1.1-0.5)/1 = 60 -> 300/4 = 75
    // engagement:        outreach 90; QBR 50; training 80; ticket sentiment (0.2+1)/2 = 60                     -> 280/4 = 70
    // value realization: goals 60; roi 90; integration 75                                                      -> 225/3 = 75
    // relationship:      sponsor yes 100; stakeholders (3-1)/3 = 66.67; advocate no 0; renewal confidence 85   -> 251.67/4 = 62.92
    // total: (75*30 + 70*25 + 75*25 + 62.92*20)/100 = (2250 + 1750 + 1875 + 1258.4)/100 = 71.33 -> 71 (yellow: 60-79)
    const r = computeScore(model, {
      activeSeatRatio: 0.72,
      featureAdoption: 0.56,
      loginDaysPerWeek: 2.8,
      apiUsageTrend: 1.1,
      outreachResponse: 0.9,
      qbrAttendance: 0.5,
      trainingCompletion: 0.8,
      ticketSentiment: 0.2,
      goalsMet: 0.6,
      roiRealized: 0.9,
      integrationCompleteness: 0.75,
      executiveSponsor: 'yes',
      stakeholders: 3,
      advocate: 'no',
      renewalConfidence: 0.85,
    });
    expect(r.components.map((c) => c.score)).toEqual([75, 70, 75, 62.92]);
    expect([r.score, r.tier, r.coverage]).toEqual([71, 'yellow', 1]);
  });

  it('a partial account -> 66, yellow, coverage 0.31', () => {
    // product adoption: seats 0.8/0.8 = 100; login 3/4 = 75         -> 87.5, coverage 2/4
    // engagement:       ticket sentiment (-0.5+1)/2 = 25            -> 25, coverage 1/4
    // relationship:     stakeholders (4-1)/3 = 100; renewal 0.7 = 70 -> 85, coverage 2/4
    // value realization has no data and drops out.
    // total: (87.5*30 + 25*25 + 85*20)/(30+25+20) = (2625 + 625 + 1700)/75 = 4950/75 = 66 (yellow)
    // coverage: (30*0.5 + 25*0.25 + 20*0.5)/100 = 0.3125 -> 0.31
    const r = computeScore(model, { activeSeatRatio: 0.8, loginDaysPerWeek: 3, ticketSentiment: -0.5, stakeholders: 4, renewalConfidence: 0.7 });
    expect(r.components.map((c) => c.score)).toEqual([87.5, 25, null, 85]);
    expect([r.score, r.tier, r.coverage]).toEqual([66, 'yellow', 0.31]);
  });
});

describe('seed-003 worked examples', () => {
  const model = presetModel('seed-003');
  const allMax: SignalValues = {
    loginDaysPerWeek: 4,
    featureAdoption: 0.7,
    usageDepth: 4,
    daysSinceLastActivity: 0,
    outreachResponse: 1,
    trainingCompletion: 1,
    featureRequests: 3,
    communityParticipation: 1,
    roiRealized: 1,
    usageGrowth: 1.5,
    daysToRenewal: 180,
    paymentStatus: 'current',
  };
  const allMin: SignalValues = {
    loginDaysPerWeek: 0,
    featureAdoption: 0,
    usageDepth: 1,
    daysSinceLastActivity: 14,
    outreachResponse: 0,
    trainingCompletion: 0,
    featureRequests: 0,
    communityParticipation: 0,
    roiRealized: 0,
    usageGrowth: 0.5,
    daysToRenewal: 30,
    paymentStatus: 'failed',
  };

  it('all signals at their best -> 100, green', () => {
    const r = computeScore(model, allMax);
    expect([r.score, r.tier, r.coverage]).toEqual([100, 'green', 1]);
  });

  it('all signals at their worst -> 0, red', () => {
    const r = computeScore(model, allMin);
    expect([r.score, r.tier, r.coverage]).toEqual([0, 'red', 1]);
  });

  it('a mixed account with every signal -> 60, yellow', () => {
    // usage:      login 3.2/4 = 80; adoption 0.49/0.7 = 70; depth (2.5-1)/3 = 50; 7 days idle (14-7)/14 = 50 -> 250/4 = 62.5
    // engagement: outreach 40; training 100; feature requests 2/3 = 66.67; community 10              -> 216.67/4 = 54.17
    // business:   roi 70; growth (1.3-0.5)/1 = 80; renewal in 120 days (120-30)/150 = 60; payment late 40 -> 250/4 = 62.5
    // total: (62.5*40 + 54.17*30 + 62.5*30)/100 = (2500 + 1625.1 + 1875)/100 = 60.001 -> 60 (yellow: 50-79)
    const r = computeScore(model, {
      loginDaysPerWeek: 3.2,
      featureAdoption: 0.49,
      usageDepth: 2.5,
      daysSinceLastActivity: 7,
      outreachResponse: 0.4,
      trainingCompletion: 1,
      featureRequests: 2,
      communityParticipation: 0.1,
      roiRealized: 0.7,
      usageGrowth: 1.3,
      daysToRenewal: 120,
      paymentStatus: 'late',
    });
    expect(r.components.map((c) => c.score)).toEqual([62.5, 54.17, 62.5]);
    expect([r.score, r.tier, r.coverage]).toEqual([60, 'yellow', 1]);
  });

  // daysSinceLastActivity is inverse over 0..14: 0 days full marks, 14 or more none.
  // Alone, it is the whole usage component and so the whole score; coverage 40 * 1/4 / 100 = 0.1.
  it.each([
    [0, 100, 'green'], // (14-0)/14 = 100
    [3.5, 75, 'yellow'], // (14-3.5)/14 = 75
    [7, 50, 'yellow'], // (14-7)/14 = 50
    [10.5, 25, 'red'], // (14-10.5)/14 = 25
    [14, 0, 'red'], // (14-14)/14 = 0
    [45, 0, 'red'], // past 14: clamped to 0
  ])('%s days since last activity alone -> %s, %s', (days, score, tier) => {
    const r = computeScore(model, { daysSinceLastActivity: days });
    expect(signalOf(r, 'daysSinceLastActivity').score).toBe(score);
    expect([r.score, r.tier, r.coverage]).toEqual([score, tier, 0.1]);
  });

  // daysToRenewal is linear over 30..180: 30 days or less scores none, 180 or more full marks.
  it.each([
    [10, 0], // below 30: clamped to 0
    [30, 0],
    [66, 24], // (66-30)/150 = 24
    [105, 50], // (105-30)/150 = 50
    [150, 80], // (150-30)/150 = 80
    [180, 100],
    [365, 100], // past 180: clamped to 100
  ])('renewal in %s days scores %s', (days, score) => {
    const r = computeScore(model, { daysToRenewal: days });
    expect(signalOf(r, 'daysToRenewal').score).toBe(score);
    expect(r.score).toBe(score);
  });

  it('both day signals together -> 53, yellow', () => {
    // usage: 3.5 days idle = 75 (only usage signal present); business: renewal in 66 days = 24 (only business signal)
    // total: (75*40 + 24*30)/(40+30) = (3000 + 720)/70 = 53.14 -> 53 (yellow: 50-79)
    const r = computeScore(model, { daysSinceLastActivity: 3.5, daysToRenewal: 66 });
    expect(r.components.map((c) => c.score)).toEqual([75, null, 24]);
    expect([r.score, r.tier]).toEqual([53, 'yellow']);
  });
});

describe('seed-004 worked examples', () => {
  const model = presetModel('seed-004');
  const allMax: SignalValues = {
    weeklyActiveSeatRatio: 0.7,
    sessionsPerUserWeek: 5,
    minutesPerUserWeek: 120,
    featureAdoption: 0.7,
    ticketsLast30Days: 0,
    trainingCompletion: 1,
    nps: 10,
    csat: 5,
    outreachResponse: 1,
  };
  const allMin: SignalValues = {
    weeklyActiveSeatRatio: 0,
    sessionsPerUserWeek: 0,
    minutesPerUserWeek: 0,
    featureAdoption: 0,
    ticketsLast30Days: 5,
    trainingCompletion: 0,
    nps: 0,
    csat: 1,
    outreachResponse: 0,
  };

  it('all signals at their best -> 100, healthy', () => {
    const r = computeScore(model, allMax);
    expect([r.score, r.tier, r.coverage]).toEqual([100, 'healthy', 1]);
  });

  it('all signals at their worst -> 0, critical', () => {
    const r = computeScore(model, allMin);
    expect([r.score, r.tier, r.coverage]).toEqual([0, 'critical', 1]);
  });

  it('with every signal present, each signal adds exactly its points: tickets 0 and NPS 10 alone at full -> 10 + 15 = 25', () => {
    // Every other signal at its worst scores 0; no tickets is worth the full 10 points, NPS 10 the full 15.
    // engagement: (0*15 + 100*10 + 0*5)/30 = 33.33; sentiment: (100*15 + 0*10 + 0*5)/30 = 50; usage 0
    // total: (0*40 + 33.33*30 + 50*30)/100 = 24.999 -> 25 (critical: < 50)
    const r = computeScore(model, { ...allMin, ticketsLast30Days: 0, nps: 10 });
    expect([r.score, r.tier, r.coverage]).toEqual([25, 'critical', 1]);
    expect(signalOf(r, 'ticketsLast30Days').points).toBeCloseTo(10, 2);
    expect(signalOf(r, 'nps').points).toBeCloseTo(15, 2);
  });

  it('only tickets 0 and NPS 10 present: the score re-weights over the data it has -> 100, coverage 0.25', () => {
    // engagement = tickets alone = 100; sentiment = NPS alone = 100; usage has no data.
    // total: (100*30 + 100*30)/60 = 100 (healthy); coverage: (10 + 15)/100 = 0.25
    // Each of the two components is now half the score, so each signal adds 50 points.
    const r = computeScore(model, { ticketsLast30Days: 0, nps: 10 });
    expect([r.score, r.tier, r.coverage]).toEqual([100, 'healthy', 0.25]);
    expect(signalOf(r, 'ticketsLast30Days').points).toBeCloseTo(50, 2);
    expect(signalOf(r, 'nps').points).toBeCloseTo(50, 2);
  });

  it("a mixed account with every signal -> 71, stable (the sum of the signals' points)", () => {
    // usage:      weekly active 0.56/0.7 = 80% of 15 = 12;  sessions 3.2/5 = 64% of 15 = 9.6;  minutes 90/120 = 75% of 10 = 7.5
    // engagement: adoption 0.35/0.7 = 50% of 15 = 7.5;      tickets 2 -> (5-2)/5 = 60% of 10 = 6; training 0.8 = 80% of 5 = 4
    // sentiment:  NPS 9 = 90% of 15 = 13.5;                  CSAT 4.2 -> 3.2/4 = 80% of 10 = 8;  outreach 0.6 = 60% of 5 = 3
    // points: 12 + 9.6 + 7.5 + 7.5 + 6 + 4 + 13.5 + 8 + 3 = 71.1 -> 71 (stable: 70-89)
    // by component: usage 29.1/40 = 72.75, engagement 17.5/30 = 58.33, sentiment 24.5/30 = 81.67
    const r = computeScore(model, {
      weeklyActiveSeatRatio: 0.56,
      sessionsPerUserWeek: 3.2,
      minutesPerUserWeek: 90,
      featureAdoption: 0.35,
      ticketsLast30Days: 2,
      trainingCompletion: 0.8,
      nps: 9,
      csat: 4.2,
      outreachResponse: 0.6,
    });
    expect(r.components.map((c) => c.score)).toEqual([72.75, 58.33, 81.67]);
    expect([r.score, r.tier, r.coverage]).toEqual([71, 'stable', 1]);
    const points: [string, number][] = [
      ['weeklyActiveSeatRatio', 12],
      ['sessionsPerUserWeek', 9.6],
      ['minutesPerUserWeek', 7.5],
      ['featureAdoption', 7.5],
      ['ticketsLast30Days', 6],
      ['trainingCompletion', 4],
      ['nps', 13.5],
      ['csat', 8],
      ['outreachResponse', 3],
    ];
    for (const [signal, p] of points) expect(signalOf(r, signal).points, signal).toBeCloseTo(p, 1);
  });

  it('a usage-only account -> 51, at-risk, coverage 0.4', () => {
    // weekly active 0.35/0.7 = 50 (w 15); sessions 4/5 = 80 (w 15); minutes 12/120 = 10 (w 10)
    // usage: (50*15 + 80*15 + 10*10)/40 = (750 + 1200 + 100)/40 = 2050/40 = 51.25 -> 51 (at risk: 50-69)
    // engagement and sentiment have no data; coverage: 40/100 = 0.4
    const r = computeScore(model, { weeklyActiveSeatRatio: 0.35, sessionsPerUserWeek: 4, minutesPerUserWeek: 12 });
    expect(r.components.map((c) => c.score)).toEqual([51.25, null, null]);
    expect([r.score, r.tier, r.coverage]).toEqual([51, 'at-risk', 0.4]);
  });
});

describe('modelResolver', () => {
  const segments = ['high-touch', 'medium-touch', 'tech-touch', 'unknown', ''];

  it.each([...presetNames])('a plain preset name (%s) gives that model for every segment', (name) => {
    const resolve = modelResolver(name);
    for (const segment of segments) expect(resolve(segment)).toEqual(presetModel(name));
  });

  it("a per-segment choice gives the segment's model, and the default for every other segment", () => {
    const resolve = modelResolver({ default: 'seed-002', bySegment: { 'high-touch': 'seed-001' } });
    expect(resolve('high-touch')).toEqual(presetModel('seed-001'));
    for (const segment of ['medium-touch', 'tech-touch', 'unknown', '']) expect(resolve(segment)).toEqual(presetModel('seed-002'));
  });

  it('a default with no bySegment gives the default everywhere', () => {
    const resolve = modelResolver({ default: 'seed-004' });
    for (const segment of segments) expect(resolve(segment).id).toBe('seed-004');
  });

  const custom: ScoreModel = scoreModelSchema.parse({
    id: 'acme-custom',
    version: '7',
    components: [
      { id: 'usage', label: 'Usage', weight: 70, signals: [{ signal: 'loginDaysPerWeek', normalise: { kind: 'linear', min: 0, max: 5 } }] },
      {
        id: 'money',
        label: 'Money',
        weight: 30,
        signals: [{ signal: 'paymentStatus', weight: 2, normalise: { kind: 'categorical', scores: { current: 100, late: 0 } } }],
      },
    ],
    tiers: [
      { name: 'good', min: 60, color: '#00aa00' },
      { name: 'bad', min: 0, color: '#aa0000' },
    ],
  });

  it('a custom model is returned as given, for every segment', () => {
    const resolve = modelResolver(custom);
    for (const segment of segments) expect(resolve(segment)).toBe(custom);
  });

  it("a custom model can be the default or a segment's choice, next to presets", () => {
    const asDefault = modelResolver({ default: custom, bySegment: { 'tech-touch': 'seed-003' } });
    expect(asDefault('high-touch')).toBe(custom);
    expect(asDefault('tech-touch').id).toBe('seed-003');
    const asSegment = modelResolver({ default: 'seed-000', bySegment: { 'medium-touch': custom } });
    expect(asSegment('medium-touch')).toBe(custom);
    expect(asSegment('high-touch').id).toBe('seed-000');
  });
});

describe('presets: properties', () => {
  const numeric = fc.oneof(
    fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ min: -2, max: 2, noNaN: true }),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  );

  /** Any values, present or not, for the model's own signals. */
  const valuesFor = (model: ScoreModel): fc.Arbitrary<SignalValues> => {
    const arbs: Record<string, fc.Arbitrary<SignalValue>> = {};
    for (const spec of model.components.flatMap((c) => c.signals)) {
      const rule = spec.normalise;
      arbs[spec.signal] = rule.kind === 'categorical' ? fc.oneof(fc.constantFrom(...Object.keys(rule.scores)), fc.string()) : numeric;
    }
    return fc.record(arbs, { requiredKeys: [] });
  };

  it.each([...presetNames])('%s: any values give a whole score in 0..100 (or null) in the tier its score falls in', (name) => {
    const model = presetModel(name);
    const byMin = [...model.tiers].sort((a, b) => b.min - a.min);
    fc.assert(
      fc.property(valuesFor(model), (values) => {
        const r = computeScore(model, values);
        expect(r.coverage).toBeGreaterThanOrEqual(0);
        expect(r.coverage).toBeLessThanOrEqual(1);
        if (r.score === null) {
          expect(r.tier).toBeNull();
          expect(r.coverage).toBe(0);
          return;
        }
        expect(Number.isInteger(r.score)).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.coverage).toBeGreaterThan(0);
        // The tier is the highest one whose min the score reaches.
        const expected = byMin.find((t) => r.score! >= t.min)!;
        expect(r.tier).toBe(expected.name);
        expect(r.color).toBe(expected.color);
      }),
      { numRuns: 300 },
    );
  });
});
