import { waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * A table just created is CREATING for a moment (dynalite too, even with createTableMs 0: it turns
 * ACTIVE on a timer, after a write to its store), and "Requested resource not found" to every item
 * call until then: on a brand-new data folder the first command lost that race. Whoever creates the
 * tables (a CLI command, the local runtime) waits here before the first use.
 */
export async function tablesActive(client: DynamoDBClient, names: string[]): Promise<void> {
  // The SDK's waiter asks at once, then every second (minDelay), until ACTIVE.
  await Promise.all(names.map((TableName) => waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { TableName })));
}
