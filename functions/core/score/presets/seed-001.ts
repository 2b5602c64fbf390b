import type { ScoreModelInput } from '../model.ts';
import { loginFrequency, ratio, yesNo } from './signals.ts';

/**
 * seed-001: product adoption 30, engagement 25, value realization 25, relationship 20;
 * green 80-100, yellow 60-79, red below 60.
 */
export const seed001: ScoreModelInput = {
  id: 'seed-001',
  version: '1',
  components: [
    {
      id: 'product-adoption',
      label: 'Product adoption',
      weight: 30,
      signals: [
        ratio('activeSeatRatio', 0.8),
        ratio('featureAdoption', 0.7),
        loginFrequency,
        { signal: 'apiUsageTrend', normalise: { kind: 'linear', min: 0.5, max: 1.5 } },
      ],
    },
    {
      id: 'engagement',
      label: 'Engagement',
      weight: 25,
      signals: [
        ratio('outreachResponse', 1),
        ratio('qbrAttendance', 1),
        ratio('trainingCompletion', 1),
        { signal: 'ticketSentiment', normalise: { kind: 'linear', min: -1, max: 1 } },
      ],
    },
    {
      id: 'value-realization',
      label: 'Value realization',
      weight: 25,
      signals: [ratio('goalsMet', 1), ratio('roiRealized', 1), ratio('integrationCompleteness', 1)],
    },
    {
      id: 'relationship',
      label: 'Relationship',
      weight: 20,
      signals: [
        yesNo('executiveSponsor'),
        { signal: 'stakeholders', normalise: { kind: 'linear', min: 1, max: 4 } },
        yesNo('advocate'),
        ratio('renewalConfidence', 1),
      ],
    },
  ],
  tiers: [
    { name: 'green', min: 80, color: '#2e7d32' },
    { name: 'yellow', min: 60, color: '#f9a825' },
    { name: 'red', min: 0, color: '#c62828' },
  ],
};
