import { Duration } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { OnboardingStep } from '../../functions/core/config.ts';
import { onboardingDefinition } from '../../workflows/onboarding.ts';
import { TendFunction } from './tend-function.ts';

/** The onboarding play: its task function and its Standard state machine. */
export class OnboardingJourney extends Construct {
  readonly handler: TendFunction;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: { steps: OnboardingStep[] }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', { entry: 'functions/journey/handler.ts', description: 'Tend onboarding steps: plan, assess, send, finish' });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(onboardingDefinition(this, this.handler, props.steps)),
      timeout: Duration.days(400),
      tracingEnabled: true,
      logs: { destination: new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH }), level: LogLevel.ERROR },
    });
  }

  /** Lets a function start onboarding runs, and tells it which machine. */
  bindStarter(fn: LambdaFunction): void {
    this.stateMachine.grantStartExecution(fn);
    fn.addEnvironment('ONBOARDING_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
  }
}
