import { documentClient } from '../../data/client.ts';
import { feedbackRepo } from '../../data/feedback.ts';
import { feedbackWithMetrics } from '../../data/metric-hooks.ts';
import { lazy, table } from '../deps-base.ts';
import { refreshManyMetrics } from './refresh-metrics.ts';

export const feedback = /* @__PURE__ */ lazy(() => feedbackWithMetrics(feedbackRepo(documentClient, table()), refreshManyMetrics));
