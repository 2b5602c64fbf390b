import { Duration, Stack } from 'aws-cdk-lib';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { AlertsConfig } from '../../functions/core/alerts/config.ts';
import type { AccountTable } from './account-table.ts';
import type { DeadLetters } from './dead-letters.ts';
import type { EmailSending } from './email-sending.ts';
import { TendFunction } from './tend-function.ts';

/** The events the notifier reads from Tend's bus (functions/notifier/handler.ts). */
export const NOTIFIER_EVENTS = ['task.created', 'tier.changed', 'flag.started', 'flag.stopped'] as const;

export interface NotifierProps {
  alerts: AlertsConfig;
  bus: EventBus;
  table: AccountTable;
  email: EmailSending;
  deadLetters: DeadLetters;
  /** Where message links point when `alerts.appBaseUrl` is not set: the API. */
  publicApiUrl: string;
}

/**
 * Alerts where CSMs work (docs/alerts.md): a function fed by Tend's bus (tasks created, tier moves,
 * flags) and by the daily digest's schedule, both retried and then kept in its dead-letter queue.
 * It reads the Slack bot token from Secrets Manager (a secret this stack creates empty, or the one
 * `alerts.slack.tokenSecretName` names) and sends the email digest through SES.
 */
export class Notifier extends Construct {
  readonly handler: TendFunction;
  readonly rule: Rule;
  readonly token?: ISecret;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/notifier/handler.ts',
      description: 'Tend alerts: Slack messages on urgent tasks, accounts turning red and renewals at risk; the daily CSM digest',
      memorySize: 256,
      // The SDK's own retries of a Slack 5xx (~2 s) and a 429's Retry-After fit well inside.
      timeout: Duration.seconds(60),
    });
    props.table.bind(this.handler);
    props.email.bind(this.handler);
    this.handler.addEnvironment('PUBLIC_API_URL', props.publicApiUrl);
    this.rule = new Rule(this, 'Events', {
      description: 'Tend: events that may alert a CSM (tasks created, tier moves, flags)',
      eventBus: props.bus,
      eventPattern: { source: ['tend'], detailType: [...NOTIFIER_EVENTS] },
      targets: [props.deadLetters.ruleTarget('notifier', this.handler)],
    });
    new Schedule(this, 'Digest', {
      description: 'Tend: the daily digest of every CSM',
      schedule: ScheduleExpression.expression(props.alerts.digest.schedule),
      target: props.deadLetters.scheduleLambda('notifier', this.handler, ScheduleTargetInput.fromObject({ digest: true })),
    });
    if (props.alerts.slack) {
      const stack = Stack.of(this);
      const name = props.alerts.slack.tokenSecretName ?? `tend/${stack.stackName}/slack-bot-token`;
      if (props.alerts.slack.tokenSecretName) this.token = Secret.fromSecretNameV2(this, 'SlackToken', name);
      else {
        const created = new Secret(this, 'SlackToken', {
          secretName: name,
          description: 'Tend: the Slack bot token (xoxb-...) of the alerts; put its value after deploying (docs/alerts.md)',
        });
        NagSuppressions.addResourceSuppressions(created, [
          { id: 'AwsSolutions-SMG4', reason: 'A Slack bot token is rotated in Slack (reinstalling the app), then put here; no Lambda can rotate it.' },
        ]);
        this.token = created;
      }
      this.token.grantRead(this.handler);
      this.handler.addToRolePolicy(
        new PolicyStatement({
          actions: ['ssm:GetParameter'],
          resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `aws/reference/secretsmanager/${name}` })],
        }),
      );
      this.handler.addEnvironment('SLACK_TOKEN_SECRET_NAME', name);
    }
  }
}
