import type { CloudAssembly } from './assembly.ts';
import type { VirtualClock } from './clock.ts';
import type { LambdaHost } from './lambdas.ts';
import type { LocalStepFunctions } from './stepfunctions/runner.ts';

const UNIT_MS: Record<string, number> = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };

/**
 * The next time a schedule fires after `afterMs`. Covers rate(N unit) and the cron forms Tend
 * uses (fixed minute and hour, any day: `cron(M H * * ? *)`); anything else is refused by name
 * rather than run on a wrong calendar.
 */
export function nextFire(expression: string, afterMs: number): number {
  const rate = expression.match(/^rate\((\d+) (minutes?|hours?|days?)\)$/);
  if (rate) return afterMs + Number(rate[1]) * UNIT_MS[rate[2]!]!;
  const cron = expression.match(/^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$/);
  if (cron) {
    const d = new Date(afterMs);
    const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), Number(cron[2]), Number(cron[1]));
    return at > afterMs ? at : at + 86_400_000;
  }
  throw new Error(`schedule expression ${expression} is not supported by the local scheduler (use rate(N unit) or cron(M H * * ? *))`);
}

export interface LocalSchedule {
  name: string;
  expression: string;
  /** A Lambda function or a state machine. */
  targetArn: string;
  input: unknown;
  fired: number;
  /** Times the schedule came due and was not fired because its probe found nothing to do. */
  skipped: number;
}

/**
 * Whether a schedule's target has anything to do now, when this can be told more cheaply than by
 * running it (local/schedule-probes.ts). A schedule without a probe always fires.
 */
export type WorkProbe = (schedule: LocalSchedule) => Promise<boolean> | boolean;

/** EventBridge Scheduler's schedules from the template, fired on the local clock. */
export class LocalScheduler {
  readonly schedules: LocalSchedule[] = [];
  private readonly stop = new AbortController();

  constructor(
    assembly: CloudAssembly,
    private readonly lambdas: LambdaHost,
    private readonly sfn: LocalStepFunctions,
    private readonly clock: VirtualClock,
    private readonly onError: (schedule: LocalSchedule, err: unknown) => void = () => {},
    private readonly hasWork: WorkProbe = () => true,
  ) {
    for (const { stack, logicalId, resource } of assembly.resources('AWS::Scheduler::Schedule')) {
      const p = assembly.resolve(stack, resource.Properties) as { ScheduleExpression: string; State?: string; Target: { Arn: string; Input?: string } };
      if (p.State === 'DISABLED') continue;
      nextFire(p.ScheduleExpression, 0);
      this.schedules.push({
        name: logicalId,
        expression: p.ScheduleExpression,
        targetArn: p.Target.Arn,
        input: p.Target.Input ? JSON.parse(p.Target.Input) : {},
        fired: 0,
        skipped: 0,
      });
    }
  }

  /** Fires a schedule now (whatever its probe says) and resolves when its target has finished (the invocation or the execution). */
  async fire(schedule: LocalSchedule): Promise<void> {
    schedule.fired++;
    try {
      if (schedule.targetArn.startsWith('arn:aws:states:')) {
        const execution = this.sfn.start(schedule.targetArn, `${schedule.name}-${this.clock.nowMs()}-${schedule.fired}`, JSON.stringify(schedule.input));
        await execution.done;
        if (execution.status !== 'SUCCEEDED') throw new Error(`${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`);
      } else await this.lambdas.invoke(schedule.targetArn, schedule.input);
    } catch (err) {
      this.onError(schedule, err);
    }
  }

  /** A probe that fails does not skip: the target runs and decides. */
  private async probe(schedule: LocalSchedule): Promise<boolean> {
    try {
      return await this.hasWork(schedule);
    } catch {
      return true;
    }
  }

  start(): void {
    for (const s of this.schedules) {
      const loop = async () => {
        while (!this.stop.signal.aborted) {
          await this.clock.sleepUntil(nextFire(s.expression, this.clock.nowMs()), this.stop.signal);
          if (this.stop.signal.aborted) continue;
          if (await this.probe(s)) await this.fire(s);
          else s.skipped++;
        }
      };
      void loop();
    }
  }

  close(): void {
    this.stop.abort();
  }
}
