import { ConflictError } from '../errors.ts';
import { addInto, contributionDiff, contributionOf, entriesOf, withBand, type Contribution, type Counters } from './contribution.ts';
import type { Band } from './health.ts';
import { sameRenewal } from './renewal-index.ts';
import type { MetricAggregateRepo, MetricSourceReader } from './sources.ts';

export interface MetricUpkeepDeps {
  sources: MetricSourceReader;
  aggregates: MetricAggregateRepo;
}

const MAX_ATTEMPTS = 8;

/**
 * Moves the renewal index entry, then stores `next` if the stored contribution is still at the
 * version read, then adds the difference to the aggregate items: how many aggregate items moved,
 * or undefined when another upkeep stored one since (the caller retries). Nothing moved: nothing written.
 * The entry moves first: a failure there leaves the stored contribution as it was, so the next
 * upkeep of the account sees the same move to make and makes it (put and delete are idempotent);
 * moved after the save, a failure would leave the entry stale with nothing left to repair it.
 */
async function apply(deps: MetricUpkeepDeps, accountId: string, stored: { contribution?: Contribution; version: number }, next: Contribution | undefined) {
  const diff = contributionDiff(stored.contribution, next);
  if (diff.size === 0 && sameRenewal(stored.contribution?.renewal, next?.renewal)) return 0;
  await moveRenewalEntry(deps, stored.contribution, next);
  if (!(await deps.aggregates.saveContribution(accountId, next, stored.version))) return undefined;
  if (diff.size) await deps.aggregates.add(diff);
  return diff.size;
}

/** The renewal index entry moved from what `before` recorded to what `next` does (nothing when the same). */
export async function moveRenewalEntry(deps: MetricUpkeepDeps, before: Contribution | undefined, next: Contribution | undefined) {
  if (!sameRenewal(before?.renewal, next?.renewal)) await deps.aggregates.moveRenewal(before?.renewal, next?.renewal);
}

/**
 * Brings the aggregates up to date with one account's sources, after a write to them: its new
 * contribution minus the one last stored is added to the items that move. Idempotent: a replayed
 * or repeated call finds no difference and writes nothing. The contribution is read before the
 * sources and stored only if still at the version read, so of two racing upkeeps the later
 * retries on what the first stored. Between storing the contribution and adding its difference
 * a crash loses the difference: `tend metrics rebuild` heals it (docs/metrics.md).
 */
export async function refreshAccountMetrics(deps: MetricUpkeepDeps, accountId: string): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await deps.aggregates.contribution(accountId);
    const sources = await deps.sources.load(accountId);
    const next = sources && contributionOf(sources);
    const moved = await apply(deps, accountId, stored, next);
    if (moved !== undefined) return moved;
  }
  throw new ConflictError(`the metrics of account "${accountId}" changed ${MAX_ATTEMPTS} times while being brought up to date`);
}

/** Accounts refreshed side by side in `refreshAccountsMetrics`. */
const IN_FLIGHT = 8;

/**
 * Many accounts' refreshes after one batch write (a survey batch, revenue points), counted in the
 * aggregates together: one batch read of their contributions, each account's sources read and its
 * contribution stored on its version as in `refreshAccountMetrics`, then their differences summed
 * into one update per aggregate item (accounts of a segment, a month or a plan move the same
 * items: one account's answer moves fifteen aggregates, stored in five items: data/metric-layout.ts). A contribution whose version moved meanwhile
 * (a racing upkeep) goes through the one-account path, which reads it again.
 *
 * A failure of one account (its sources' read, its save) is reported through `onError` and does not
 * keep the others' differences out of the aggregates. What a crash costs is what the one-account
 * path's costs, for the batch: after the contributions are stored and before the one update per
 * item, the batch's moves are missing until `tend metrics rebuild`. A failed update of the items is
 * reported for each account it counted, and the accounts that lost a race are still refreshed.
 */
export async function refreshAccountsMetrics(deps: MetricUpkeepDeps, accountIds: string[], onError: (accountId: string, err: unknown) => void) {
  const ids = [...new Set(accountIds)];
  const alone = async (id: string) => {
    try {
      await refreshAccountMetrics(deps, id);
    } catch (err) {
      onError(id, err);
    }
  };
  if (ids.length < 2 || !deps.aggregates.contributions) {
    for (let i = 0; i < ids.length; i += IN_FLIGHT) await Promise.all(ids.slice(i, i + IN_FLIGHT).map(alone));
    return;
  }
  const stored = await deps.aggregates.contributions(ids);
  const total = new Map<string, Counters>();
  const raced: string[] = [];
  const counted: string[] = [];
  const save = async (id: string) => {
    try {
      const before = stored.get(id) ?? { version: 0 };
      const sources = await deps.sources.load(id);
      const next = sources && contributionOf(sources);
      const diff = contributionDiff(before.contribution, next);
      if (diff.size === 0 && sameRenewal(before.contribution?.renewal, next?.renewal)) return;
      await moveRenewalEntry(deps, before.contribution, next);
      if (await deps.aggregates.saveContribution(id, next, before.version)) {
        addInto(total, diff);
        counted.push(id);
      } else raced.push(id);
    } catch (err) {
      onError(id, err);
    }
  };
  for (let i = 0; i < ids.length; i += IN_FLIGHT) await Promise.all(ids.slice(i, i + IN_FLIGHT).map(save));
  // Not retried: ADD is not idempotent, and some items may have moved. The accounts are reported
  // (`tend metrics rebuild` heals them), and those that lost a race still get their own refresh.
  if (total.size)
    await deps.aggregates.add(total).catch((err: unknown) => {
      for (const id of counted) onError(id, err);
    });
  for (const id of raced) await alone(id);
}

/**
 * A band change from scoring: only the account's book item moves, so the stored contribution is
 * enough (1 read instead of 5); an account without one yet gets the full refresh.
 */
export async function refreshAccountBand(deps: MetricUpkeepDeps, accountId: string, band: Band): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await deps.aggregates.contribution(accountId);
    if (!stored.contribution) return refreshAccountMetrics(deps, accountId);
    const next = withBand(stored.contribution, band);
    const moved = await apply(deps, accountId, stored, next);
    if (moved !== undefined) return moved;
  }
  throw new ConflictError(`the metrics of account "${accountId}" changed ${MAX_ATTEMPTS} times while its band was being counted`);
}

/** Every aggregate recomputed from the source items (the sum of every account's contribution) and written over the old. */
export async function rebuildMetrics(deps: MetricUpkeepDeps) {
  const items = new Map<string, Counters>();
  const contributions: [string, Contribution][] = [];
  for await (const page of deps.sources.all())
    for (const s of page) {
      const c = contributionOf(s);
      addInto(items, entriesOf(c));
      contributions.push([s.account.accountId, c]);
    }
  const { written, deleted, renewals } = await deps.aggregates.replaceAll(items, contributions);
  return { accounts: contributions.length, items: written, deleted, renewals };
}
