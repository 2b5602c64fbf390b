import type { portfolio } from '../../functions/core/metrics/portfolio.ts';

/** portfolio()'s figures without the account lists (the aggregates hold counts; drill-down lists the accounts). */
export function withoutLists(figures: ReturnType<typeof portfolio>['whole']) {
  const { accounts: _r, ...retention } = figures.retention;
  const { accounts: _n, ...nps } = figures.nps;
  const { accounts: _c, ...csat } = figures.csat;
  const { accounts: _t, ...timeToValue } = figures.timeToValue;
  const health = Object.fromEntries(Object.entries(figures.health).map(([b, { ids: _i, ...f }]) => [b, f]));
  return { accounts: figures.accounts, retention, nps, csat, timeToValue, health };
}
