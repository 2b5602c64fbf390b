import { Duration } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { TendFunction } from './tend-function.ts';

/** The scoring function, run by an EventBridge Scheduler schedule. */
export class Scoring extends Construct {
  readonly handler: TendFunction;

  constructor(scope: Construct, id: string, props: { schedule: string }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/score/handler.ts',
      description: 'Tend health scoring over every account',
      timeout: Duration.minutes(15),
      memorySize: 1024,
    });
    new Schedule(this, 'Daily', {
      description: 'Score every account',
      schedule: ScheduleExpression.expression(props.schedule),
      target: new LambdaInvoke(this.handler, { retryAttempts: 2 }),
    });
  }
}
