import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/data/keys.ts';
import { loadTemplate, logicalIdOf, render, resourcesOfType, STACK, type Json, type JsonObject } from './assembly.ts';

const data = () => loadTemplate(STACK.data);
const statementsOf = (policy: JsonObject) => ((policy['PolicyDocument'] as JsonObject)['Statement'] as JsonObject[]).map((s) => s);
const asList = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

describe('the layout marks at deploy (lib/constructs/layout-marks.ts)', () => {
  it('is a custom resource of the data stack, served by its marking function through the provider framework, naming the table and the marks', () => {
    const handler = logicalIdOf(STACK.data, '/TendData/LayoutMarks/Handler/Resource');
    const table = logicalIdOf(STACK.data, '/TendData/Accounts/Table/Resource');
    const resources = resourcesOfType(data(), 'Custom::TendLayoutMarks');
    expect(resources).toHaveLength(1);
    const marks = resources[0]![1];
    expect(render(marks['TableName']!)).toBe(`<${table}>`);
    expect(marks['Marks']).toEqual([keys.metricLayoutReady, keys.listReady, keys.renewalDaysReady].map((m) => `${m.pk}#${m.sk}`));
    const framework = resourcesOfType(data(), 'AWS::Lambda::Function').find(([, p]) => String(p['Handler']) === 'framework.onEvent');
    expect(render(((framework![1]['Environment'] as JsonObject)['Variables'] as JsonObject)['USER_ON_EVENT_FUNCTION_ARN']!)).toBe(`<${handler}.Arn>`);
    expect(render(marks['ServiceToken']!)).toBe(`<${framework![0]}.Arn>`);
    // `cdk deploy` prints whether the table is marked (false: run the rebuild).
    const custom = resourcesOfType(data(), 'Custom::TendLayoutMarks')[0]![0];
    expect(Object.values(data().Outputs ?? {}).map((o) => render(o.Value))).toContain(`<${custom}.Marked>`);
  });

  it("gives the marking function Query on the catalog's index and GetItem and PutItem of the marks' partitions, on the one table, and nothing else", () => {
    const role = logicalIdOf(STACK.data, '/TendData/LayoutMarks/Handler/ServiceRole/Resource');
    const table = logicalIdOf(STACK.data, '/TendData/Accounts/Table/Resource');
    const policies = resourcesOfType(data(), 'AWS::IAM::Policy').filter(([, p]) => asList(p['Roles']).some((r) => render(r) === `<${role}>`));
    const granted = policies.flatMap(([, p]) => statementsOf(p)).filter((s) => !asList(s['Action']).every((a) => String(a).startsWith('xray:')));
    expect(granted.map((s) => ({ actions: asList(s['Action']), resources: asList(s['Resource']).map(render), condition: s['Condition'] ?? null }))).toEqual([
      { actions: ['dynamodb:Query'], resources: [`<${table}.Arn>/index/gsi1`], condition: null },
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [`<${table}.Arn>`],
        condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['METRICS', 'ACCOUNTLIST', 'RENEWALDAYS'] } },
      },
    ]);
    // No managed policy beyond the logs' basic execution role.
    const [, roleProps] = resourcesOfType(data(), 'AWS::IAM::Role').find(([id]) => id === role)!;
    expect(asList(roleProps['ManagedPolicyArns']).map(render)).toEqual(['arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
  });
});
