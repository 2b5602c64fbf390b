import { DAY_MS, type Clock } from '../clock.ts';
import type { AccountRepo, Counters, PlayRunner, RunRepo, TendEvent } from '../ports.ts';
import type { Account, RunRecord } from '../types.ts';
import type { PlayDefinition } from './definition.ts';
import { anchorOf, cycleOf, executionName } from './schedule.ts';

export interface TriggerDeps {
  clock: Clock;
  plays: Record<string, PlayDefinition>;
  accounts: AccountRepo;
  runs: RunRepo;
  runner: PlayRunner;
  counters?: Counters;
}

export type StartOutcome =
  | { play: string; outcome: 'started'; executionName: string }
  | { play: string; outcome: 'already-started' | 'live-run' | 'cooling-down' | 'not-eligible'; detail: string };

/**
 * Starts a play for an account, idempotently: the execution name is fixed by account, play and
 * cycle (Step Functions refuses a second start of it), a cycle that already has a run is not
 * run again, a run inside the play's cool-down is not started, and the live-run lock keeps a
 * second run of the play from starting while one is live.
 */
export async function startPlay(deps: TriggerDeps, play: PlayDefinition, account: Account, trigger: RunRecord['trigger']): Promise<StartOutcome> {
  const plan = planStart(play, account, trigger);
  if ('outcome' in plan) return plan;
  // The latest run (newest cycle first, one item read however many runs the play has had) is the cool-down's
  // reference and, most often, tells whether the cycle has a run: it is that run, or it is older and the cycle
  // has none. Only a latest run newer than the cycle leaves it unknown: then the cycle's run is read by its key.
  const latest = await deps.runs.latest(account.id, play.id);
  const existing = !latest || latest.cycle < plan.cycle ? undefined : latest.cycle === plan.cycle ? latest : await deps.runs.get(plan.ref);
  return startPlanned(deps, plan, existing, { latest });
}

/** A start that passed the checks needing no reads: the run it would be. */
interface PlannedStart {
  play: PlayDefinition;
  account: Account;
  trigger: RunRecord['trigger'];
  anchor: string;
  cycle: string;
  name: string;
  ref: { accountId: string; play: string; cycle: string };
}

/** The checks of `startPlay` that read nothing (eligibility, anchor, the play not all past), and the run's cycle. */
function planStart(play: PlayDefinition, account: Account, trigger: RunRecord['trigger']): PlannedStart | StartOutcome {
  const no = (outcome: Exclude<StartOutcome['outcome'], 'started'>, detail: string): StartOutcome => ({ play: play.id, outcome, detail });
  if (account.status === 'churned') return no('not-eligible', 'account churned');
  if (play.segments && !play.segments.includes(account.segment)) return no('not-eligible', `segment ${account.segment}`);
  const anchor = anchorOf(play, account, trigger.at);
  if (!anchor) return no('not-eligible', `no ${play.anchor}`);
  // An imported customer is not onboarded, a renewal already past is not run: a run whose every
  // step is long past would only catch up on stale steps.
  const last = play.steps[play.steps.length - 1]!;
  const lastAt = new Date(anchor).getTime() + (last.day + (last.watch?.giveUpAfterDays ?? 0)) * DAY_MS + last.hour * 3_600_000 + last.graceHours * 3_600_000;
  if (lastAt < new Date(trigger.at).getTime()) return no('not-eligible', `every step of the play is past (its ${play.anchor} is ${anchor})`);
  const cycle = cycleOf(anchor);
  const name = executionName(play.id, account.id, cycle);
  return { play, account, trigger, anchor, cycle, name, ref: { accountId: account.id, play: play.id, cycle } };
}

/** The rest of `startPlay`, given the run of the cycle as read (`existing`), and the latest run when read with it. */
async function startPlanned(deps: TriggerDeps, planned: PlannedStart, existing: RunRecord | undefined, read?: { latest?: RunRecord }): Promise<StartOutcome> {
  const { play, account, trigger, anchor, cycle, name } = planned;
  const no = (outcome: Exclude<StartOutcome['outcome'], 'started'>, detail: string): StartOutcome => ({ play: play.id, outcome, detail });
  if (existing) return no('already-started', `cycle ${cycle} has a run`);
  const previous = read ? read.latest : await deps.runs.latest(account.id, play.id);
  if (
    previous &&
    play.cooldownDays > 0 &&
    new Date(trigger.at).getTime() - new Date(previous.startedAt).getTime() < play.cooldownDays * DAY_MS &&
    previous.executionName !== name
  ) {
    return no('cooling-down', `last run started ${previous.startedAt}; cool-down ${play.cooldownDays} days`);
  }
  const holder = { executionName: name, cycle, at: deps.clock.now().toISOString() };
  let lock = await deps.runs.claimLive(account.id, play.id, holder);
  if (!lock.held && !(await deps.runner.isRunning(play.id, lock.by.executionName))) {
    // The lock outlived its run: the execution timed out or was stopped outside Tend, so no
    // task recorded the end. Record it, free the lock and take it.
    const stale = lock.by;
    await deps.runs.finish(
      { accountId: account.id, play: play.id, cycle: stale.cycle },
      'failed',
      deps.clock.now(),
      'its execution ended without recording an end (timed out or stopped outside Tend)',
    );
    await deps.runs.releaseLive(account.id, play.id, stale.executionName);
    lock = await deps.runs.claimLive(account.id, play.id, holder);
  }
  if (!lock.held) return no('live-run', `${lock.by.executionName} is live`);
  try {
    await deps.runner.start(play.id, name, { accountId: account.id, play: play.id, cycle, anchor, trigger });
  } catch (err) {
    // Not started: give the lock back, so the retry (or the next trigger) can start it.
    await deps.runs.releaseLive(account.id, play.id, name);
    throw err;
  }
  deps.counters?.count('PlaysStarted');
  return { play: play.id, outcome: 'started', executionName: name };
}

