import { ReceiptRuleSet } from 'aws-cdk-lib/aws-ses';
import { Lambda as LambdaAction, LambdaInvocationType } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import type { AccountTable } from './account-table.ts';
import type { DeadLetters } from './dead-letters.ts';
import { TendFunction } from './tend-function.ts';

/**
 * Replies as engagement: a receipt rule set whose one rule hands mail SES receives at the reply
 * address to a function that finds the email it answers (In-Reply-To) and counts it. SES allows
 * one active rule set per region and CDK cannot activate one: activate it once (docs/email.md).
 */
export class EmailReplies extends Construct {
  readonly handler: TendFunction;
  readonly ruleSet: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: { table: AccountTable; address: string; deadLetters: DeadLetters }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/email-replies/handler.ts',
      description: 'Tend email replies: count a reply to a Tend email as engagement',
      memorySize: 256,
    });
    props.table.bind(this.handler);
    // SES invokes it asynchronously: what fails after Lambda's retries is kept.
    props.deadLetters.asyncInvoked('email-replies', this.handler);
    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      rules: [
        { recipients: [props.address], scanEnabled: true, actions: [new LambdaAction({ function: this.handler, invocationType: LambdaInvocationType.EVENT })] },
      ],
    });
  }
}
