import type { TendConfig } from '../config.ts';
import type { ScoringPolicy } from './decide.ts';
import { modelResolver } from './presets/index.ts';

/** The scoring policy a config sets: one mapping, for the scoring function and the bench alike. */
export function scoringPolicy(config: TendConfig): ScoringPolicy {
  return {
    modelFor: modelResolver(config.scoreModel),
    features: config.product.features,
    premiumFeatures: config.product.premiumFeatures,
    trainingCourses: config.product.trainingCourses,
    fallingFastPoints: config.scoring.fallingFastPoints,
    windows: config.scoring.windows,
    flagThresholds: config.scoring.flags,
    firstValue: config.milestones.firstValue,
  };
}
