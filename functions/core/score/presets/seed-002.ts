import type { ScoreModelInput } from '../model.ts';
import { csat, loginFrequency, nps, paymentStatus, ratio } from './signals.ts';

/**
 * seed-002 of the domain brief: usage 40, engagement 25, sentiment 20, business 15;
 * green above 75, yellow 50-75, red below 50. The brief gives no weights inside a component,
 * so its signals weigh equally; the bounds below are Tend's defaults, documented in docs/scoring.md.
 */
export const seed002: ScoreModelInput = {
  id: 'seed-002',
  version: '1',
  components: [
    {
      id: 'usage',
      label: 'Usage',
      weight: 40,
      signals: [
        loginFrequency,
        ratio('featureAdoption', 0.7),
        ratio('activeSeatRatio', 0.8),
        { signal: 'usageDepth', normalise: { kind: 'linear', min: 1, max: 4 } },
      ],
    },
    {
      id: 'engagement',
      label: 'Engagement',
      weight: 25,
      signals: [
        { signal: 'supportQuality', normalise: { kind: 'linear', min: 0, max: 1 } },
        ratio('trainingCompletion', 1),
        { signal: 'communityParticipation', normalise: { kind: 'linear', min: 0, max: 1 } },
        ratio('emailEngagement', 0.5),
      ],
    },
    {
      id: 'sentiment',
      label: 'Sentiment',
      weight: 20,
      signals: [
        nps,
        csat,
        { signal: 'renewalProbability', normalise: { kind: 'linear', min: 0, max: 1 } },
        { signal: 'ticketSentiment', normalise: { kind: 'linear', min: -1, max: 1 } },
      ],
    },
    {
      id: 'business',
      label: 'Business',
      weight: 15,
      signals: [
        {
          signal: 'arr',
          normalise: {
            kind: 'points',
            steps: [
              { atLeast: 0, score: 25 },
              { atLeast: 1_000, score: 50 },
              { atLeast: 10_000, score: 75 },
              { atLeast: 50_000, score: 100 },
            ],
          },
        },
        { signal: 'usageGrowth', normalise: { kind: 'linear', min: 0.5, max: 1.5 } },
        { signal: 'strategicImportance', normalise: { kind: 'categorical', scores: { low: 30, medium: 65, high: 100 } } },
        paymentStatus,
      ],
    },
  ],
  tiers: [
    { name: 'green', min: 76, color: '#2e7d32' },
    { name: 'yellow', min: 50, color: '#f9a825' },
    { name: 'red', min: 0, color: '#c62828' },
  ],
};
