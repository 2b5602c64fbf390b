import { LIST_ENTRY_ATTRIBUTES } from '../../functions/core/account-list-entry.ts';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteSpec } from '../../functions/api/routes.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { ACCOUNT_SHARDS, TABLE_KEYS } from '../../functions/data/keys.ts';
import userConfig from '../../tend.config.ts';
import { isObject, loadTemplate, logicalIdOf, render, resourcesOfType, STACK, STACK_NAME, type CfnTemplate, type Json, type JsonObject } from './assembly.ts';

const config = parseConfig(userConfig);
const plays = Object.values(config.plays);
const playIds = plays.map((p) => p.id);

/** The logical id of the Standard state machine of one play. */
const machineOf = (play: string) => logicalIdOf(STACK.app, `/Tend/Plays/Play-${play}/StateMachine/Resource`);
/** The ARN pattern of every execution of a state machine, as CDK's grantExecution writes it. */
const executionsOf = (machineId: string): Json => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':states:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':execution:',
      { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: machineId }] }] },
      ':*',
    ],
  ],
});

describe('TendData stack (stateful resources)', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromJSON(loadTemplate(STACK.data));
  });

  it('has one DynamoDB table: on-demand, PITR, encrypted, TTL on the shared ttl key, retained', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttl, Enabled: true },
      }),
    });
  });

  it('keys the table and its GSI with the names in TABLE_KEYS', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: TABLE_KEYS.gsi1.name,
          KeySchema: [
            { AttributeName: TABLE_KEYS.gsi1.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.gsi1.sortKey, KeyType: 'RANGE' },
          ],
        }),
        // The account list's sorted entries (issue 16): the second and last index a stack update can add at once.
        {
          IndexName: TABLE_KEYS.gsi2.name,
          KeySchema: [
            { AttributeName: TABLE_KEYS.gsi2.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.gsi2.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...LIST_ENTRY_ATTRIBUTES] },
        },
      ],
      AttributeDefinitions: Match.arrayWith(
        [
          TABLE_KEYS.partitionKey,
          TABLE_KEYS.sortKey,
          TABLE_KEYS.gsi1.partitionKey,
          TABLE_KEYS.gsi1.sortKey,
          TABLE_KEYS.gsi2.partitionKey,
          TABLE_KEYS.gsi2.sortKey,
        ].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
      ),
    });
  });

  it('has an SES configuration set that sends and suppresses bounces and complaints', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SendingOptions: { SendingEnabled: true },
      SuppressionOptions: { SuppressedReasons: Match.arrayWith(['BOUNCE', 'COMPLAINT']) },
    });
  });
});

