import { dayOf, type Clock } from './clock.ts';
import { recordFirstValue } from './first-value.ts';
import type { AccountRepo, DirtyAccounts, EventPublisher, ScoreRepo, ScoringInputs } from './ports.ts';
import type { Account, StoredScore } from './types.ts';
import { tallyAccount, type HealthDayRepo, type ScoredAccount } from './metrics/health-days.ts';
import { planOf } from './plan.ts';
import type { Counters } from './metrics/contribution.ts';
import { decideScore, oldestUsageDay, type ScoringPolicy } from './score/decide.ts';
import { DEFAULT_WINDOWS } from './score/derive.ts';
import { userActivation } from './metrics/activation.ts';
import { bookOf, stateOf, type ScoreState, type ScoreStateRepo } from './metrics/score-states.ts';
import type { ScoredToday, ScoredTodayRepo } from './scored-today.ts';

export type { ScoringPolicy } from './score/decide.ts';

export interface ScoringDeps extends ScoringPolicy {
  clock: Clock;
  /** The one Query per account (functions/data/scoring-inputs.ts). */
  inputs: ScoringInputs;
  scores: ScoreRepo;
  accounts: Pick<AccountRepo, 'reachMilestone' | 'listIds'> & Partial<Pick<AccountRepo, 'list'>>;
  events: EventPublisher;
  /** Moves the account in the metric aggregates when its band changes (never per score: docs/metrics.md). */
  bandChanged?: (accountId: string, band: 'green' | 'yellow' | 'red' | 'unscored') => Promise<unknown>;
  onError?: (accountId: string, err: unknown) => void;
  /** The daily run's per-shard health tallies (health over time, docs/metrics.md); may be buffered until `flush`. */
  healthDays?: Pick<HealthDayRepo, 'put'>;
  /** Writes what the repositories above buffered (band moves, timeline entries, the daily run's tallies and states): called at the end of a run. */
  flush?: () => Promise<unknown>;
  /** The weekly review's score states: the daily run's per shard (may be buffered until `flush`), the rescorings' per batch (docs/metrics.md). */
  scoreStates?: Pick<ScoreStateRepo, 'put' | 'log'>;
  /** What the rescorings scored today, per shard: the daily run reads it (with `accounts.list`) instead of each account it holds (core/scored-today.ts). */
  scoredToday?: ScoredTodayRepo;
}

/** The run's buffered writes: a failure is logged and the scores stand (`tend metrics rebuild` heals the aggregates). */
const flushBuffered = (deps: ScoringDeps) =>
  deps
    .flush?.()
    .catch((err: unknown) =>
      deps.onError?.('(batch)', new Error('buffered writes after scoring failed (tend metrics rebuild heals the metrics)', { cause: err })),
    );

/** `arr` (paid ARR, trials 0) and `activation` (known and active people): for the daily run's health tally. */
type Tallied = { arr: number; activation: { known: number; active: number }; groups?: ScoredAccount['groups']; state?: ScoreState };
export type ScoringOutcome =
  (StoredScore & { written: boolean } & Tallied) | ({ skipped: true; tier: string | null; band: StoredScore['band']; score: number | null } & Tallied);

/** The account's groups in the health series' cuts: as the metric aggregates group it (sources.ts). */
const healthGroupsOf = (account: Account & { owner?: string }) => ({ segment: account.segment, plan: planOf(account), owner: account.owner || 'none' });
const paidArr = (account: Account | undefined) => (account?.status === 'trial' ? 0 : (account?.arr ?? 0));

/**
 * Scores one account: one read, the pure decision (score/decide.ts), then at most one write and
 * the events. `oncePerDay` (the daily run) skips an account the rescoring already scored today.
 * The score returned has no reason text (`text` is empty): `scores.get` rebuilds it.
 */
