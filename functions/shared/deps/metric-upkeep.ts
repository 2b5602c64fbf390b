import { systemClock } from '../../core/clock.ts';
import { withBookNotes } from '../../core/metrics/score-states.ts';
import { lazy } from '../deps-base.ts';
import { metricAggregateRepo } from './metric-aggregate-repo.ts';
import { metricSourceReader } from './metric-source-reader.ts';
import { metricsLogger } from './metrics-logger.ts';
import { scoreStateRepo } from './score-state-repo.ts';

// Book changes noted for the weekly review, which reads the book from the score states (docs/metrics.md).
export const metricUpkeep = /* @__PURE__ */ lazy(() => ({
  sources: metricSourceReader(),
  aggregates: withBookNotes(metricAggregateRepo(), scoreStateRepo(), systemClock, (error) =>
    metricsLogger().error('noting a book change for the weekly review failed (its next score state carries it)', { error: error as Error }),
  ),
}));
