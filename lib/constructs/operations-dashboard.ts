import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AlarmStatusWidget, Dashboard, GraphWidget, Metric, TextWidget, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SES_REPUTATION_LIMITS } from '../operations/alarm-catalog.ts';
import type { DeadLetters } from './dead-letters.ts';
import { sesReputationMetric, type OperationsAlarms } from './operations-alarms.ts';

const PERIOD = Duration.minutes(5);
const sesCount = (metricName: string, label: string) => new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Sum', period: PERIOD, label });

export interface OperationsDashboardProps {
  api: HttpApi;
  apiHandler: LambdaFunction;
  scoring: StateMachine;
  plays: Record<string, StateMachine>;
  deadLetters: DeadLetters;
  alarms: OperationsAlarms;
}

/** One CloudWatch dashboard for the whole system, named after the stack (and so the stage). */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const graph = (title: string, left: Metric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
      new GraphWidget({ title, left, width: 8, height: 6, ...extra });
    const plays = Object.entries(props.plays);
    const { bounceRate, complaintRate } = SES_REPUTATION_LIMITS;
    const rows: IWidget[][] = [
      [
        new TextWidget({
          markdown: `# ${stackName}\nAlarms and what to do when one fires: docs/operations.md. Replay dead letters: \`tend redrive\`.`,
          width: 24,
          height: 2,
        }),
      ],
      [new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms.alarms.map((a) => a.alarm), width: 24, height: 4 })],
      [
        graph('Ingest: requests and errors', [
          props.api.metricCount({ period: PERIOD, statistic: 'Sum', label: 'requests' }),
          props.api.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
          props.api.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' }),
        ]),
        graph('Ingest: latency (ms)', [
          props.api.metricLatency({ period: PERIOD, statistic: 'p50', label: 'p50' }),
          props.api.metricLatency({ period: PERIOD, statistic: 'p99', label: 'p99' }),
        ]),
        graph('Ingest: function errors and throttles', [
          props.apiHandler.metricErrors({ period: PERIOD, statistic: 'Sum', label: 'errors' }),
          props.apiHandler.metricThrottles({ period: PERIOD, statistic: 'Sum', label: 'throttles' }),
        ]),
      ],
      [
        graph('Scoring runs', [
          props.scoring.metricStarted({ period: PERIOD, statistic: 'Sum', label: 'started' }),
          props.scoring.metricSucceeded({ period: PERIOD, statistic: 'Sum', label: 'succeeded' }),
          props.scoring.metricFailed({ period: PERIOD, statistic: 'Sum', label: 'failed' }),
          props.scoring.metricTimedOut({ period: PERIOD, statistic: 'Sum', label: 'timed out' }),
        ]),
        graph(
          'Plays started',
          plays.map(([id, m]) => m.metricStarted({ period: PERIOD, statistic: 'Sum', label: id })),
          { stacked: true },
        ),
        graph(
          'Plays failed or timed out',
          plays.flatMap(([id, m]) => [
            m.metricFailed({ period: PERIOD, statistic: 'Sum', label: `${id} failed` }),
            m.metricTimedOut({ period: PERIOD, statistic: 'Sum', label: `${id} timed out` }),
          ]),
        ),
      ],
      [
        graph('Emails (SES, whole account)', [
          sesCount('Send', 'sent'),
          sesCount('Delivery', 'delivered'),
          sesCount('Bounce', 'bounced'),
          sesCount('Complaint', 'complaints'),
        ]),
        graph('SES reputation (whole account)', [sesReputationMetric('Reputation.BounceRate').with({ label: 'bounce rate' })], {
          right: [sesReputationMetric('Reputation.ComplaintRate').with({ label: 'complaint rate' })],
          leftAnnotations: [
            { value: bounceRate.alarm, label: 'bounce alarm' },
            { value: bounceRate.review, label: 'SES review (bounces)' },
          ],
          rightAnnotations: [
            { value: complaintRate.alarm, label: 'complaint alarm' },
            { value: complaintRate.review, label: 'SES review (complaints)' },
          ],
        }),
        graph(
          'Dead-letter queue depths',
          props.deadLetters.queues.map(({ consumer, queue }) =>
            queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: consumer.name }),
          ),
        ),
      ],
    ];
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: stackName, widgets: rows });
  }
}