export async function scoreAccount(deps: ScoringDeps, accountId: string, options: { oncePerDay?: boolean } = {}): Promise<ScoringOutcome | undefined> {
  const now = deps.clock.now();
  const input = await deps.inputs.load(accountId, oldestUsageDay(deps, now));
  const decision = decideScore(deps, input, now, options);
  if (decision.kind === 'none') return undefined;
  // User activation over the usage window, from what was read anyway (docs/metrics.md, "User activation").
  const { known, active } = userActivation({
    contacts: input.contacts,
    usage: input.days,
    asOf: dayOf(now),
    days: (deps.windows ?? DEFAULT_WINDOWS).usageDays,
  });
  const tallied: Tallied = { arr: paidArr(input.account), activation: { known, active }, ...(input.account ? { groups: healthGroupsOf(input.account) } : {}) };
  // The score item as it stands after this call, for the review's states (absent: this call cannot say, after a lost race).
  const previousState = input.previous ? { state: stateOf(input.previous, input.account) } : {};
  if (decision.kind === 'scored-today') return { skipped: true, tier: decision.tier, band: decision.band, score: decision.score, ...tallied, ...previousState };
  const { stored, write } = decision;
  if (write) {
    // Events go out only after the score (with its flags) is stored: a crash in between re-raises
    // nothing on the next run, because the stored flags already hold the change.
    // A run that lost a race with another (a retried schedule) publishes nothing: the winner did.
    const won = await deps.scores.put(stored, { previousComputedAt: input.previous?.computedAt, listing: input.listing, account: input.account });
    if (!won) return { ...stored, written: false, ...tallied };
    if (decision.events.length) await deps.events.publish(decision.events);
    // The score stands whatever the metrics' upkeep does: a failure is logged, and `tend metrics rebuild` heals it.
    if ((stored.band ?? null) !== (input.previous?.band ?? null))
      await deps
        .bandChanged?.(accountId, stored.band ?? 'unscored')
        .catch((err: unknown) =>
          deps.onError?.(accountId, new Error('metrics upkeep after a band change failed (tend metrics rebuild heals it)', { cause: err })),
        );
  }
  // First value has one owner (first-value.ts): recorded once, announced by the call that recorded
  // it; also by a rescoring that stores nothing new, so time to first value is not a day late.
  if (decision.firstValue && deps.firstValue)
    await recordFirstValue({ accounts: deps.accounts, events: deps.events, firstValue: deps.firstValue }, input.account!, decision.firstValue, now);
  return { ...stored, written: write, ...tallied, ...(write ? { state: stateOf(stored, input.account) } : previousState) };
}

/** A shard named twice (an operator's list) is done once: a batch refuses a key twice, and an account is scored once a run. */
const distinct = (shards: number[]) => [...new Set(shards)];

/**
 * Rescores the accounts marked with new data in buckets of hours that have ended, then deletes
 * those marks: every account with news is rescored soon, once, not per event. Only the flagged
 * shards are queried: an hour without news costs one read of the flags and no Query.
 */
export async function rescoreDirty(
  deps: ScoringDeps & { dirty: DirtyAccounts },
  shards: number[],
  concurrency = 8,
): Promise<{ rescored: number; written: number }> {
  let rescored = 0;
  let written = 0;
  const states: ScoreState[] = [];
  const kept: ScoredToday[] = [];
  const now = deps.clock.now();
  const read = await deps.dirty.closed(distinct(shards), now);
  // Accounts whose marks stay (their scoring failed, or the record was not written): the next run retries them.
  const failed = new Set<string>();
  for (const { accountIds } of read) {
    for (let i = 0; i < accountIds.length; i += concurrency) {
      await Promise.all(
        accountIds.slice(i, i + concurrency).map(async (accountId) => {
          let outcome: ScoringOutcome | undefined;
          try {
            outcome = await scoreAccount(deps, accountId);
          } catch (err) {
            deps.onError?.(accountId, err);
            failed.add(accountId);
            return;
          }
          rescored++;
          if (outcome?.state) kept.push({ state: outcome.state, activation: outcome.activation });
          if (outcome && 'written' in outcome && outcome.written) {
            written++;
            if (outcome.state) states.push(outcome.state);
          }
        }),
      );
    }
  }
  await flushBuffered(deps);
  // One log write per batch, not per account; a failure leaves the review on the daily states (docs/metrics.md).
  if (states.length && deps.scoreStates)
    await deps.scoreStates.log(states).catch((err: unknown) => deps.onError?.('*', new Error('logging the score states failed', { cause: err })));
  // The record first, then the marks: the daily run trusts a record only for an account without a
  // mark (scoreShards), so a rescoring whose record was not written keeps its marks, and the daily
  // run reads those accounts rather than an older record of the day.
  const recorded =
    !kept.length || !deps.scoredToday
      ? true
      : await deps.scoredToday.record(kept).then(
          () => true,
          (err: unknown) => (deps.onError?.('*', new Error('recording the accounts scored today failed', { cause: err })), false),
        );
  if (read.length) await deps.dirty.clear(read, recorded ? failed : new Set(read.flatMap((r) => r.accountIds)), now);
  return { rescored, written };
}

