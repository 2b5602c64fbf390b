import { DAY_MS } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { recordFirstValue } from '../first-value.ts';
import type { HoldoutRepo, RunRepo, RunRef } from '../ports.ts';
import type { Account, ActionOutcome, RunRecord, RunStep } from '../types.ts';
import { perform, resolveActions, variantKey, type ActionDeps } from './actions.ts';
import { assign, pickVariant, type Assignment } from './holdout.ts';
import { describeCondition, holds, readsTasks } from './conditions.ts';
import { asList } from './as-list.ts';
import type { PlayDefinition, PlayStep } from './definition.ts';
import { planRun, scheduleKey } from './schedule.ts';
import { loadSnapshot, stepMayEmail, stepReadsUsage, usageFromFor, type LoadedStep, type SnapshotDeps, type StepItems } from './snapshot.ts';
import { playById } from './play-by-id.ts';
import { outcomeGroupsOf } from '../metrics/outcome-cuts.ts';

export interface PlayDeps extends Omit<ActionDeps, 'accounts'>, SnapshotDeps {
  plays: Record<string, PlayDefinition>;
  runs: RunRepo;
  /** A step's run, account and score in one read (functions/data/step-items.ts); absent: the run, then the account and score, read apart. */
  stepItems?: StepItems;
  /** Plays with a holdout read whether an admin ended it (docs/holdouts.md); absent: never ended. */
  holdouts?: Pick<HoldoutRepo, 'ended'>;
}

/** How often a paused run looks again whether it was resumed. */
export const PAUSE_RECHECK_HOURS = 6;

/** What the state machine does after a task: go on to the next step, wait and run this step again, or end. */
export type Route = { route: 'next' } | { route: 'wait'; until: string; reason: string } | { route: 'exit'; reason: string };

export interface RunInput {
  play: string;
  accountId: string;
  cycle: string;
  executionName: string;
}

function playOf(deps: PlayDeps, id: string): PlayDefinition {
  const play = playById(deps.plays, id);
  if (!play) throw new NotFoundError(`play "${id}" is not in the configuration`);
  return play;
}

function stepOf(play: PlayDefinition, id: string): PlayStep {
  const step = play.steps.find((s) => s.id === id);
  if (!step) throw new NotFoundError(`play "${play.id}" has no step "${id}"`);
  return step;
}

const refOf = (input: RunInput): RunRef => ({ accountId: input.accountId, play: input.play, cycle: input.cycle });

function nextAfter(play: PlayDefinition, schedule: Record<string, string>, stepId: string | undefined): RunRecord['next'] {
  const i = stepId === undefined ? 0 : play.steps.findIndex((s) => s.id === stepId) + 1;
  const step = play.steps[i];
  return step ? { step: step.id, at: schedule[scheduleKey(step.id)]! } : null;
}

/**
 * First task of a run: takes the live-run lock (never two live runs of a play for an account; a
 * run the starter started finds it taken for its execution already),
 * plans every step's time from the anchor and records the run. A redrive keeps what was done.
 */
export async function beginRun(
  deps: PlayDeps,
  input: RunInput & { anchor: string; trigger: RunRecord['trigger'] },
): Promise<{ route: 'next' | 'exit'; reason?: string; at: Record<string, string> }> {
  const play = playOf(deps, input.play);
  const read = deps.stepItems?.forBegin ? await deps.stepItems.forBegin(input.accountId, input.play) : undefined;
  const account = read ? read.account : await deps.accounts.get(input.accountId);
  if (!account) throw new NotFoundError(`account "${input.accountId}" not found`);
  const at = planRun(play, input.anchor);
  const now = deps.clock.now().toISOString();
  // Only a play with a holdout pays for its reads (the end record, the score for the baseline).
  const assignment = play.holdout ? await assignmentOf(deps, play, input, account) : undefined;
  const variants = variantsOf(play, input);
  // The starter took the lock for this execution before starting it: held already, nothing to write.
  const lock =
    read?.lock?.executionName === input.executionName
      ? { held: true as const }
      : await deps.runs.claimLive(input.accountId, input.play, { executionName: input.executionName, cycle: input.cycle, at: now });
  if (!lock.held) return { route: 'exit', reason: `another ${input.play} run is live (${lock.by.executionName})`, at };
  await deps.runs.begin({
    accountId: input.accountId,
    play: input.play,
    cycle: input.cycle,
    executionName: input.executionName,
    schedule: at,
    startedAt: now,
    trigger: input.trigger,
    anchor: input.anchor,
    next: nextAfter(play, at, undefined),
    // Its outcomes count under the account's groups now, whatever they become (docs/metrics.md).
    groups: outcomeGroupsOf(account),
    ...(assignment ? { assignment } : {}),
    ...(variants ? { variants } : {}),
  });
  return { route: 'next', at };
}

async function assignmentOf(deps: PlayDeps, play: PlayDefinition, input: RunInput, account: Account): Promise<Assignment> {
  const [ended, score] = await Promise.all([deps.holdouts?.ended(play.id), deps.scores.get(input.accountId)]);
  return {
    ...assign(play.holdout!, input, account, deps.clock.now(), ended?.endedAt),
    baseline: { ...(typeof score?.score === 'number' ? { score: score.score } : {}), ...(account.arr !== undefined ? { arr: account.arr } : {}) },
  };
}

