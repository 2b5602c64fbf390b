import { planOf } from '../plan.ts';
import type { Account } from '../types.ts';
import type { Contribution, Counters, MetricSources } from './contribution.ts';
import type { Band } from './health.ts';
import type { PortfolioAccount } from './portfolio.ts';
import type { RenewalEntry } from './renewal-index.ts';

/** What the metrics read of an account item and its score's band: the same for upkeep, rebuild and the brute-force check. */
export function portfolioAccountOf(account: Account & { owner?: string }, band: Band | null | undefined): PortfolioAccount {
  return {
    accountId: account.id,
    segment: account.segment,
    // The plan as cards and the account list show it (Starter, Pro or Enterprise), not the name sent.
    plan: planOf(account),
    ...(account.owner ? { owner: account.owner } : {}),
    status: account.status,
    // Trials pay nothing (docs/metrics.md).
    arr: account.status === 'trial' ? 0 : (account.arr ?? 0),
    band: band ?? 'unscored',
    startDate: account.startDate,
    ...(account.milestones?.firstValue ? { firstValueAt: account.milestones.firstValue } : {}),
  };
}

/** An account's metric sources: the account item, its revenue points, its surveys and its score's band. */
export interface MetricSourceReader {
  load(accountId: string): Promise<MetricSources | undefined>;
  /** Every account's sources, page by page (rebuild and the drill-down read every account). */
  all(): AsyncIterable<MetricSources[]>;
}

/** The aggregate items and each account's last contribution (functions/data/metric-aggregates.ts). */
export interface MetricAggregateRepo {
  contribution(accountId: string): Promise<{ contribution?: Contribution; version: number }>;
  /** Many accounts' contributions in one batch read (band-upkeep.ts); absent: one `contribution` each. */
  contributions?(accountIds: string[]): Promise<Map<string, { contribution?: Contribution; version: number }>>;
  /** Stores the account's new contribution if it is still at `version`: false when another upkeep stored one since. */
  saveContribution(accountId: string, contribution: Contribution | undefined, version: number): Promise<boolean>;
  /** Adds each item's counters (`cut|sk` → counters). */
  add(diff: Map<string, Counters>): Promise<void>;
  /** One cut's items a named period's figures read (figures.ts `readRanges`). */
  readPeriod(cut: string, periodKey: string, period: { from: string; to: string }): Promise<[string, Counters][]>;
  /** One cut's monthly period items and book items (the cohort table). */
  readMonths(cut: string): Promise<[string, Counters][]>;
  /**
   * Whether the aggregate items are of this layout: false on a table from before it that was not
   * rebuilt since (its figures are then read from the source items). Absent: always.
   */
  ready?(): Promise<boolean>;
  /** Moves an account's renewal index entry: `before` deleted when its key changes, `after` written. */
  moveRenewal(before: RenewalEntry | undefined, after: RenewalEntry | undefined): Promise<void>;
  /**
   * Rebuild: every aggregate item replaced by these, those not among them deleted; each account's
   * contribution stored; the renewal index replaced by the contributions' entries.
   */
  replaceAll(items: Map<string, Counters>, contributions: [string, Contribution][]): Promise<{ written: number; deleted: number; renewals: number }>;
}
