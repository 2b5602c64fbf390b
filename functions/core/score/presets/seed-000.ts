import type { ScoreModelInput } from '../model.ts';
import { nps, csat, ratio, loginFrequency, yesNo, healthy80 } from './signals.ts';

/**
 * seed-000: engagement 40, product usage 30, relationship 20, outcomes 10;
 * healthy 80-100, at risk 60-79, critical 0-59. "NPS / CSAT" is one item, split evenly.
 */
export const seed000: ScoreModelInput = {
  id: 'seed-000',
  version: '1',
  components: [
    { id: 'engagement', label: 'Engagement', weight: 40, signals: [loginFrequency, ratio('activeSeatRatio', 0.8), ratio('featureAdoption', 0.7)] },
    {
      id: 'product-usage',
      label: 'Product usage',
      weight: 30,
      signals: [ratio('coreFeatureUsage', 1), ratio('advancedFeatureAdoption', 0.5), ratio('integrationsConfigured', 1)],
    },
    {
      id: 'relationship',
      label: 'Relationship',
      weight: 20,
      signals: [{ ...nps, weight: 0.5 }, { ...csat, weight: 0.5 }, ratio('outreachResponse', 1), yesNo('executiveSponsor')],
    },
    { id: 'outcomes', label: 'Outcomes', weight: 10, signals: [ratio('roiRealized', 1), ratio('goalsMet', 1), ratio('useCaseExpansion', 1)] },
  ],
  tiers: healthy80,
};