/** The variant of every email action with variants, chosen when the run begins (so its outcome counts per variant from its start). */
function variantsOf(play: PlayDefinition, input: RunInput): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const step of play.steps) {
    const lists = [step.do, ...(step.choose ?? []).map((o) => o.do), step.highTouch, step.watch?.escalate, step.watch?.giveUp];
    for (const action of lists.flatMap((l) => (l ? asList(l) : [])))
      if ('email' in action && action.variants)
        out[variantKey(step.id, action.email)] ??= pickVariant(action.variants, {
          accountId: input.accountId,
          play: play.id,
          cycle: input.cycle,
          step: step.id,
        });
  }
  return Object.keys(out).length ? out : undefined;
}

async function exit(deps: PlayDeps, input: RunInput, reason: string): Promise<Route> {
  await deps.runs.finish(refOf(input), 'exited', deps.clock.now(), reason);
  await deps.runs.releaseLive(input.accountId, input.play, input.executionName);
  return { route: 'exit', reason };
}

/**
 * One step, when it is due: ends the run if the account churned or an exit condition holds;
 * holds while paused; does nothing for a step already done (a restart or redrive); skips a
 * late step whose policy says so, or one whose condition does not hold; otherwise does the
 * step's actions and records what each did.
 */
export async function runStep(deps: PlayDeps, input: RunInput & { step: string }): Promise<Route> {
  const play = playOf(deps, input.play);
  const step = stepOf(play, input.step);
  const ref = refOf(input);
  const items = deps.stepItems ? await deps.stepItems.get(ref) : undefined;
  const run = items ? items.run : await deps.runs.get(ref);
  if (!run) throw new NotFoundError(`no ${input.play} run for "${input.accountId}" (cycle ${input.cycle})`);
  if (!['running', 'paused'].includes(run.status)) return { route: 'exit', reason: `run is ${run.status}` };
  // One read of the account and at most one usage Query for the whole step, passed down to its emails;
  // none when nothing the step checks or sends reads usage and first value is recorded.
  const usageFrom = usageFromFor(step, deps.templates, deps.clock.now());
  const loaded = await loadSnapshot(deps, input.accountId, input.cycle, usageFrom, items, {
    usage: stepReadsUsage(play, step) ? 'always' : 'unless-activated',
    people: stepMayEmail(step),
  });
  const { snapshot } = loaded;
  // Only a step (or exit) whose conditions read tasks pays for the Query of the account's tasks.
  if (stepReadsTasks(play, step))
    // This run's: its cycle (a retried run's new execution still sees the tasks of the first), else its execution for older tasks.
    snapshot.runTasks = (await deps.tasks.forAccount(input.accountId)).filter(
      (t) => t.play === play.id && (t.cycle ? t.cycle === input.cycle : t.executionName === input.executionName),
    );
  const now = snapshot.now;
  await recordFirstValue(deps, snapshot.account, snapshot.usage, now);
  if (snapshot.account.status === 'churned') return exit(deps, input, 'churned');
  const exitWhen = play.exitWhen.find((e) => holds(e.when, snapshot));
  if (exitWhen) return exit(deps, input, exitWhen.reason);
  if (run.status === 'paused') return { route: 'wait', until: new Date(now.getTime() + PAUSE_RECHECK_HOURS * 3_600_000).toISOString(), reason: 'paused' };

  const prior = run.steps?.[step.id];
  const due = run.schedule[scheduleKey(step.id)] ?? now.toISOString();
  const ctx = {
    accountId: input.accountId,
    play: play.id,
    step: step.id,
    day: step.day,
    executionName: input.executionName,
    cycle: input.cycle,
    // From the run record, whatever the execution's input says (docs/holdouts.md, "Nothing leaks").
    heldOut: run.assignment?.group === 'held-out',
    variants: run.variants,
  };
  const record = (s: Omit<RunStep, 'at' | 'due'> & { at?: string }, next: RunRecord['next'] = nextAfter(play, run.schedule, step.id)) =>
    deps.runs.stepDone(ref, step.id, { at: now.toISOString(), due, ...s }, next);

  if (step.watch) return watch(deps, input, play, step, loaded, run, ctx, record);
  if (prior && (prior.outcome === 'done' || prior.outcome === 'skipped')) return { route: 'next' };

  const late = now.getTime() > new Date(due).getTime() + step.graceHours * 3_600_000;
  if (late && step.catchUp === 'skip' && prior?.outcome !== 'waiting') {
    await record({
      outcome: 'skipped',
      late: true,
      detail: `reached ${Math.round((now.getTime() - new Date(due).getTime()) / 3_600_000)} hours after it was due; this step is skipped when late`,
    });
    return { route: 'next' };
  }
  if (step.waitFor && !holds(step.waitFor.until, snapshot)) {
    const deadline = new Date(due).getTime() + step.waitFor.upToDays * DAY_MS;
    if (now.getTime() < deadline) {
      const until = new Date(Math.min(deadline, now.getTime() + step.waitFor.everyHours * 3_600_000)).toISOString();
      const reason = `waiting until ${describeCondition(step.waitFor.until)} (at most until ${new Date(deadline).toISOString().slice(0, 16)}Z)`;
      await record({ outcome: 'waiting', detail: reason }, { step: step.id, at: until });
      return { route: 'wait', until, reason };
    }
  }
  if (!holds(step.when, snapshot)) {
    await record({ outcome: 'skipped', detail: `condition not met: ${describeCondition(step.when)}` });
    return { route: 'next' };
  }
  const { actions, option } = resolveActions(step, snapshot);
  if (actions.length === 0) {
    await record({ outcome: 'skipped', detail: 'no option of the step matched' });
    return { route: 'next' };
  }
  const done = await perform(deps, loaded, ctx, actions);
  if (done.deferred) {
    await record({ outcome: 'waiting', detail: done.deferred.reason }, { step: step.id, at: done.deferred.until });
    return { route: 'wait', until: done.deferred.until, reason: done.deferred.reason };
  }
  await record({
    outcome: 'done',
    late: late || undefined,
    actions: done.outcomes,
    detail: option !== undefined && step.choose ? `option ${option + 1}: ${describeCondition(step.choose[option]!.when)}` : undefined,
  });
  return { route: 'next' };
}