/**
 * Scores every account of the given shards once a day, a few at a time: how many were scored,
 * and per tier. Accounts the rescoring already scored today keep that score (counted as scored).
 */
export async function scoreShards(
  deps: ScoringDeps,
  shards: number[],
  concurrency = 8,
): Promise<{ scored: number; failed: number; skipped: number; tiers: Record<string, number> }> {
  const tiers: Record<string, number> = {};
  let scored = 0;
  let failed = 0;
  let skipped = 0;
  const day = dayOf(deps.clock.now());
  for (const shard of distinct(shards)) {
    const health: Counters = {};
    const states: ScoreState[] = [];
    const unknown: string[] = [];
    const recorded = await recordsOfToday(deps, day, shard);
    for await (const page of shardPages(deps, shard, !!recorded?.size)) {
      for (let i = 0; i < page.length; i += concurrency) {
        // One account's failure is logged and counted; the rest of the shard is still scored.
        const batch = await Promise.all(
          page.slice(i, i + concurrency).map(({ id, account }) => {
            const record = account && recorded?.get(id);
            if (record && account.status !== 'churned') return keptToday(record, account);
            return scoreAccount(deps, id, { oncePerDay: true }).catch((err: unknown) => (failed++, unknown.push(id), deps.onError?.(id, err), undefined));
          }),
        );
        for (const [k, s] of batch.entries()) {
          if (s?.state) states.push(s.state);
          else if (s) unknown.push(page[i + k]!.id);
          if (!s) continue;
          scored++;
          tallyAccount(health, s);
          if ('skipped' in s) skipped++;
          tiers[s.tier ?? 'unscored'] = (tiers[s.tier ?? 'unscored'] ?? 0) + 1;
        }
      }
    }
    // Set, not added: a retried batch overwrites its shards' items rather than counting them twice.
    if (deps.healthDays && Object.keys(health).length) await deps.healthDays.put(day, shard, health);
    await deps.scoreStates?.put(day, shard, states, unknown);
  }
  // The shards' tallies and states may be buffered with the run's other writes (data/scoring-writes.ts):
  // a failed flush fails the run, whose retry (the Step Functions task's) writes them again.
  await deps.flush?.().catch((err: unknown) => {
    deps.onError?.(
      '(batch)',
      new Error("the run's buffered writes failed (health tallies, score states, timeline, band moves): the run is retried", { cause: err }),
    );
    throw err;
  });
  if (failed > 0 && failed >= scored) throw new Error(`scoring failed for ${failed} of ${failed + scored} accounts`);
  return { scored, failed, skipped, tiers };
}

/**
 * The rescorings' records of the day for a shard, less the accounts marked since (a rescoring that
 * failed, or whose record was not written, keeps its marks: its record, if any, is older than the
 * stored score). Undefined (read every account) without records, or when reading them failed: the
 * records only save reads.
 */
async function recordsOfToday(deps: ScoringDeps, day: string, shard: number): Promise<Map<string, ScoredToday> | undefined> {
  if (!deps.scoredToday || !deps.accounts.list) return undefined;
  try {
    return await deps.scoredToday.read(day, shard);
  } catch (err) {
    deps.onError?.('*', new Error(`reading the records of accounts scored today failed (shard ${shard}): its accounts are read`, { cause: err }));
    return undefined;
  }
}

/** A shard's accounts, page by page: whole (listed from the same index, no more reads) when records of today are to be matched, else ids. */
async function* shardPages(deps: ScoringDeps, shard: number, whole: boolean): AsyncIterable<{ id: string; account?: Account }[]> {
  if (whole && deps.accounts.list) for await (const accounts of deps.accounts.list(shard)) yield accounts.map((account) => ({ id: account.id, account }));
  else for await (const ids of deps.accounts.listIds(shard)) yield ids.map((id) => ({ id }));
}

/**
 * What `scoreAccount` with `oncePerDay` returns for an account a rescoring scored today, from that
 * rescoring's record and the account as listed: its score and people then, its ARR and groups now.
 */
function keptToday(record: ScoredToday, account: Account): ScoringOutcome {
  const { state, activation } = record;
  return {
    skipped: true,
    tier: state.tier,
    band: state.band,
    score: state.score,
    arr: paidArr(account),
    activation,
    groups: healthGroupsOf(account),
    state: { ...state, book: bookOf(account) },
  };
}
