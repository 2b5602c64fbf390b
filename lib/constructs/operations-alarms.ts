import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ALARM_KINDS, SES_REPUTATION_LIMITS, type AlarmKind } from '../operations/alarm-catalog.ts';
import type { DeadLetters } from './dead-letters.ts';

const FIVE_MINUTES = Duration.minutes(5);

/** SES's account-level reputation metrics (what SES reviews an account on), the same in every stage. */
export const sesReputationMetric = (name: 'Reputation.BounceRate' | 'Reputation.ComplaintRate') =>
  new Metric({ namespace: 'AWS/SES', metricName: name, statistic: 'Maximum', period: Duration.minutes(15) });

export interface OperationsAlarmsProps {
  /** Every function, by a short readable name (`api`, `plays-starter`...), used in the alarm names. */
  functions: Record<string, LambdaFunction>;
  /** Every state machine by name; `watchAborted`: a stop is never intended (the scoring run). */
  machines: Record<string, { machine: StateMachine; watchAborted: boolean }>;
  api: HttpApi;
  deadLetters: DeadLetters;
  /** The address subscribed to the alarm topic (tend.config.ts `operations.alarmEmail`). */
  alarmEmail?: string;
}

/**
 * The alarms (one per kind in lib/operations/alarm-catalog.ts and per thing watched), all sent to
 * one SNS topic, encrypted with its own key (CloudWatch must be allowed to use it) and SSL-only.
 */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: { kind: AlarmKind; subject: string; alarm: Alarm }[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: `${stackName}: encrypts the alarm topic` });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', { topicName: `${stackName}-alarms`, displayName: `${stackName} alarms`, masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    for (const { consumer, queue } of props.deadLetters.queues)
      this.add('dead-letters', consumer.name, queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }), 0);
    for (const [name, { machine, watchAborted }] of Object.entries(props.machines)) {
      this.add('executions-failed', name, machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), 0);
      this.add('executions-timed-out', name, machine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 0);
      if (watchAborted) this.add('executions-aborted', name, machine.metricAborted({ period: FIVE_MINUTES, statistic: 'Sum' }), 0);
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add('lambda-errors', name, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 0);
      this.add('lambda-throttles', name, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 0);
    }
    this.add('api-5xx', 'http-api', props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), 0);
    const { bounceRate, complaintRate } = SES_REPUTATION_LIMITS;
    this.add(
      'ses-bounce-rate',
      'account',
      sesReputationMetric('Reputation.BounceRate'),
      bounceRate.alarm,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
    this.add(
      'ses-complaint-rate',
      'account',
      sesReputationMetric('Reputation.ComplaintRate'),
      complaintRate.alarm,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    );
    this.add('email-sending-paused', 'tech-touch', OperationsAlarms.sendingPausedMetric(), 0);
    this.add('alerts-failed', 'notifier', OperationsAlarms.alertsFailedMetric(), 0);
  }

  /** The notifier's count of alerts it could not post (functions/notifier/handler.ts). */
  static alertsFailedMetric = () =>
    new Metric({ namespace: 'Tend', metricName: 'AlertsFailed', dimensionsMap: { service: 'tend-notifier' }, statistic: 'Sum', period: FIVE_MINUTES });

  /** Tend's own gauge (functions/email-events/handler.ts): 1 while its automatic sending pause holds. */
  static sendingPausedMetric = () =>
    new Metric({
      namespace: 'Tend',
      metricName: 'EmailSendingPaused',
      dimensionsMap: { service: 'tend-email-events' },
      statistic: 'Maximum',
      period: FIVE_MINUTES,
    });

  private add(kind: AlarmKind, subject: string, metric: IMetric, threshold: number, comparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD): void {
    const { fires, action } = ALARM_KINDS[kind];
    const alarm = new Alarm(this, `${kind}-${subject}`, {
      alarmName: `${Stack.of(this).stackName}-${kind}-${subject}`,
      alarmDescription: `Fires when ${fires}. ${action} (docs/operations.md, ${kind})`,
      metric,
      threshold,
      comparisonOperator,
      evaluationPeriods: 1,
      // No data is no traffic, not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push({ kind, subject, alarm });
  }
}
