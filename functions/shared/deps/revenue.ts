import { documentClient } from '../../data/client.ts';
import { revenueWithMetrics } from '../../data/metric-hooks.ts';
import { revenueRepo } from '../../data/revenue.ts';
import { lazy, table } from '../deps-base.ts';
import { refreshManyMetrics } from './refresh-metrics.ts';

/** Revenue history points and renewal outcomes. */
export const revenue = /* @__PURE__ */ lazy(() => revenueWithMetrics(revenueRepo(documentClient, table()), refreshManyMetrics));
