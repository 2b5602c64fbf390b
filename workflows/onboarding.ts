import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { OnboardingStep } from '../functions/core/config.ts';
import { scheduleKey } from '../functions/core/journey/onboarding.ts';

/**
 * The onboarding journey as chainables, one Wait/Assess/Choice/Send group per configured step.
 * JSONPath only (no QueryLanguage, Assign, Output or Arguments) so the local runner can run
 * exactly this definition. Each wait ends at an absolute timestamp planned from the start date.
 */
export function onboardingDefinition(scope: Construct, journey: IFunction, steps: OnboardingStep[]): sfn.IChainable {
  const task = (id: string, payload: Record<string, unknown>, resultSelector?: Record<string, string>, resultPath?: string) =>
    new LambdaInvoke(scope, id, {
      lambdaFunction: journey,
      payload: sfn.TaskInput.fromObject({ accountId: sfn.JsonPath.stringAt('$.accountId'), ...payload }),
      resultSelector,
      resultPath: resultPath ?? sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
    });

  const failed = new sfn.Fail(scope, 'Onboarding failed', { error: 'OnboardingStepFailed' });
  const recordFailure = task('Record failure', { action: 'finish', failed: true });
  // Every Task has a Catch: if even the failure cannot be recorded, still end in the named Fail state.
  recordFailure.addCatch(failed, { resultPath: '$.recordFailureError' });
  const fail = recordFailure.next(failed);
  const finishTask = task('Finish', { action: 'finish' });
  // A run whose completion cannot be recorded is recorded as failed, not left 'running'.
  finishTask.addCatch(fail, { resultPath: '$.error' });
  const finish = finishTask.next(new sfn.Succeed(scope, 'Onboarding complete'));
  const churned = new sfn.Pass(scope, 'Account churned').next(finish);

  const send = (step: OnboardingStep, template: string, label: string) => {
    const t = task(
      `Send ${step.id}${label}`,
      {
        action: 'send',
        executionName: sfn.JsonPath.executionName,
        step: step.id,
        template,
      },
      { 'result.$': '$.Payload' },
      '$.sent',
    );
    // The ledger makes a retry safe: a send that SES accepted is never repeated.
    t.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 3 });
    t.addCatch(fail, { resultPath: '$.error' });
    // Outside the contact's send window delivery defers (claims nothing): wait for the window, send again.
    const sent = new sfn.Pass(scope, `${step.id}${label} done`);
    const windowWait = new sfn.Wait(scope, `Wait for the send window ${step.id}${label}`, { time: sfn.WaitTime.timestampPath('$.sent.result.until') }).next(t);
    t.next(new sfn.Choice(scope, `${step.id}${label}: deferred?`).when(sfn.Condition.stringEquals('$.sent.result.outcome', 'deferred'), windowWait).otherwise(sent));
    return sfn.Chain.custom(t, [sent], sent);
  };

  let chain: sfn.Chain = sfn.Chain.start(
    task('Plan schedule', { action: 'plan', startDate: sfn.JsonPath.stringAt('$.startDate'), executionName: sfn.JsonPath.executionName }, { 'schedule.$': '$.Payload.schedule' }, '$.plan').addCatch(fail, { resultPath: '$.error' }),
  );
  for (const step of steps) {
    chain = chain.next(new sfn.Wait(scope, `Wait for ${step.id}`, { time: sfn.WaitTime.timestampPath(`$.plan.schedule.${scheduleKey(step.id)}`) }));
    if (step.templates.active === step.templates.inactive) {
      chain = chain.next(send(step, step.templates.active, ''));
      continue;
    }
    const assess = task(`Assess ${step.id}`, { action: 'assess' }, { 'state.$': '$.Payload.state', 'churned.$': '$.Payload.churned' }, '$.assessment');
    assess.addCatch(fail, { resultPath: '$.error' });
    const choice = new sfn.Choice(scope, `${step.id}: active in the last 7 days?`)
      .when(sfn.Condition.booleanEquals('$.assessment.churned', true), churned)
      .when(sfn.Condition.stringEquals('$.assessment.state', 'active'), send(step, step.templates.active, ' (active)'))
      .otherwise(send(step, step.templates.inactive, ' (not active)'))
      .afterwards();
    chain = chain.next(assess).next(choice);
  }
  return chain.next(finish);
}
