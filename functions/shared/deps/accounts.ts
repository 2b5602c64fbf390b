import { accountsWithListEntries } from '../../data/account-list-entries.ts';
import { accountRepo } from '../../data/accounts.ts';
import { documentClient } from '../../data/client.ts';
import { accountsWithMetrics } from '../../data/metric-hooks.ts';
import { lazy, table } from '../deps-base.ts';
import { listEntries } from './list-entries.ts';
import { metricsLogger } from './metrics-logger.ts';
import { refreshMetrics } from './refresh-metrics.ts';

export const accounts = /* @__PURE__ */ lazy(() =>
  accountsWithMetrics(
    accountsWithListEntries(accountRepo(documentClient, table()), listEntries(), (accountId, err) =>
      metricsLogger().error('account list entries not updated (tend metrics rebuild puts them right)', { accountId, error: err as Error }),
    ),
    refreshMetrics,
  ),
);
