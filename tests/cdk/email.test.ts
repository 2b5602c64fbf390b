import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SES_DETAIL_TYPES } from '../../functions/core/email/feedback.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { buildApp } from '../../lib/app.ts';
import userConfig from '../../tend.config.ts';
import { loadTemplate, logicalIdOf, resourcesOfType, STACK, STACK_NAME, type CfnTemplate } from './assembly.ts';
import { bundleOf, loadedText } from './bundle-files.ts';

describe('email resources', () => {
  let data: Template;
  let app: Template;
  let appRaw: CfnTemplate;
  beforeAll(() => {
    data = Template.fromJSON(loadTemplate(STACK.data) as never);
    appRaw = loadTemplate(STACK.app);
    app = Template.fromJSON(appRaw as never);
  });

  it('publishes bounces, complaints, deliveries, opens and clicks to the default EventBridge bus', () => {
    data.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['send', 'delivery', 'reject', 'bounce', 'complaint', 'open', 'click']),
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
    expect(JSON.stringify(resourcesOfType(loadTemplate(STACK.data), 'AWS::SES::ConfigurationSetEventDestination'))).toContain(':event-bus/default');
  });

  it('routes the SES events to the email-events function with a rule on the default bus', () => {
    app.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ses'], 'detail-type': [...SES_DETAIL_TYPES] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalIdOf(STACK.app, '/Tend/EmailEvents/Handler/Resource'), 'Arn'] } })],
    });
    const rules = resourcesOfType(appRaw, 'AWS::Events::Rule').filter(([, r]) => JSON.stringify(r).includes('aws.ses'));
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].EventBusName).toBeUndefined();
  });

  it('generates the unsubscribe signing key in the data stack, and only the sending and unsubscribe functions may read it', () => {
    data.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) });
    const readers = resourcesOfType(appRaw, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p).includes('secretsmanager:GetSecretValue') && JSON.stringify(p).includes('UnsubscribeKey'))
      .map(([id]) => id);
    expect(readers).toHaveLength(2);
    expect(readers.some((id) => id.startsWith('PlaysSteps'))).toBe(true);
    expect(readers.some((id) => id.startsWith('Unsubscribe'))).toBe(true);
    const ssm = resourcesOfType(appRaw, 'AWS::IAM::Policy')
      .flatMap(([, p]) => JSON.stringify(p).match(/ssm:GetParameter"[^\]]*\]/g) ?? [])
      .filter((statement) => !statement.includes('slack-bot-token'));
    expect(ssm.length).toBe(2);
    for (const statement of ssm) expect(statement).toContain(`parameter/aws/reference/secretsmanager/tend/${STACK_NAME.data}/unsubscribe-signing-key`);
  });

  it('keeps the unsubscribe routes public, whatever default authorizer the API gets', () => {
    const routes = resourcesOfType(appRaw, 'AWS::ApiGatewayV2::Route').filter(([, r]) => String(r.RouteKey).endsWith(' /v1/unsubscribe'));
    expect(routes.map(([, r]) => [r.RouteKey, r.AuthorizationType]).sort()).toEqual([
      ['GET /v1/unsubscribe', 'NONE'],
      ['POST /v1/unsubscribe', 'NONE'],
    ]);
  });

  it('gives the sending function its unsubscribe environment', () => {
    app.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PUBLIC_API_URL: Match.anyValue(),
          UNSUBSCRIBE_SECRET_NAME: `tend/${STACK_NAME.data}/unsubscribe-signing-key`,
          CONFIGURATION_SET: Match.anyValue(),
          TABLE_NAME: Match.anyValue(),
        }),
      },
    });
  });

  it('bundles the sending function with its templates precompiled and without the Handlebars compiler', () => {
    const steps = loadedText('/Tend/Plays/Steps/Resource');
    // What each template needs is loaded at cold start; the specs are a lazy chunk (tests/cdk/bundles.test.ts).
    expect(steps).toContain('"renewal-notice":["year","renewal"]');
    // The compiler's parser and code generator stay out: only the runtime is bundled.
    const { lazy } = bundleOf('/Tend/Plays/Steps/Resource');
    expect([steps, ...lazy.values()].join('\n')).not.toMatch(/Parse error on line|JavaScriptCompiler/);
    // Functions that send nothing carry no templates.
    expect(loadedText('/Tend/Scoring/Handler/Resource')).not.toContain('"renewal-notice":');
  });
});

describe('email replies (email.replies in tend.config.ts)', () => {
  const config = parseConfig({ ...userConfig, email: { replies: { address: 'replies@in.acme.example' } } });
  const assembly = () => buildApp({ outdir: join(mkdtempSync(join(tmpdir(), 'tend-replies-')), 'cdk.out'), config, bundling: false }).synth();

  it('adds a receipt rule for the reply address that invokes the replies function asynchronously, which may read the send ledger', () => {
    const app = Template.fromJSON(assembly().getStackByName(STACK_NAME.app).template as never);
    app.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    app.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Enabled: true,
        ScanEnabled: true,
        Recipients: ['replies@in.acme.example'],
        Actions: [{ LambdaAction: Match.objectLike({ InvocationType: 'Event' }) }],
      }),
    });
    app.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'ses.amazonaws.com', Action: 'lambda:InvokeFunction' });
    app.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('email replies'),
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('leaves no unsuppressed cdk-nag finding', () => {
    const findings = assembly().stacks.flatMap((s) =>
      s.messages.filter((m) => m.level === 'error' || m.level === 'warning').map((m) => `${s.stackName} ${m.id}: ${String(m.entry.data).split('\n')[0]}`),
    );
    expect(findings).toEqual([]);
  });

  it('is absent unless configured', () => {
    Template.fromJSON(loadTemplate(STACK.app) as never).resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
  });
});
