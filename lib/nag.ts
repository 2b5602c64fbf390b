import { Aspects, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';

/**
 * cdk-nag's AWS Solutions rules on every stack. Each suppression below is a decision, with its
 * reason; anything new the rules find is an error annotation (and a failing test).
 */
export function applyNagChecks(app: App, stacks: { app: Stack; data: Stack }): void {
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  NagSuppressions.addStackSuppressions(stacks.app, [
    { id: 'AwsSolutions-L1', reason: 'Tend pins Lambda to nodejs22.x, the runtime it is tested on; moving to a newer runtime is a deliberate upgrade.' },
    {
      id: 'AwsSolutions-IAM4',
      reason: 'AWSLambdaBasicExecutionRole is the CDK default for writing the function logs; each function logs to its own retained group.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'X-Ray trace segments and CloudWatch log delivery only accept Resource "*"; index/* is the table\'s own GSIs; <fn>:* lets the schedule and the state machine invoke versions of their one function.',
      appliesTo: ['Resource::*', 'Resource::<AccountsTableF2DFB3F6.Arn>/index/*', { regex: '/^Resource::<.*(Handler|PlaysSteps|PlaysStarter).*\\.Arn>:\\*$/' }],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        "The Distributed Map must describe, stop and redrive its own child executions, whose names it creates at run time: CDK scopes these to the daily run's executions.",
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*ScoringDailyRun.*$/' }],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'Play runs are named per account and cycle at run time; stopping one (churn, a CSM cancelling) needs its execution ARN under its own play machine, which CDK scopes to that machine.',
      appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:.*Play.*StateMachine.*$/' }],
    },
    {
      id: 'AwsSolutions-SF1',
      reason: 'Standard workflows keep their full execution history for 90 days; CloudWatch gets errors only, which keeps log cost flat as accounts grow.',
    },
    {
      id: 'AwsSolutions-APIG4',
      reason:
        'Every API route but the unsubscribe links checks a hashed, scoped API key inside the function (functions/api/auth.ts), so local and AWS behave the same; an API Gateway authorizer would duplicate it.',
    },
  ]);
  NagSuppressions.addResourceSuppressionsByPath(
    stacks.app,
    `/${stacks.app.node.id}/DeadLetters`,
    [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'These queues are the dead-letter queues of EventBridge targets, schedules and asynchronous Lambda invocations (lib/constructs/dead-letters.ts); SQS only sees a queue as a DLQ when another queue names it.',
      },
    ],
    true,
  );
  NagSuppressions.addStackSuppressions(stacks.data, [
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'The unsubscribe-link signing key is not rotated automatically: rotating it would break the unsubscribe links in every email already sent (RFC 8058 requires them to keep working).',
    },
  ]);
}
