import type { Clock } from '../clock.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { PlayRunner, RunRepo } from '../ports.ts';
import type { RunRecord } from '../types.ts';

export interface ControlDeps {
  clock: Clock;
  runs: RunRepo;
  runner: PlayRunner;
  plays: Record<string, unknown>;
}

export type ControlAction = 'pause' | 'resume' | 'cancel' | 'retry';

/** The execution name of a retry: the run's name with `-r<attempt>` (names are never reused). */
export function retryName(executionName: string, attempt: number): string {
  const base = executionName.replace(/-r\d+$/, '');
  const suffix = `-r${attempt}`;
  return base.slice(0, 80 - suffix.length) + suffix;
}

/**
 * Retries a failed run: the same run record and cycle under a new execution, which skips the
 * steps already done and runs the failed one again (the send ledger keeps an email that went
 * out from going out twice).
 */
async function retry(deps: ControlDeps, accountId: string, play: string): Promise<RunRecord> {
  const run = await deps.runs.latest(accountId, play);
  if (!run || run.status !== 'failed') throw new ConflictError(`no failed ${play} run for account "${accountId}" to retry`);
  if (!run.anchor) throw new ConflictError(`the ${play} run of "${accountId}" predates retries (no anchor recorded)`);
  const attempt = (run.attempt ?? 1) + 1;
  const name = retryName(run.executionName, attempt);
  const ref = { accountId, play, cycle: run.cycle };
  const lock = await deps.runs.claimLive(accountId, play, { executionName: name, cycle: run.cycle, at: deps.clock.now().toISOString() });
  if (!lock.held) throw new ConflictError(`another ${play} run is live (${lock.by.executionName})`);
  if (!(await deps.runs.reopen(ref, name, attempt))) {
    await deps.runs.releaseLive(accountId, play, name);
    throw new ConflictError(`the ${play} run of "${accountId}" is no longer failed`);
  }
  await deps.runner.start(play, name, { accountId, play, cycle: run.cycle, anchor: run.anchor, trigger: run.trigger });
  return (await deps.runs.get(ref))!;
}

/**
 * A CSM taking over: pause holds the live run before its next step (it looks again every few
 * hours), resume lets it go on (a step that fell due meanwhile follows its catch-up policy),
 * cancel stops the execution and records the run as cancelled.
 */
export async function controlRun(deps: ControlDeps, input: { accountId: string; play: string; action: ControlAction; by?: string }): Promise<RunRecord> {
  if (!(input.play in deps.plays)) throw new NotFoundError(`play "${input.play}" is not in the configuration`);
  if (input.action === 'retry') return retry(deps, input.accountId, input.play);
  const live = (await deps.runs.live(input.accountId)).find((l) => l.play === input.play);
  if (!live) throw new NotFoundError(`no live ${input.play} run for account "${input.accountId}"`);
  const ref = { accountId: input.accountId, play: input.play, cycle: live.cycle };
  const now = deps.clock.now();
  if (input.action === 'cancel') {
    await deps.runner.stop(input.play, live.executionName, `cancelled by ${input.by ?? 'api'}`);
    await deps.runs.finish(ref, 'cancelled', now, `cancelled by ${input.by ?? 'api'}`);
    await deps.runs.releaseLive(input.accountId, input.play, live.executionName);
  } else if (!(await deps.runs.setPaused(ref, input.action === 'pause', now, input.by))) {
    throw new ConflictError(`the ${input.play} run of "${input.accountId}" is not live`);
  }
  const run = await deps.runs.get(ref);
  if (!run) throw new NotFoundError(`no ${input.play} run for account "${input.accountId}"`);
  return run;
}
