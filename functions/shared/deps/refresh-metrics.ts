import { refreshAccountMetrics } from '../../core/metrics/upkeep.ts';
import { metricUpkeep } from './metric-upkeep.ts';
import { metricsLogger } from './metrics-logger.ts';

// A source write stands whatever its upkeep does: a failure is logged, and the account's next change or `tend metrics rebuild` heals it.
export const refreshMetrics = (accountId: string) =>
  refreshAccountMetrics(metricUpkeep(), accountId).catch((err: unknown) =>
    metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountId, error: err as Error }),
  );
