import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { startLocalRuntime, type LocalRuntimeOptions } from '../../local/runtime.ts';

export interface RequestOptions {
  /** The API key to send; the runtime's admin key by default, `null` for none. */
  key?: string | null;
  headers?: Record<string, string>;
}

/** A local runtime over the test run's assembly, in memory, with helpers for HTTP and the table. */
export async function testRuntime(options: Partial<LocalRuntimeOptions> = {}) {
  const rt = await startLocalRuntime({ assemblyDir: inject('assemblyDir'), schedules: false, ...options });
  const db = DynamoDBDocumentClient.from(rt.dynamo.client);
  // Every API route needs a key: tests act as an admin unless they say otherwise.
  const adminKey = await rt.createKey(['admin'], 'tests');
  return {
    ...rt,
    db,
    adminKey,
    async request(method: string, path: string, body?: unknown, raw?: string, opts: RequestOptions = {}) {
      const key = opts.key === undefined ? adminKey : opts.key;
      const res = await fetch(`${rt.url}${path}`, {
        method,
        headers: {
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...opts.headers,
        },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await res.text();
      let parsed: Record<string, any> | undefined;
      try {
        parsed = text ? (JSON.parse(text) as Record<string, any>) : undefined;
      } catch {
        parsed = { text };
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    /** The hourly rescoring, fired an hour later: it reads only the marks of hours that have ended (docs/data-model.md, "Rescoring marks in hour buckets"). */
    async rescore() {
      const running = !rt.clock.paused;
      if (running) rt.clock.pause();
      rt.clock.advanceTo(rt.clock.nowMs() + 3_600_000);
      if (running) rt.clock.resume();
      await rt.scheduler.fire(rt.scheduler.schedules.find((s) => s.expression.startsWith('rate'))!);
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
