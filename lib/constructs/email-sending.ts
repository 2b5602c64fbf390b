import { Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet, EmailSendingEvent, EventDestination, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { AccountTable } from './account-table.ts';

/**
 * SES v2 sending: a configuration set (reputation metrics, account-level suppression of bounces
 * and complaints, sending events to the default EventBridge bus), the unsubscribe-token key, and
 * scoped send rights.
 */
export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  /** HMAC key of the unsubscribe links: generated at deploy, never in code or in the template. */
  readonly signingKey: Secret;
  /** The secret's name, a plain string (not a token): the Parameter Store reference path needs it. */
  readonly signingKeyName: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: { fromAddress: string },
  ) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Bounces and complaints suppress at once; opens and clicks feed email engagement; every event
    // carries the message's `send` tag and settles a send whose SES answer was lost (docs/email.md);
    // sends, bounces and complaints feed the automatic pause.
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.DELIVERY_DELAY,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.OPEN,
        EmailSendingEvent.CLICK,
      ],
    });
    this.signingKeyName = `tend/${Stack.of(this).stackName}/unsubscribe-signing-key`;
    this.signingKey = new Secret(this, 'UnsubscribeKey', {
      secretName: this.signingKeyName,
      description: 'Tend: HMAC-SHA256 key of the unsubscribe links in tech-touch email',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
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

  /** Lets a function read the signing key once at cold start (through Parameter Store's Secrets Manager reference). */
  bindKeyReader(fn: LambdaFunction): void {
    this.signingKey.grantRead(fn);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [Stack.of(fn).formatArn({ service: 'ssm', resource: 'parameter', resourceName: `aws/reference/secretsmanager/${this.signingKeyName}` })],
      }),
    );
    fn.addEnvironment('UNSUBSCRIBE_SECRET_NAME', this.signingKeyName);
  }

  /**
   * Everything a function that calls `deliver` (functions/email/deps.ts) needs, in one call: send
   * rights, the table, the signing key, and the public URL its unsubscribe links point to.
   */
  bindSender(fn: LambdaFunction, options: { table: AccountTable; publicApiUrl: string }): void {
    this.bind(fn);
    options.table.bind(fn);
    this.bindKeyReader(fn);
    fn.addEnvironment('PUBLIC_API_URL', options.publicApiUrl);
  }
}
