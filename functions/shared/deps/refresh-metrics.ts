import { metricsLogger } from './metrics-logger.ts';

/**
 * An account's metrics upkeep, after a write of one of their sources (the account, its revenue, its
 * feedback: data/metric-hooks.ts). Its code (the aggregates, the renewal index, the score states) is
 * imported by the first write that needs it, a chunk of its own: the functions that hold the
 * accounts repository mostly read it (a play step, the starter, the notifier) and never parse it.
 * A source write stands whatever its upkeep does: a failure is logged, and the account's next
 * change or `tend metrics rebuild` heals it.
 */
export const refreshMetrics = (accountId: string) =>
  import('./account-metrics-refresh.ts')
    .then(({ refreshAccount }) => refreshAccount(accountId))
    .catch((err: unknown) => metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountId, error: err as Error }));

/** A batch write's accounts (survey answers, revenue points) counted together: one update per aggregate item the batch moves. */
export const refreshManyMetrics = (accountIds: string[]) =>
  import('./account-metrics-refresh.ts')
    .then(({ refreshAccounts }) =>
      refreshAccounts(accountIds, (accountId, err) =>
        metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountId, error: err as Error }),
      ),
    )
    .catch((err: unknown) => metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountIds, error: err as Error }));
