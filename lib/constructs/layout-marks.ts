import { CfnOutput, CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LAYOUT_MARKS } from '../../functions/data/layout-marks.ts';
import { TABLE_KEYS } from '../../functions/data/keys.ts';
import { TendFunction } from './tend-function.ts';

/**
 * At deploy, marks a table that holds no account as having every derived item (the metric aggregates'
 * layout, the sorted account lists, the renewal days: functions/data/layout-marks.ts decides), so a new
 * stage reads them from its first request instead of the whole book. A table with accounts is left for
 * `tend metrics rebuild`. It runs on Create and again when the marks' keys change (a new layout).
 */
export class LayoutMarks extends Construct {
  readonly handler: TendFunction;

  constructor(scope: Construct, id: string, props: { table: Table }) {
    super(scope, id);
    this.handler = new TendFunction(this, 'Handler', {
      entry: 'functions/table-marks/handler.ts',
      description: 'Deploy time: marks the account table ready for derived reads when it holds no account',
      timeout: Duration.minutes(1),
      memorySize: 256,
    });
    // Least privilege: Query on the catalog's index, and GetItem and PutItem of the marks' partitions only.
    this.handler.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${props.table.tableArn}/index/${TABLE_KEYS.gsi1.name}`] }));
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': LAYOUT_MARKS.map((m) => m.pk) } },
      }),
    );
    const provider = new Provider(this, 'Provider', {
      onEventHandler: this.handler,
      logGroup: new LogGroup(this, 'ProviderLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    const marks = new CustomResource(this, 'Marks', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::TendLayoutMarks',
      properties: { TableName: props.table.tableName, Marks: LAYOUT_MARKS.map((m) => `${m.pk}#${m.sk}`) },
    });
    // Printed by `cdk deploy`: a stage with accounts and no marks is slow until its rebuild, and should not be so silently.
    new CfnOutput(this, 'LayoutMarked', {
      description: 'false: the table holds accounts without the layout marks; run `tend metrics rebuild --table <table>` once (docs/operations.md)',
      value: marks.getAttString('Marked'),
    });
  }
}
