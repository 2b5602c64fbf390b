import { addInto, contributionDiff, withBand, type Counters } from './contribution.ts';
import type { Band } from './health.ts';
import { moveRenewalEntry, refreshAccountBand, refreshAccountMetrics, type MetricUpkeepDeps } from './upkeep.ts';
import { sameRenewal } from './renewal-index.ts';

/** Contributions read together: BatchGetItem's limit. */
export const BAND_BATCH = 100;
const IN_FLIGHT = 8;

/**
 * Many accounts' band changes from one scoring batch, counted in the aggregates together: one batch
 * read of their contributions, each contribution stored on its version as in `refreshAccountBand`,
 * then their differences summed into one update per aggregate item (a band move touches the book
 * item of each cut: five a change when applied one by one). A contribution whose version moved
 * meanwhile (a racing upkeep) and an account without one yet go through the one-account path.
 *
 * Exact under retries: a repeated call finds each contribution already at its band and adds nothing.
 * What a crash costs: before this call, nothing is lost that the account's next band change or any
 * refresh of its sources does not repair (its contribution still holds the old band, and the next
 * difference is taken from it); between storing the contributions and the one update per item, the
 * batch's moves are missing from the aggregates until `tend metrics rebuild` (the same window the
 * one-account path has, per account).
 */
export async function refreshAccountBands(deps: MetricUpkeepDeps, changes: Map<string, Band>): Promise<number> {
  const ids = [...changes.keys()];
  const stored = deps.aggregates.contributions
    ? await deps.aggregates.contributions(ids)
    : new Map(await Promise.all(ids.map(async (id) => [id, await deps.aggregates.contribution(id)] as const)));
  const total = new Map<string, Counters>();
  const alone: string[] = [];
  const uncounted: string[] = [];
  const save = async (id: string) => {
    const { contribution, version } = stored.get(id) ?? { version: 0 };
    if (!contribution) return void uncounted.push(id);
    const next = withBand(contribution, changes.get(id)!);
    const diff = contributionDiff(contribution, next);
    if (diff.size === 0 && sameRenewal(contribution.renewal, next.renewal)) return;
    // The renewal index entry carries the band too: moved before the save, as the one-account path does (upkeep.ts).
    await moveRenewalEntry(deps, contribution, next);
    if (await deps.aggregates.saveContribution(id, next, version)) addInto(total, diff);
    else alone.push(id);
  };
  for (let i = 0; i < ids.length; i += IN_FLIGHT) await Promise.all(ids.slice(i, i + IN_FLIGHT).map(save));
  if (total.size) await deps.aggregates.add(total);
  // Counted from its sources (which hold the score's band); raced: again from what the other upkeep stored.
  for (const id of uncounted) await refreshAccountMetrics(deps, id);
  for (const id of alone) await refreshAccountBand(deps, id, changes.get(id)!);
  return total.size;
}

/**
 * The band changes of a scoring run, buffered and counted `BAND_BATCH` at a time (and whatever is
 * left when the run calls `flush`: core/scoring.ts does at the end of each shard). The latest band
 * of an account wins: its contribution moves once, from the band it last counted.
 */
export function bandChangeBatch(deps: MetricUpkeepDeps) {
  let pending = new Map<string, Band>();
  const flush = async () => {
    if (!pending.size) return;
    const changes = pending;
    pending = new Map();
    await refreshAccountBands(deps, changes);
  };
  return {
    changed: async (accountId: string, band: Band) => {
      pending.delete(accountId);
      pending.set(accountId, band);
      if (pending.size >= BAND_BATCH) await flush();
    },
    flush,
  };
}
