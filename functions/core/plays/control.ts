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

export type ControlAction = 'pause' | 'resume' | 'cancel';

/**
 * A CSM taking over: pause holds the live run before its next step (it looks again every few
 * hours), resume lets it go on (a step that fell due meanwhile follows its catch-up policy),
 * cancel stops the execution and records the run as cancelled.
 */
export async function controlRun(deps: ControlDeps, input: { accountId: string; play: string; action: ControlAction; by?: string }): Promise<RunRecord> {
  if (!(input.play in deps.plays)) throw new NotFoundError(`play "${input.play}" is not in the configuration`);
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