describe('Tend stack (functions, API, schedules, state machines, rules)', () => {
  let raw: CfnTemplate;
  let template: Template;
  beforeAll(() => {
    raw = loadTemplate(STACK.app);
    template = Template.fromJSON(raw);
  });

  it('runs every Lambda function on nodejs22.x, arm64, with active tracing and a log group that has a retention', () => {
    // But CDK's own deploy-time helper that uploads the web app (BucketDeployment: Python, CDK's code), which serves no request.
    const [deployHelper, ...others] = resourcesOfType(raw, 'AWS::Lambda::Function').sort(([a], [b]) =>
      a.startsWith('CustomCDKBucketDeployment') ? -1 : b.startsWith('CustomCDKBucketDeployment') ? 1 : 0,
    );
    expect(deployHelper?.[0]).toMatch(/^CustomCDKBucketDeployment/);
    const functions = others;
    expect(functions.length).toBeGreaterThanOrEqual(3);
    for (const [id, props] of functions) {
      expect({ id, Runtime: props['Runtime'], Architectures: props['Architectures'], TracingConfig: props['TracingConfig'] }).toEqual({
        id,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      const logGroup = isObject(props['LoggingConfig']) ? props['LoggingConfig']['LogGroup'] : undefined;
      const logGroupId = isObject(logGroup) ? logGroup['Ref'] : undefined;
      expect(typeof logGroupId, `${id} has no LoggingConfig.LogGroup Ref`).toBe('string');
      const resource = raw.Resources[logGroupId as string];
      expect(resource?.Type, `${id}'s log group ${String(logGroupId)}`).toBe('AWS::Logs::LogGroup');
      expect(resource?.Properties?.['RetentionInDays'], `${id}'s log group ${String(logGroupId)} RetentionInDays`).toEqual(expect.any(Number));
    }
  });

  it("gives each Tend handler its own function: Api, Scoring, the plays' Steps and Starter, Unsubscribe, EmailEvents, EmailSweep, Notifier", () => {
    const paths = [
      '/Tend/Api/Handler/Resource',
      '/Tend/Scoring/Handler/Resource',
      '/Tend/Plays/Steps/Resource',
      '/Tend/Plays/Starter/Resource',
      '/Tend/Unsubscribe/Handler/Resource',
      '/Tend/EmailEvents/Handler/Resource',
      '/Tend/EmailSweep/Handler/Resource',
      '/Tend/Notifier/Handler/Resource',
      '/Tend/SignIn/TokenTrigger/Resource',
    ];
    const ids = paths.map((path) => logicalIdOf(STACK.app, path));
    for (const [i, id] of ids.entries()) expect(raw.Resources[id]?.Type, paths[i]).toBe('AWS::Lambda::Function');
    expect(new Set(ids).size).toBe(9);
    // No function is left over from the hard-wired onboarding journey.
    expect(
      resourcesOfType(raw, 'AWS::Lambda::Function')
        .map(([id]) => id)
        .filter((id) => !id.startsWith('CustomCDKBucketDeployment'))
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('serves exactly the routes of the route list on one HTTP API, each with the function and auth the list gives it', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    const [[apiId]] = Object.entries(template.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } })) as [[string, unknown]];
    const all = resourcesOfType(raw, 'AWS::ApiGatewayV2::Route');
    expect(all.map(([, r]) => r['RouteKey']).sort()).toEqual(Object.keys(ROUTES).sort());
    const functionOf = { api: logicalIdOf(STACK.app, '/Tend/Api/Handler/Resource'), unsubscribe: logicalIdOf(STACK.app, '/Tend/Unsubscribe/Handler/Resource') };
    for (const [routeId, route] of all) {
      const spec = (ROUTES as Record<string, RouteSpec>)[String(route['RouteKey'])]!;
      expect(route['ApiId'], routeId).toEqual({ Ref: apiId });
      const integrationId = render(route['Target'] ?? null).match(/^integrations\/<(.+)>$/)?.[1];
      const integration = integrationId ? raw.Resources[integrationId] : undefined;
      expect(integration?.Type, `${routeId} target`).toBe('AWS::ApiGatewayV2::Integration');
      expect(integration?.Properties?.['IntegrationUri'], `${routeId} integration`).toEqual({ 'Fn::GetAtt': [functionOf[spec.serve], 'Arn'] });
      // API Gateway checks no key: a keyed route's scope is enforced by the API function (functions/api/auth.ts
      // reads it from the same list); a public route takes none, and no authorizer is attached to it.
      expect(route['AuthorizationType'] ?? 'NONE', routeId).toBe('NONE');
      expect(route['AuthorizerId'], routeId).toBeUndefined();
      if (spec.auth === 'public') expect(spec.serve, routeId).toBe('unsubscribe');
      else expect(spec.serve, routeId).toBe('api');
    }
  });

  it('starts the daily scoring run over every shard on the configured schedule', () => {
    const runId = logicalIdOf(STACK.app, '/Tend/Scoring/DailyRun/Resource');
    template.resourceCountIs('AWS::Scheduler::Schedule', 5);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: config.scoring.rescoreSchedule,
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalIdOf(STACK.app, '/Tend/Scoring/Handler/Resource'), 'Arn'] },
        Input: JSON.stringify({ dirty: true }),
      }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: config.scoring.schedule,
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { Ref: runId }, Input: JSON.stringify({ shards: Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i) }) }),
    });
  });

  it('has one Standard state machine per play, and the daily scoring run, all with tracing and logging', () => {
    expect([...playIds].sort()).toEqual(['adoption', 'advocacy', 'expansion', 'onboarding', 'reengagement', 'renewal', 'save']);
    const machines = resourcesOfType(raw, 'AWS::StepFunctions::StateMachine');
    expect(machines.map(([id]) => id).sort()).toEqual([logicalIdOf(STACK.app, '/Tend/Scoring/DailyRun/Resource'), ...playIds.map(machineOf)].sort());
    for (const [id, props] of machines) {
      expect({ id, type: props['StateMachineType'], tracing: props['TracingConfiguration'] }).toEqual({ id, type: 'STANDARD', tracing: { Enabled: true } });
      const logging = props['LoggingConfiguration'];
      expect(isObject(logging) ? logging['Level'] : undefined, `${id} log level`).toBe('ERROR');
      const destinations = isObject(logging) && Array.isArray(logging['Destinations']) ? logging['Destinations'] : [];
      expect(destinations, `${id} log destinations`).toHaveLength(1);
      const logGroupId = JSON.stringify(destinations[0]).match(/^\{"CloudWatchLogsLogGroup":\{"LogGroupArn":\{"Fn::GetAtt":\["(\w+)","Arn"\]\}\}\}$/)?.[1];
      expect(raw.Resources[logGroupId ?? '']?.Type, `${id} log group`).toBe('AWS::Logs::LogGroup');
    }
    for (const play of plays) expect(raw.Resources[machineOf(play.id)]?.Properties?.['StateMachineName'], play.id).toBe(`${STACK_NAME.app}-${play.id}`);
  });

  it("starts each event-triggered play from Tend's bus with a rule on its own pattern, and stops plays on churn, all through the Starter", () => {
    const rules = resourcesOfType(raw, 'AWS::Events::Rule');
    const busId = logicalIdOf(STACK.app, '/Tend/Events/Bus/Resource');
    const starterId = logicalIdOf(STACK.app, '/Tend/Plays/Starter/Resource');
    const patternOf = (path: string) => {
      const id = logicalIdOf(STACK.app, `/Tend/Plays/${path}/Resource`);
      const rule = raw.Resources[id];
      expect(rule?.Type, path).toBe('AWS::Events::Rule');
      expect(rule?.Properties?.['EventBusName'], `${path} bus`).toEqual({ Ref: busId });
      expect(rule?.Properties?.['Targets'], `${path} targets`).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [starterId, 'Arn'] } })]);
      return rule?.Properties?.['EventPattern'];
    };
    expect(patternOf('Start-onboarding')).toEqual({ source: ['tend'], 'detail-type': ['account.created'] });
    expect(patternOf('Start-save')).toEqual({ source: ['tend'], 'detail-type': ['tier.changed'], detail: { band: ['red'] } });
    expect(patternOf('Start-adoption')).toEqual({ source: ['tend'], 'detail-type': ['flag.started'], detail: { flag: ['low-adoption'] } });
    expect(patternOf('Start-expansion')).toEqual({
      source: ['tend'],
      'detail-type': ['flag.started'],
      detail: { flag: ['near-seat-limit', 'premium-interest', 'several-departments'] },
    });
    expect(patternOf('Start-advocacy')).toEqual({ source: ['tend'], 'detail-type': ['flag.started'], detail: { flag: ['promoter'] } });
    expect(patternOf('Start-reengagement')).toEqual({ source: ['tend'], 'detail-type': ['flag.started'], detail: { flag: ['no-login-7d'] } });
    expect(patternOf('StopOnChurn')).toEqual({ source: ['tend'], 'detail-type': ['account.churned'] });
    // The renewal play is date-triggered: the sweep starts it, no rule does.
    expect(plays.filter((p) => p.trigger.on === 'date').map((p) => p.id)).toEqual(['renewal']);
    const ruleIds = [...plays.filter((p) => p.trigger.on !== 'date').map((p) => `Start-${p.id}`), 'StopOnChurn'].map((path) =>
      logicalIdOf(STACK.app, `/Tend/Plays/${path}/Resource`),
    );
    expect(
      rules
        .map(([id]) => id)
        .filter((id) => id.startsWith('Plays'))
        .sort(),
    ).toEqual(ruleIds.sort());
  });

  it('sweeps for date-anchored plays daily through the Starter', () => {
    const sweep = raw.Resources[logicalIdOf(STACK.app, '/Tend/Plays/Sweep/Resource')];
    expect(sweep?.Type).toBe('AWS::Scheduler::Schedule');
    expect(sweep?.Properties?.['ScheduleExpression']).toBe(config.scoring.schedule);
    expect(sweep?.Properties?.['Target']).toMatchObject({
      Arn: { 'Fn::GetAtt': [logicalIdOf(STACK.app, '/Tend/Plays/Starter/Resource'), 'Arn'] },
      Input: JSON.stringify({ sweep: true }),
    });
  });
});

