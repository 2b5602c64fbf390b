import { refreshAccountMetrics, refreshAccountsMetrics } from '../../core/metrics/upkeep.ts';
import { metricUpkeep } from './metric-upkeep.ts';

/** The upkeep of one account's metrics: imported on the first write that needs it (./refresh-metrics.ts says why). */
export const refreshAccount = (accountId: string) => refreshAccountMetrics(metricUpkeep(), accountId);

/** The upkeep of a batch's accounts, counted together; `onError` hears each account whose upkeep failed. */
export const refreshAccounts = (accountIds: string[], onError: (accountId: string, err: unknown) => void) =>
  refreshAccountsMetrics(metricUpkeep(), accountIds, onError);
