import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../../functions/data/keys.ts';
import { LIST_ENTRY_ATTRIBUTES } from '../../functions/core/account-list-entry.ts';

/** The one table: accounts, usage rollups, scores, runs and sends over generic keys (docs/data-model.md). */
export class AccountTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_KEYS.ttl,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi1.name,
      partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: AttributeType.STRING },
    });
    // The account list's sorted entries (docs/data-model.md "Sorted account lists"): sparse, and
    // projecting only what the filters read keeps each entry small (a write unit, 250 bytes read).
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi2.name,
      partitionKey: { name: TABLE_KEYS.gsi2.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi2.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...LIST_ENTRY_ATTRIBUTES],
    });
  }

  /** Read/write access and the TABLE_NAME variable, in one call. */
  bind(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.table.grantReadWriteData(fn);
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
  }
}
