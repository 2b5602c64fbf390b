import type { ScoreModelInput } from '../model.ts';
import { loginFrequency, paymentStatus, ratio } from './signals.ts';

/**
 * seed-003: usage 40, engagement 30, business 30; green 80-100, yellow 50-79, red 0-49.
 * Days since last use is inverse: 0 days is full marks, 14 or more is none.
 */
export const seed003: ScoreModelInput = {
  id: 'seed-003',
  version: '1',
  components: [
    {
      id: 'usage',
      label: 'Usage',
      weight: 40,
      signals: [
        loginFrequency,
        ratio('featureAdoption', 0.7),
        // Activity volume: distinct features each active user touches a day.
        { signal: 'usageDepth', normalise: { kind: 'linear', min: 1, max: 4 } },
        { signal: 'daysSinceLastActivity', normalise: { kind: 'inverse', min: 0, max: 14 } },
      ],
    },
    {
      id: 'engagement',
      label: 'Engagement',
      weight: 30,
      signals: [
        ratio('outreachResponse', 1),
        ratio('trainingCompletion', 1),
        { signal: 'featureRequests', normalise: { kind: 'linear', min: 0, max: 3 } },
        ratio('communityParticipation', 1),
      ],
    },
    {
      id: 'business',
      label: 'Business',
      weight: 30,
      signals: [
        ratio('roiRealized', 1),
        { signal: 'usageGrowth', normalise: { kind: 'linear', min: 0.5, max: 1.5 } },
        // Far from renewal is calm; inside 30 days an unconfirmed renewal is a risk.
        { signal: 'daysToRenewal', normalise: { kind: 'linear', min: 30, max: 180 } },
        paymentStatus,
      ],
    },
  ],
  tiers: [
    { name: 'green', min: 80, color: '#2e7d32' },
    { name: 'yellow', min: 50, color: '#f9a825' },
    { name: 'red', min: 0, color: '#c62828' },
  ],
};