describe('IAM: least privilege', () => {
  interface Statement {
    stack: string;
    policy: string;
    roles: string[];
    actions: string[];
    resources: Json[];
    effect: string;
    raw: JsonObject;
  }

  /**
   * The only statements allowed to name `Resource: '*'`: those CDK adds for X-Ray tracing and for
   * Step Functions' log delivery. AWS supports no resource-level permissions for these actions.
   */
  const WILDCARD_ALLOWED = new Set([
    // Lambda and Step Functions active tracing.
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    // Step Functions logging to CloudWatch Logs (vended log delivery).
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ]);

  const asArray = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

  function statementsOf(stack: string, template: CfnTemplate): Statement[] {
    const out: Statement[] = [];
    const collect = (policy: string, document: Json | undefined, roles: string[]) => {
      const statements = isObject(document) ? asArray(document['Statement']) : [];
      for (const s of statements) {
        if (!isObject(s)) continue;
        out.push({
          stack,
          policy,
          roles,
          actions: asArray(s['Action']).map((a) => String(a)),
          resources: asArray(s['Resource']),
          effect: String(s['Effect']),
          raw: s,
        });
      }
    };
    for (const [id, r] of Object.entries(template.Resources)) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
        collect(id, p['PolicyDocument'], asArray(p['Roles']).map(render));
      }
      if (r.Type === 'AWS::IAM::Role') {
        for (const inline of asArray(p['Policies']))
          if (isObject(inline)) collect(`${id}/${render(inline['PolicyName'] ?? null)}`, inline['PolicyDocument'], [`<${id}>`]);
      }
    }
    return out;
  }

  let statements: Statement[];
  beforeAll(() => {
    statements = [...statementsOf(STACK.data, loadTemplate(STACK.data)), ...statementsOf(STACK.app, loadTemplate(STACK.app))];
  });

  const isWildcard = (resource: Json) => resource === '*';

  it('grants nothing on Resource "*" except the X-Ray and log-delivery actions AWS requires it for', () => {
    expect(statements.length).toBeGreaterThan(0);
    const offending = statements
      .filter((s) => s.resources.some(isWildcard))
      .flatMap((s) => s.actions.filter((a) => !WILDCARD_ALLOWED.has(a)).map((a) => `${s.stack}/${s.policy}: ${a} on "*"`));
    expect(offending).toEqual([]);
    // The X-Ray statement CDK adds for every traced function is there, and is the allowed exception.
    expect(statements.some((s) => s.actions.includes('xray:PutTraceSegments') && s.resources.some(isWildcard))).toBe(true);
  });

  it('allows no wildcard actions and uses no NotAction or NotResource', () => {
    expect(statements.flatMap((s) => s.actions.filter((a) => a === '*' || a.endsWith(':*')).map((a) => `${s.stack}/${s.policy}: ${a}`))).toEqual([]);
    expect(statements.filter((s) => 'NotAction' in s.raw || 'NotResource' in s.raw).map((s) => `${s.stack}/${s.policy}`)).toEqual([]);
  });

  it("scopes ses:SendEmail to the sender identities from the config and the configuration set, for the plays' Steps function and the notifier's email digest only", () => {
    const ses = statements.filter((s) => s.actions.some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(2);
    const stepsRole = logicalIdOf(STACK.app, '/Tend/Plays/Steps/ServiceRole/Resource');
    const notifierRole = logicalIdOf(STACK.app, '/Tend/Notifier/Handler/ServiceRole/Resource');
    expect(ses.flatMap((s) => s.roles).sort()).toEqual([`<${stepsRole}>`, `<${notifierRole}>`].sort());
    for (const statement of ses) {
      expect(statement.actions).toEqual(['ses:SendEmail']);

      const dataTemplate = loadTemplate(STACK.data);
      const [[configSetId]] = resourcesOfType(dataTemplate, 'AWS::SES::ConfigurationSet') as [[string, JsonObject]];
      const exportName = Object.values(dataTemplate.Outputs ?? {}).find((o) => isObject(o.Value) && o.Value['Ref'] === configSetId)?.Export?.Name;
      expect(exportName, 'TendData exports the configuration set name').toBeDefined();

      const arnPrefix = 'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:';
      const domain = config.sender.from.split('@')[1];
      expect(statement.resources.map(render).sort()).toEqual(
        [`${arnPrefix}identity/${domain}`, `${arnPrefix}identity/${config.sender.from}`, `${arnPrefix}configuration-set/<import:${exportName}>`].sort(),
      );
    }
  });

  it('scopes states:StartExecution to one state machine per statement: the play machines for the Starter and the API, the daily run for the scheduler and its own map', () => {
    const start = statements.filter((s) => s.actions.includes('states:StartExecution'));
    expect(start.every((s) => s.actions.length === 1 && s.roles.length === 1 && s.resources.length === 1)).toBe(true);
    const byRole = new Map<string, Json[]>();
    for (const s of start) byRole.set(s.roles[0]!, [...(byRole.get(s.roles[0]!) ?? []), ...s.resources]);
    const roleOf = (path: string) => `<${logicalIdOf(STACK.app, path)}>`;
    const playMachines = playIds.map((id) => ({ Ref: machineOf(id) }));
    const dailyRun = { Ref: logicalIdOf(STACK.app, '/Tend/Scoring/DailyRun/Resource') };
    expect(byRole.get(roleOf('/Tend/Plays/Starter/ServiceRole/Resource'))).toEqual(expect.arrayContaining(playMachines));
    expect(byRole.get(roleOf('/Tend/Plays/Starter/ServiceRole/Resource'))).toHaveLength(playIds.length);
    expect(byRole.get(roleOf('/Tend/Api/Handler/ServiceRole/Resource'))).toEqual(expect.arrayContaining(playMachines));
    expect(byRole.get(roleOf('/Tend/Api/Handler/ServiceRole/Resource'))).toHaveLength(playIds.length);
    // The scheduler starts the daily run; the daily run's Distributed Map starts its children. Nobody else starts anything.
    const others = [...byRole.entries()].filter(
      ([role]) => role !== roleOf('/Tend/Plays/Starter/ServiceRole/Resource') && role !== roleOf('/Tend/Api/Handler/ServiceRole/Resource'),
    );
    expect(others.map(([, resources]) => resources)).toEqual([[dailyRun], [dailyRun]]);
    expect(start).toHaveLength(2 * playIds.length + 2);
  });

  it("scopes states:StopExecution and DescribeExecution on plays to the play machines' executions, for the Starter and the API only", () => {
    const stop = statements.filter((s) => s.actions.includes('states:StopExecution') || s.actions.includes('states:DescribeExecution'));
    const dailyRunExecutions = executionsOf(logicalIdOf(STACK.app, '/Tend/Scoring/DailyRun/Resource'));
    const onPlays = stop.filter((s) => JSON.stringify(s.resources) !== JSON.stringify([dailyRunExecutions]));
    const roles = ['/Tend/Plays/Starter/ServiceRole/Resource', '/Tend/Api/Handler/ServiceRole/Resource'].map((path) => `<${logicalIdOf(STACK.app, path)}>`);
    for (const role of roles) {
      const mine = onPlays.filter((s) => s.roles.length === 1 && s.roles[0] === role);
      expect(
        mine.every((s) => [...s.actions].sort().join() === 'states:DescribeExecution,states:StopExecution'),
        role,
      ).toBe(true);
      expect(
        mine.flatMap((s) => s.resources),
        role,
      ).toEqual(expect.arrayContaining(playIds.map((id) => executionsOf(machineOf(id)))));
      expect(mine, role).toHaveLength(playIds.length);
    }
    expect(onPlays).toHaveLength(2 * playIds.length);
  });

  it('scopes DynamoDB access to the account table and its indexes', () => {
    const dynamo = statements.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    const tableId = logicalIdOf(STACK.data, '/TendData/Accounts/Table/Resource');
    const tableArnExport = Object.values(loadTemplate(STACK.data).Outputs ?? {}).find(
      (o) => isObject(o.Value) && JSON.stringify(o.Value) === JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] }),
    )?.Export?.Name;
    expect(tableArnExport).toBeDefined();
    for (const s of dynamo.filter((s) => s.stack === STACK.app)) {
      expect(s.resources.map(render).sort(), `${s.policy}`).toEqual([`<import:${tableArnExport}>`, `<import:${tableArnExport}>/index/*`]);
    }
    // In the data stack, only the deploy-time layout marks (tests/cdk/layout-marks.test.ts): the table and its catalog index.
    for (const s of dynamo.filter((s) => s.stack === STACK.data))
      expect([`<${tableId}.Arn>`, `<${tableId}.Arn>/index/gsi1`], `${s.policy}`).toEqual(expect.arrayContaining(s.resources.map(render)));
  });
});
