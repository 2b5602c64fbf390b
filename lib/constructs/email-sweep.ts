import { Duration } from 'aws-cdk-lib';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { AccountTable } from './account-table.ts';
import type { DeadLetters } from './dead-letters.ts';
import { TendFunction } from './tend-function.ts';

/** How often held sends whose run is gone are settled: well under a day, a few times the reconciliation window. */
export const HELD_SWEEP_SCHEDULE = 'rate(1 hour)';

/** The hourly sweep that settles held sends no run will come back for (docs/email.md, "Orphaned held sends"). */
export class EmailSweep extends Construct {
  readonly handler: TendFunction;

  constructor(scope: Construct, id: string, props: { table: AccountTable; deadLetters: DeadLetters }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/email-sweep/handler.ts',
      description: 'Tend: settle held sends whose run was stopped or failed, from SES events (never re-sent)',
      timeout: Duration.minutes(5),
      memorySize: 256,
    });
    props.table.bind(this.handler);
    new Schedule(this, 'Hourly', {
      description: 'Settle orphaned held sends',
      schedule: ScheduleExpression.expression(HELD_SWEEP_SCHEDULE),
      target: props.deadLetters.scheduleLambda('email-sweep', this.handler, ScheduleTargetInput.fromObject({ sweep: 'held-sends' })),
    });
  }
}
