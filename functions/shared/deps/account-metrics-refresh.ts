import { refreshAccountMetrics } from '../../core/metrics/upkeep.ts';
import { metricUpkeep } from './metric-upkeep.ts';

/** The upkeep of one account's metrics: imported on the first write that needs it (./refresh-metrics.ts says why). */
export const refreshAccount = (accountId: string) => refreshAccountMetrics(metricUpkeep(), accountId);
