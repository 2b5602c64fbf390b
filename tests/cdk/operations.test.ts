import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { buildApp } from '../../lib/app.ts';
import { ALARM_KINDS, type AlarmKind } from '../../lib/operations/alarm-catalog.ts';
import { parseStage } from '../../lib/stage.ts';
import userConfig from '../../tend.config.ts';
import { isObject, loadTemplate, render, resourcesOfType, STACK, STACK_NAME, type CfnTemplate, type Json, type JsonObject } from './assembly.ts';

/** The logical id a `{Fn::GetAtt: [X, 'Arn']}` or `{Ref: X}` points at. */
const logicalIdIn = (value: Json | undefined): string | undefined => {
  if (!isObject(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return typeof value['Ref'] === 'string' ? value['Ref'] : undefined;
};
/** A policy document denying every request not made over TLS. */
const deniesPlainHttp = (doc: Json | undefined) =>
  isObject(doc) &&
  (doc['Statement'] as JsonObject[]).some((st) => st['Effect'] === 'Deny' && JSON.stringify(st['Condition']) === '{"Bool":{"aws:SecureTransport":"false"}}');
const typeOf = (t: CfnTemplate, id: string | undefined) => (id ? t.Resources[id]?.Type : undefined);

/** The dead-letter index (SSM parameter) as written: queue logical id -> target logical id. */
function deadLetterIndex(t: CfnTemplate): Map<string, { consumer: string; kind: string; target: string }> {
  const params = resourcesOfType(t, 'AWS::SSM::Parameter').filter(([, p]) => String(p['Name']).endsWith('/dead-letter-queues'));
  expect(params, 'one dead-letter index').toHaveLength(1);
  const param = params[0]![1];
  const entries = JSON.parse(render(param['Value']!)) as { consumer: string; kind: string; queueUrl: string; target: string }[];
  const idOf = (rendered: string) => rendered.replace(/^<|(\.Arn)?>$/g, '');
  return new Map(entries.map((e) => [idOf(e.queueUrl), { consumer: e.consumer, kind: e.kind, target: idOf(e.target) }]));
}

/** Every function something invokes asynchronously: EventBridge rule and schedule targets, SES receipt rule actions. */
function asyncInvokedFunctions(t: CfnTemplate): Set<string> {
  const ids = new Set<string>();
  for (const [, rule] of resourcesOfType(t, 'AWS::Events::Rule'))
    for (const target of (rule['Targets'] ?? []) as JsonObject[])
      if (typeOf(t, logicalIdIn(target['Arn'])) === 'AWS::Lambda::Function') ids.add(logicalIdIn(target['Arn'])!);
  for (const [, schedule] of resourcesOfType(t, 'AWS::Scheduler::Schedule')) {
    const id = logicalIdIn((schedule['Target'] as JsonObject)['Arn']);
    if (typeOf(t, id) === 'AWS::Lambda::Function') ids.add(id!);
  }
  for (const [, rule] of resourcesOfType(t, 'AWS::SES::ReceiptRule'))
    for (const action of ((rule['Rule'] as JsonObject)['Actions'] ?? []) as JsonObject[]) {
      const lambda = action['LambdaAction'];
      if (isObject(lambda) && lambda['InvocationType'] === 'Event') ids.add(logicalIdIn(lambda['FunctionArn'])!);
    }
  return ids;
}

/** A prod stage with email replies and an alarm address: the other copy that must not clash with the default assembly's dev. */
const prodConfig = parseConfig({ ...userConfig, email: { replies: { address: 'replies@in.acme.example' } }, operations: { alarmEmail: 'ops@acme.example' } });
let prod: { app: CfnTemplate; data: CfnTemplate };

describe('operations: dead letters, alarms, dashboard, stages', () => {
  let app: CfnTemplate;
  let index: ReturnType<typeof deadLetterIndex>;
  beforeAll(() => {
    app = loadTemplate(STACK.app);
    index = deadLetterIndex(app);
    const assembly = buildApp({
      outdir: join(mkdtempSync(join(tmpdir(), 'tend-prod-')), 'cdk.out'),
      config: prodConfig,
      bundling: false,
      stage: 'prod',
    }).synth();
    prod = { app: assembly.getStackByName('Tend-prod').template as CfnTemplate, data: assembly.getStackByName('TendData-prod').template as CfnTemplate };
  }, 120_000);

  it('gives every EventBridge rule target a dead-letter queue that feeds that very target, with retries and a maximum age', () => {
    const rules = resourcesOfType(app, 'AWS::Events::Rule');
    expect(rules.length).toBeGreaterThan(0);
    for (const [id, rule] of rules)
      for (const target of rule['Targets'] as JsonObject[]) {
        const queue = logicalIdIn((target['DeadLetterConfig'] as JsonObject | undefined)?.['Arn']);
        expect(typeOf(app, queue), `${id} target ${render(target['Id']!)} dead-letter queue`).toBe('AWS::SQS::Queue');
        expect(index.get(queue!)?.target, `${id}: its queue replays into its target`).toBe(logicalIdIn(target['Arn']));
        expect(target['RetryPolicy'], id).toEqual({ MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 6 * 3600 });
      }
  });

  it('gives every schedule a dead-letter queue that feeds its target', () => {
    const schedules = resourcesOfType(app, 'AWS::Scheduler::Schedule');
    expect(schedules.length).toBe(5);
    for (const [id, schedule] of schedules) {
      const target = schedule['Target'] as JsonObject;
      const queue = logicalIdIn((target['DeadLetterConfig'] as JsonObject | undefined)?.['Arn']);
      expect(typeOf(app, queue), `${id} dead-letter queue`).toBe('AWS::SQS::Queue');
      expect(index.get(queue!)?.target, `${id}: its queue replays into its target`).toBe(logicalIdIn(target['Arn']));
      expect(isObject(target['RetryPolicy']), id).toBe(true);
    }
  });

  for (const stage of ['dev', 'prod'] as const)
    it(`sends every asynchronous invocation that fails after its retries to the function's own queue (${stage}${stage === 'prod' ? ', with email replies' : ''})`, () => {
      const t = stage === 'dev' ? app : prod.app;
      const configs = new Map(resourcesOfType(t, 'AWS::Lambda::EventInvokeConfig').map(([, p]) => [logicalIdIn(p['FunctionName']), p]));
      const async = asyncInvokedFunctions(t);
      expect(async.size).toBe(stage === 'dev' ? 5 : 6);
      for (const fn of async) {
        const config = configs.get(fn);
        const queue = logicalIdIn(((config?.['DestinationConfig'] as JsonObject | undefined)?.['OnFailure'] as JsonObject | undefined)?.['Destination']);
        expect(typeOf(t, queue), `${fn} on-failure destination`).toBe('AWS::SQS::Queue');
        expect(deadLetterIndex(t).get(queue!)?.target, `${fn}: its queue replays into it`).toBe(fn);
        expect(config?.['MaximumRetryAttempts'], fn).toBe(2);
      }
    });

  it('encrypts every queue, refuses plain HTTP to it, keeps messages two weeks, and names it after the stage', () => {
    const queues = resourcesOfType(app, 'AWS::SQS::Queue');
    expect(queues.map(([, q]) => q['QueueName']).sort()).toEqual(
      ['email-events', 'email-sweep', 'notifier', 'plays-starter', 'scoring', 'scoring-daily-run'].map((c) => `${STACK_NAME.app}-dlq-${c}`),
    );
    const policies = resourcesOfType(app, 'AWS::SQS::QueuePolicy');
    for (const [id, q] of queues) {
      expect({ id, sse: q['SqsManagedSseEnabled'], retention: q['MessageRetentionPeriod'] }).toEqual({ id, sse: true, retention: 14 * 86400 });
      const policy = policies.find(([, p]) => (p['Queues'] as Json[]).some((ref) => logicalIdIn(ref) === id));
      expect(deniesPlainHttp(policy?.[1]['PolicyDocument']), `${id} denies plain HTTP`).toBe(true);
    }
  });

  /** Alarm name -> its kind and subject (`<stack>-<kind>-<subject>`). */
  const alarmsOf = (t: CfnTemplate, stackName: string) =>
    resourcesOfType(t, 'AWS::CloudWatch::Alarm').map(([, a]) => {
      const name = String(a['AlarmName']);
      const kind = (Object.keys(ALARM_KINDS) as AlarmKind[]).find((k) => name.startsWith(`${stackName}-${k}-`));
      return { name, kind, subject: kind ? name.slice(`${stackName}-${kind}-`.length) : undefined, props: a };
    });

  it('has an alarm of each kind on everything it watches, each sent to the one topic', () => {
    const alarms = alarmsOf(app, STACK_NAME.app);
    const topics = resourcesOfType(app, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const topicId = topics[0]![0];
    for (const a of alarms) {
      expect(a.kind, `${a.name} is of a known kind`).toBeDefined();
      expect(a.props['AlarmActions'], a.name).toEqual([{ Ref: topicId }]);
      expect(a.props['TreatMissingData'], a.name).toBe('notBreaching');
    }
    const subjects = (kind: AlarmKind) =>
      alarms
        .filter((a) => a.kind === kind)
        .map((a) => a.subject)
        .sort();
    const functions = ['api', 'email-events', 'email-sweep', 'notifier', 'plays-starter', 'plays-steps', 'scoring', 'sign-in-tokens', 'unsubscribe'];
    const machines = ['scoring-daily-run', ...Object.keys(parseConfig(userConfig).plays).map((p) => `play-${p}`)].sort();
    expect(subjects('dead-letters')).toEqual([...index.values()].map((e) => e.consumer).sort());
    expect(subjects('lambda-errors')).toEqual(functions);
    expect(subjects('lambda-throttles')).toEqual(functions);
    expect(subjects('executions-failed')).toEqual(machines);
    expect(subjects('executions-timed-out')).toEqual(machines);
    // Tend stops play runs itself (churn, a CSM cancelling): only the scoring run is never stopped on purpose.
    expect(subjects('executions-aborted')).toEqual(['scoring-daily-run']);
    expect(subjects('api-5xx')).toEqual(['http-api']);
    // Every function but CDK's deploy-time helper that uploads the web app (it serves no request).
    expect(resourcesOfType(app, 'AWS::Lambda::Function').filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'))).toHaveLength(functions.length);
  });

  it('alarms on dead letters at the first message, and on SES reputation a fifth below the review thresholds', () => {
    const alarms = alarmsOf(app, STACK_NAME.app);
    const one = (kind: AlarmKind) => alarms.find((a) => a.kind === kind)!.props;
    expect(one('dead-letters')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(one('ses-bounce-rate')).toMatchObject({
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.04,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(one('ses-complaint-rate')).toMatchObject({
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.ComplaintRate',
      Threshold: 0.0008,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    for (const a of alarms) expect(String(a.props['AlarmDescription']), a.name).toContain(ALARM_KINDS[a.kind!].action);
  });

  it('sends the alarms to an SNS topic encrypted with a rotated key CloudWatch may use, SSL only, emailing operations.alarmEmail', () => {
    const topic = resourcesOfType(app, 'AWS::SNS::Topic')[0]![1];
    const keyId = logicalIdIn(topic['KmsMasterKeyId']);
    const key = app.Resources[keyId!]!.Properties!;
    expect(key['EnableKeyRotation']).toBe(true);
    expect(JSON.stringify(key['KeyPolicy'])).toContain('"Service":"cloudwatch.amazonaws.com"');
    const topicPolicy = resourcesOfType(app, 'AWS::SNS::TopicPolicy')[0]![1];
    expect(deniesPlainHttp(topicPolicy['PolicyDocument'])).toBe(true);
    expect(resourcesOfType(app, 'AWS::SNS::Subscription')).toEqual([]);
    expect(resourcesOfType(prod.app, 'AWS::SNS::Subscription').map(([, s]) => [s['Protocol'], s['Endpoint']])).toEqual([['email', 'ops@acme.example']]);
  });

  it('has one dashboard for the whole system, named after the stage', () => {
    const dashboards = resourcesOfType(app, 'AWS::CloudWatch::Dashboard');
    expect(dashboards.map(([, d]) => d['DashboardName'])).toEqual([STACK_NAME.app]);
    const body = render(dashboards[0]![1]['DashboardBody']!);
    for (const shown of [
      '"AWS/ApiGateway","Count"',
      '"AWS/ApiGateway","Latency"',
      '"AWS/ApiGateway","5xx"',
      'ExecutionsStarted',
      'ExecutionsFailed',
      '"AWS/SES","Send"',
      '"AWS/SES","Bounce"',
      'Reputation.BounceRate',
      'ApproximateNumberOfMessagesVisible',
      '"type":"alarm"',
    ])
      expect(body, shown).toContain(shown);
    for (const play of Object.keys(parseConfig(userConfig).plays)) expect(body, play).toContain(`"label":"${play}"`);
    for (const { consumer } of index.values()) expect(body, consumer).toContain(`"label":"${consumer}"`);
  });

  it('documents every alarm kind in docs/operations.md', () => {
    const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    for (const kind of Object.keys(ALARM_KINDS)) expect(doc, kind).toContain(`### \`${kind}\``);
    expect(doc.match(/a stage has (\d+) alarms/)?.[1], 'the alarm count in the docs').toBe(String(resourcesOfType(app, 'AWS::CloudWatch::Alarm').length));
  });

  /** Properties named like a physical name whose value is the same in every copy by design (not account-unique). */
  const NOT_PHYSICAL = new Set([
    'AWS::ApiGatewayV2::Api Name',
    'AWS::ApiGatewayV2::Stage StageName',
    'AWS::CloudWatch::Alarm MetricName',
    'AWS::CloudWatch::Alarm Name',
    'AWS::DynamoDB::Table AttributeName',
    'AWS::DynamoDB::Table IndexName',
    'AWS::IAM::Policy PolicyName',
    // Names inside one user pool (its attributes, recovery mechanisms, app client and groups), not in the account.
    'AWS::Cognito::UserPool Name',
    'AWS::Cognito::UserPoolClient ClientName',
    'AWS::Cognito::UserPoolGroup GroupName',
  ]);

  /** Every literal value of a property whose key ends in `Name` (intrinsics excluded: CloudFormation names those per stack). */
  function literalNames(templates: CfnTemplate[]): Map<string, string> {
    const names = new Map<string, string>();
    const walk = (type: string, value: Json | undefined): void => {
      if (Array.isArray(value)) value.forEach((v) => walk(type, v));
      else if (isObject(value))
        for (const [k, v] of Object.entries(value)) {
          if (/Name$/.test(k) && typeof v === 'string' && !NOT_PHYSICAL.has(`${type} ${k}`)) names.set(v, `${type} ${k}`);
          walk(type, v);
        }
    };
    for (const t of templates) {
      for (const r of Object.values(t.Resources)) walk(r.Type, r.Properties);
      for (const o of Object.values(t.Outputs ?? {})) if (o.Export) names.set(render(o.Export.Name), 'Export');
    }
    return names;
  }

  it('synthesizes two stages side by side with no physical name in common', () => {
    const dev = literalNames([app, loadTemplate(STACK.data)]);
    const other = literalNames([prod.app, prod.data]);
    expect(dev.size, 'named resources found').toBeGreaterThan(40);
    expect([...dev.keys()].filter((n) => other.has(n)).map((n) => `${n} (${dev.get(n)})`)).toEqual([]);
    expect([...other.keys()].every((n) => n.includes('prod'))).toBe(true);
  });

  it.each([
    [undefined, 'dev'],
    ['prod', 'prod'],
    ['qa2', 'qa2'],
  ])('takes the stage from CDK context (%s -> %s)', (value, stage) => expect(parseStage(value)).toBe(stage));

  it.each(['Prod', 'pr-od', '2prod', 'a'.repeat(13), ''])('refuses the stage %j, naming the context key', (value) =>
    expect(() => parseStage(value)).toThrow(/^-c stage .*: a stage is 1 to 12 lowercase letters and digits/),
  );
});
