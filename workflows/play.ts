import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PlayDefinition } from '../functions/core/plays/definition.ts';
import { scheduleKey } from '../functions/core/plays/schedule.ts';

/**
 * A play compiled into a Standard state machine, one group of states per step:
 *
 *   Wait for <step> (until the step's planned timestamp) -> Run <step> -> After <step>?
 *     next: on to the following step;  wait: Hold <step> until $.step.until, then Run again
 *     (send window, pause, a watch's next check);  exit: Exited (the run was ended for a reason).
 *
 * Every Run retries a failed task and then is caught by Record failure, which marks the step
 * failed on the run record before the machine fails.
 *
 * The run's correlation id is settled first, into $.correlation.id, and passed to every task: the
 * input's `correlationId`, else its trigger's, else the execution name. A Choice picks the one
 * present, so an input without any (started by hand, by an older starter, redriven) cannot fail
 * on a missing JSONPath. JSONPath only (no QueryLanguage, Assign,
 * Output or Arguments) so the local runner can run exactly this definition.
 */
export function playDefinition(scope: Construct, fn: IFunction, play: PlayDefinition): sfn.IChainable {
  const run = {
    play: play.id,
    accountId: sfn.JsonPath.stringAt('$.accountId'),
    cycle: sfn.JsonPath.stringAt('$.cycle'),
    executionName: sfn.JsonPath.executionName,
    // Set by "Correlated?" before any task runs, so every task (Record failure included) can read it.
    correlationId: sfn.JsonPath.stringAt('$.correlation.id'),
  };
  const task = (id: string, payload: Record<string, unknown>, resultSelector?: Record<string, string>, resultPath?: string) =>
    new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject({ ...run, ...payload }),
      resultSelector,
      resultPath: resultPath ?? sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });

  const failed = new sfn.Fail(scope, 'Play failed', { error: 'PlayStepFailed', cause: `a step of the ${play.id} play failed; see the run record` });
  const recordFailure = task('Record failure', { action: 'fail', error: sfn.JsonPath.objectAt('$.error') });
  // If even the failure cannot be recorded, still end in the named Fail state.
  recordFailure.addCatch(failed, { resultPath: '$.recordFailureError' });
  const fail = recordFailure.next(failed);
  const exited = new sfn.Succeed(scope, 'Exited', { comment: 'The run ended early: churned, recovered, renewed, cancelled...' });

  const complete = task('Complete', { action: 'complete' });
  complete.addCatch(fail, { resultPath: '$.error' });
  const done = complete.next(new sfn.Succeed(scope, 'Done'));

  const begin = task(
    'Begin',
    { action: 'begin', anchor: sfn.JsonPath.stringAt('$.anchor'), trigger: sfn.JsonPath.objectAt('$.trigger') },
    { 'route.$': '$.Payload.route', 'at.$': '$.Payload.at' },
    '$.run',
  );
  begin.addCatch(fail, { resultPath: '$.error' });

  // Built back to front, so each step knows the state that follows it.
  let following: sfn.IChainable = done;
  for (const step of [...play.steps].reverse()) {
    const runStep = task(
      `Run ${step.id}`,
      { action: 'step', step: step.id },
      { 'route.$': '$.Payload.route', 'until.$': '$.Payload.until', 'reason.$': '$.Payload.reason' },
      '$.step',
    );
    // The send ledger and the run record make a retry safe: what was done is not done again.
    runStep.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 3 });
    runStep.addCatch(fail, { resultPath: '$.error' });
    const hold = new sfn.Wait(scope, `Hold ${step.id}`, { time: sfn.WaitTime.timestampPath('$.step.until') }).next(runStep);
    const after = new sfn.Choice(scope, `After ${step.id}`)
      .when(sfn.Condition.stringEquals('$.step.route', 'exit'), exited)
      .when(sfn.Condition.stringEquals('$.step.route', 'wait'), hold)
      .otherwise(following);
    following = new sfn.Wait(scope, `Wait for ${step.id}`, { time: sfn.WaitTime.timestampPath(`$.run.at.${scheduleKey(step.id)}`) }).next(runStep).next(after);
  }
  const correlateBy = (id: string, path: string) => new sfn.Pass(scope, id, { parameters: { 'id.$': path }, resultPath: '$.correlation' }).next(begin);
  const stringAt = (path: string) => sfn.Condition.and(sfn.Condition.isPresent(path), sfn.Condition.isString(path));
  const correlated = new sfn.Choice(scope, 'Correlated?')
    .when(stringAt('$.correlationId'), correlateBy('Carry correlation id', '$.correlationId'))
    .when(stringAt('$.trigger.detail.correlationId'), correlateBy("Carry trigger's correlation id", '$.trigger.detail.correlationId'))
    .otherwise(correlateBy('Correlate by execution name', '$$.Execution.Name'));
  begin.next(
    new sfn.Choice(scope, 'Started?')
      .when(sfn.Condition.stringEquals('$.run.route', 'exit'), new sfn.Succeed(scope, 'Not started', { comment: 'another run of this play is live' }))
      .otherwise(following),
  );
  return correlated;
}

/** The longest a run can last: its span of days plus slack for pauses and watches (Standard allows a year). */
export function playTimeout(play: PlayDefinition): Duration {
  const days = play.steps.map((s) => s.day);
  const watch = Math.max(0, ...play.steps.map((s) => s.watch?.giveUpAfterDays ?? 0));
  return Duration.days(Math.min(365, Math.max(...days) - Math.min(0, ...days) + watch + 60));
}
