import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { startLocalRuntime, type LocalRuntimeOptions } from '../../local/runtime.ts';

/** A local runtime over the test run's assembly, in memory, with helpers for HTTP and the table. */
export async function testRuntime(options: Partial<LocalRuntimeOptions> = {}) {
  const rt = await startLocalRuntime({ assemblyDir: inject('assemblyDir'), schedules: false, ...options });
  const db = DynamoDBDocumentClient.from(rt.dynamo.client);
  return {
    ...rt,
    db,
    async request(method: string, path: string, body?: unknown, raw?: string) {
      const res = await fetch(`${rt.url}${path}`, {
        method,
        headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
    },
    async items(accountId: string, prefix = '') {
      const out = await db.send(
        new QueryCommand({
          TableName: rt.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':p': prefix },
        }),
      );
      return out.Items ?? [];
    },
  };
}

export type TestRuntime = Awaited<ReturnType<typeof testRuntime>>;
