import type { ScoreModelInput } from '../model.ts';
import { csat, nps, ratio } from './signals.ts';

/**
 * seed-004 counts points: usage 40 (weekly active users 15, sessions per user 15, time in
 * platform 10), engagement 30 (feature adoption 15, support tickets 10 inverse, training 5),
 * sentiment 30 (NPS 15, CSAT 10, outreach response 5). Signal weights are those points, so
 * each signal is worth exactly its points; four tiers.
 */
export const seed004: ScoreModelInput = {
  id: 'seed-004',
  version: '1',
  components: [
    {
      id: 'usage',
      label: 'Usage',
      weight: 40,
      signals: [
        ratio('weeklyActiveSeatRatio', 0.7, 15),
        { signal: 'sessionsPerUserWeek', weight: 15, normalise: { kind: 'linear', min: 0, max: 5 } },
        { signal: 'minutesPerUserWeek', weight: 10, normalise: { kind: 'linear', min: 0, max: 120 } },
      ],
    },
    {
      id: 'engagement',
      label: 'Engagement',
      weight: 30,
      signals: [
        ratio('featureAdoption', 0.7, 15),
        { signal: 'ticketsLast30Days', weight: 10, normalise: { kind: 'inverse', min: 0, max: 5 } },
        ratio('trainingCompletion', 1, 5),
      ],
    },
    { id: 'sentiment', label: 'Sentiment', weight: 30, signals: [{ ...nps, weight: 15 }, { ...csat, weight: 10 }, ratio('outreachResponse', 1, 5)] },
  ],
  tiers: [
    { name: 'healthy', min: 90, color: '#2e7d32' },
    { name: 'stable', min: 70, color: '#9e9d24' },
    { name: 'at-risk', min: 50, color: '#ef6c00' },
    { name: 'critical', min: 0, color: '#c62828' },
  ],
};
