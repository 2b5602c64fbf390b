import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ConfigurationSet, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/** SES v2 sending: a configuration set (reputation metrics, account-level suppression) and scoped send rights. */
export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, private readonly props: { fromAddress: string }) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
  }

  /** Lets a function send from the configured address's domain through this configuration set. */
  bind(fn: LambdaFunction): void {
    const stack = Stack.of(this);
    const domain = this.props.fromAddress.split('@')[1]!;
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: this.props.fromAddress }),
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
        ],
      }),
    );
    fn.addEnvironment('CONFIGURATION_SET', this.configurationSet.configurationSetName);
  }
}