function stepReadsTasks(play: PlayDefinition, step: PlayStep): boolean {
  return [step.when, step.waitFor?.until, ...(step.choose ?? []).map((o) => o.when), ...play.exitWhen.map((e) => e.when)].some(readsTasks);
}

/** A watch step: checked every `everyDays`; escalates once after a while, gives up gracefully at the end. */
async function watch(
  deps: PlayDeps,
  input: RunInput,
  play: PlayDefinition,
  step: PlayStep,
  loaded: LoadedStep,
  run: RunRecord,
  ctx: Parameters<typeof perform>[2],
  record: (s: Omit<RunStep, 'at' | 'due'> & { at?: string }, next?: RunRecord['next']) => Promise<void>,
): Promise<Route> {
  const w = step.watch!;
  const prior = run.steps?.[step.id];
  const now = loaded.snapshot.now;
  const since = prior?.at ?? now.toISOString();
  // Escalation and giving up count from the run's start (the trigger), not the first check.
  const days = (now.getTime() - new Date(run.startedAt).getTime()) / DAY_MS;
  const outcomes: ActionOutcome[] = [...(prior?.actions ?? [])];
  let escalatedAt = prior?.escalatedAt;
  if (w.escalateAfterDays !== undefined && !escalatedAt && days >= w.escalateAfterDays && w.escalate) {
    outcomes.push(...(await perform(deps, loaded, { ...ctx, label: 'escalate' }, asList(w.escalate))).outcomes);
    escalatedAt = now.toISOString();
  }
  const checks = (prior?.checks ?? 0) + 1;
  if (days >= w.giveUpAfterDays) {
    if (w.giveUp) outcomes.push(...(await perform(deps, loaded, { ...ctx, label: 'give-up' }, asList(w.giveUp))).outcomes);
    await record({ outcome: 'done', at: since, checks, escalatedAt, actions: outcomes, detail: `not recovered after ${w.giveUpAfterDays} days` }, null);
    return exit(deps, input, 'gave-up');
  }
  const until = new Date(now.getTime() + w.everyDays * DAY_MS).toISOString();
  await record(
    {
      outcome: 'watching',
      at: since,
      checks,
      escalatedAt,
      actions: outcomes.length ? outcomes : undefined,
      detail: `check ${checks}: ${play.exitWhen.map((e) => `${e.reason} when ${describeCondition(e.when)}`).join('; ') || 'watching'}`,
    },
    { step: step.id, at: until },
  );
  return { route: 'wait', until, reason: 'watching' };
}

/** Last task of a run that went through every step. */
export async function completeRun(deps: PlayDeps, input: RunInput) {
  await deps.runs.finish(refOf(input), 'completed', deps.clock.now());
  await deps.runs.releaseLive(input.accountId, input.play, input.executionName);
  return { status: 'completed' };
}

/** Where every Catch ends: the step being run is recorded as failed with the error, never a silent gap. */
export async function failRun(deps: PlayDeps, input: RunInput & { error?: { Error?: string; Cause?: string } }) {
  const ref = refOf(input);
  const run = await deps.runs.get(ref);
  const detail = [input.error?.Error, input.error?.Cause].filter(Boolean).join(': ').slice(0, 1000) || 'failed';
  const now = deps.clock.now();
  if (run?.next?.step)
    await deps.runs.stepDone(ref, run.next.step, { ...(run.steps?.[run.next.step] ?? {}), outcome: 'failed', at: now.toISOString(), detail }, run.next);
  await deps.runs.finish(ref, 'failed', now, detail);
  await deps.runs.releaseLive(input.accountId, input.play, input.executionName);
  return { status: 'failed' };
}
