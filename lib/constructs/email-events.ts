import { Rule } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { SES_DETAIL_TYPES } from '../../functions/core/email/feedback.ts';
import type { AccountTable } from './account-table.ts';
import type { DeadLetters } from './dead-letters.ts';
import { TendFunction } from './tend-function.ts';

/** SES sending events (from the configuration set, on the default bus) to a function that suppresses and counts. */
export class EmailEvents extends Construct {
  readonly handler: TendFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: { table: AccountTable; deadLetters: DeadLetters }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/email-events/handler.ts',
      description: 'Tend SES events: settle unclear sends, suppress bounces and complaints, count the reputation, opens and clicks',
      memorySize: 256,
    });
    props.table.bind(this.handler);
    this.rule = new Rule(this, 'SesEvents', {
      description: 'Tend: SES sends, deliveries, rejects, bounces, complaints, opens and clicks',
      eventPattern: { source: ['aws.ses'], detailType: [...SES_DETAIL_TYPES] },
      targets: [props.deadLetters.ruleTarget('email-events', this.handler)],
    });
  }
}
