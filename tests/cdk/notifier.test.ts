import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOTIFIER_EVENTS } from '../../lib/constructs/notifier.ts';
import { loadTemplate, logicalIdOf, resourcesOfType, STACK, STACK_NAME, type CfnTemplate } from './assembly.ts';

/** The notifier of tend.config.ts (Slack on, a token secret the stack creates): docs/alerts.md. */
describe('notifier resources', () => {
  let app: Template;
  let raw: CfnTemplate;
  let fn: string;
  beforeAll(() => {
    raw = loadTemplate(STACK.app);
    app = Template.fromJSON(raw as never);
    fn = logicalIdOf(STACK.app, '/Tend/Notifier/Handler/Resource');
  });

  it("reads task, tier and flag events from Tend's own bus, retried into the notifier's dead-letter queue", () => {
    const rule = resourcesOfType(raw, 'AWS::Events::Rule').find(([id]) => id.startsWith('NotifierEvents'))![1];
    expect(rule['EventPattern']).toEqual({ source: ['tend'], 'detail-type': [...NOTIFIER_EVENTS] });
    expect(JSON.stringify(rule['EventBusName'])).toContain('EventsBus');
    const [target] = rule['Targets'] as Record<string, any>[];
    expect(target!['Arn']).toEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
    expect(target!['RetryPolicy']).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 });
    app.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${STACK_NAME.app}-dlq-notifier` });
    app.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fn },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('sends the daily digest on its schedule, with the same dead letters', () => {
    app.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 7 * * ? *)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, Input: JSON.stringify({ digest: true }), DeadLetterConfig: Match.anyValue() }),
    });
  });

  it('reads the Slack token from its secret (only that one), never from its environment, and may send the email digest', () => {
    app.hasResourceProperties('AWS::SecretsManager::Secret', { Name: `tend/${STACK_NAME.app}/slack-bot-token` });
    const lambda = resourcesOfType(raw, 'AWS::Lambda::Function').find(([id]) => id === fn)![1];
    const env = (lambda['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(env['SLACK_TOKEN_SECRET_NAME']).toBe(`tend/${STACK_NAME.app}/slack-bot-token`);
    expect(Object.keys(env)).not.toContain('SLACK_BOT_TOKEN');
    expect(JSON.stringify(env)).not.toMatch(/xox[abp]-/);
    expect(env['CONFIGURATION_SET']).toBeDefined();
    const policies = resourcesOfType(raw, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p['Roles']).includes('NotifierHandler'));
    const statements = policies.flatMap(([, p]) => (p['PolicyDocument'] as { Statement: Record<string, any>[] }).Statement);
    const secretRead = statements.find((s) => [s['Action']].flat().includes('secretsmanager:GetSecretValue'));
    expect(JSON.stringify(secretRead!['Resource'])).toContain('NotifierSlackToken');
    const parameter = statements.find((s) => [s['Action']].flat().includes('ssm:GetParameter'));
    expect(JSON.stringify(parameter!['Resource'])).toContain(`parameter/aws/reference/secretsmanager/tend/${STACK_NAME.app}/slack-bot-token`);
    expect(statements.some((s) => [s['Action']].flat().includes('ses:SendEmail'))).toBe(true);
  });

  it('alarms when alerts fail after their retries', () => {
    app.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${STACK_NAME.app}-alerts-failed-notifier`,
      MetricName: 'AlertsFailed',
      Namespace: 'Tend',
      Threshold: 0,
    });
  });
});