/** The plays an event starts. */
export function playsFor(plays: Record<string, PlayDefinition>, event: Pick<TendEvent, 'type' | 'detail'>): PlayDefinition[] {
  return Object.values(plays).filter((p) => {
    const t = p.trigger;
    if (t.on !== event.type) return false;
    if (t.on === 'tier.changed') return t.to.includes(event.detail.band as never) && event.detail.fromBand !== event.detail.band;
    if (t.on === 'flag.started') return t.flags.includes(event.detail.flag as string);
    return true;
  });
}

/** An event from Tend's bus: starts the plays it triggers; a churned account ends every live run. */
export async function onEvent(deps: TriggerDeps, event: Pick<TendEvent, 'type' | 'accountId' | 'at' | 'detail'>): Promise<StartOutcome[]> {
  if (event.type === 'account.churned') {
    await stopAll(deps, event.accountId, 'churned');
    return [];
  }
  const plays = playsFor(deps.plays, event);
  if (plays.length === 0) return [];
  const account = await deps.accounts.get(event.accountId);
  if (!account) return plays.map((p) => ({ play: p.id, outcome: 'not-eligible', detail: 'account not found' }));
  const out: StartOutcome[] = [];
  for (const play of plays) out.push(await startPlay(deps, play, account, { on: event.type, at: event.at, detail: event.detail }));
  return out;
}

/** Ends every live run of an account (it churned): stops the executions and records why. */
export async function stopAll(deps: TriggerDeps, accountId: string, reason: string): Promise<number> {
  const live = await deps.runs.live(accountId);
  for (const l of live) {
    await deps.runner.stop(l.play, l.executionName, reason);
    await deps.runs.finish({ accountId, play: l.play, cycle: l.cycle }, 'exited', deps.clock.now(), reason);
    await deps.runs.releaseLive(accountId, l.play, l.executionName);
  }
  return live.length;
}

/**
 * Whether the daily sweep should start a date-anchored play for an account today: its date is
 * within the play's window (renewals `daysBefore` ahead), or, for plays that count from the start
 * date, the account is still inside the play's span (a missed `account.created` is caught here).
 */
export function sweepDue(play: PlayDefinition, account: Account, now: Date): boolean {
  const t = play.trigger;
  if (t.on === 'date') {
    const date = account[t.field];
    if (!date) return false;
    const daysLeft = (new Date(date).getTime() - now.getTime()) / DAY_MS;
    return daysLeft > 0 && daysLeft <= t.daysBefore;
  }
  if (play.anchor === 'startDate') {
    const age = (now.getTime() - new Date(account.startDate).getTime()) / DAY_MS;
    return age >= 0 && age <= Math.max(...play.steps.map((s) => s.day));
  }
  return false;
}

/** The daily sweep over one shard of accounts: starts what is due, counts what it did. */
export function sweepShard(deps: TriggerDeps, shard: number): Promise<Record<string, number>> {
  return sweepShards(deps, [shard]);
}

/** How many planned starts wait for their runs' read: one BatchGetItem's worth (`RunRepo.getMany` reads 100 keys a request). */
export const SWEEP_BATCH = 100;

/**
 * The daily sweep over shards of accounts, in order: starts what is due, counts what it did. The
 * due accounts' runs are read in batches of `SWEEP_BATCH` across pages and shards (most already
 * have their cycle's run), so a run of small shards costs one read per hundred due accounts, not
 * one per shard, and at most a batch of planned starts is held at a time.
 */
export async function sweepShards(deps: TriggerDeps, shards: number[]): Promise<Record<string, number>> {
  const now = deps.clock.now();
  const swept = Object.values(deps.plays).filter((p) => p.trigger.on === 'date' || p.anchor === 'startDate');
  const counts: Record<string, number> = {};
  const count = (r: StartOutcome) => (counts[`${r.play}:${r.outcome}`] = (counts[`${r.play}:${r.outcome}`] ?? 0) + 1);
  let planned: PlannedStart[] = [];
  const flush = async () => {
    const batch = planned;
    planned = [];
    if (!batch.length) return;
    const existing = await deps.runs.getMany(batch.map((p) => p.ref));
    for (const [i, plan] of batch.entries()) count(await startPlanned(deps, plan, existing[i]));
  };
  for (const shard of shards) {
    for await (const page of deps.accounts.list(shard)) {
      for (const account of page) {
        for (const play of swept) {
          if (!sweepDue(play, account, now)) continue;
          const plan = planStart(play, account, { on: play.trigger.on === 'date' ? 'date' : 'sweep', at: now.toISOString() });
          if ('outcome' in plan) count(plan);
          else planned.push(plan);
        }
      }
      if (planned.length >= SWEEP_BATCH) await flush();
    }
  }
  await flush();
  return counts;
}
