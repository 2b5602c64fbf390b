import type { Survey } from '../types.ts';
import type { Period } from './period.ts';
import { byBand, type Band } from './health.ts';
import { timeToValue } from './onboarding.ts';
import { retention, type ArrHistory } from './revenue.ts';
import { csat, nps } from './sentiment.ts';
import { firstPaidDay } from './cohorts.ts';

/** What the portfolio figures read of one account (its revenue history beside it). */
export interface PortfolioAccount {
  accountId: string;
  segment: string;
  plan?: string;
  owner?: string;
  status: 'trial' | 'active' | 'churned';
  arr: number;
  band: Band;
  startDate: string;
  firstValueAt?: string;
}

export type Cut = 'segment' | 'plan' | 'owner' | 'cohort';

/** The group an account falls in for a cut; `none` when it has no value for it (no plan, no owner, never paid). */
export function groupOf(account: PortfolioAccount, history: ArrHistory | undefined, cut: Cut): string {
  if (cut === 'cohort') return (history && firstPaidDay(history)?.slice(0, 7)) ?? 'none';
  return account[cut] ?? 'none';
}

export interface PortfolioInput {
  accounts: PortfolioAccount[];
  histories: ArrHistory[];
  surveys: Survey[];
}

export interface PortfolioOptions {
  period: Period;
  /** The day the figures are for (time to value is judged as of it). */
  asOf: string;
  firstValueTargetDays: number;
}

/** Every figure of docs/metrics.md for one set of accounts over one period. */
export function portfolioFigures(input: PortfolioInput, options: PortfolioOptions) {
  const ids = new Set(input.accounts.map((a) => a.accountId));
  const live = input.accounts.filter((a) => a.status !== 'churned');
  return {
    accounts: input.accounts.length,
    retention: retention(
      input.histories.filter((h) => ids.has(h.accountId)),
      options.period,
    ),
    nps: nps(
      input.surveys.filter((s) => ids.has(s.accountId)),
      options.period,
    ),
    csat: csat(
      input.surveys.filter((s) => ids.has(s.accountId)),
      options.period,
    ),
    timeToValue: timeToValue(input.accounts, options.period, options.firstValueTargetDays, options.asOf),
    health: byBand(live.map((a) => ({ accountId: a.accountId, arr: a.arr, band: a.band }))),
  };
}

/** The figures of the whole book and of each group of a cut: the groups are disjoint and cover the book. */
export function portfolio(input: PortfolioInput, options: PortfolioOptions, cut?: Cut) {
  const whole = portfolioFigures(input, options);
  if (!cut) return { whole };
  const histories = new Map(input.histories.map((h) => [h.accountId, h]));
  const groups = new Map<string, PortfolioAccount[]>();
  for (const a of input.accounts) {
    const g = groupOf(a, histories.get(a.accountId), cut);
    groups.set(g, [...(groups.get(g) ?? []), a]);
  }
  const byGroup = Object.fromEntries(
    [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, accounts]) => [g, portfolioFigures({ ...input, accounts }, options)]),
  );
  return { whole, cut, byGroup };
}
