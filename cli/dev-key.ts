import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf, keyMatches } from '../functions/core/api-keys.ts';
import { apiKeyRepo } from '../functions/data/api-keys.ts';
import type { LocalRuntime } from '../local/runtime.ts';

/** The admin key of `tend dev`: the one kept under the data folder while it still works, else a new one. */
export async function devKey(rt: LocalRuntime, dataDir: string): Promise<string> {
  const file = join(dataDir, 'dev-key.json');
  if (existsSync(file)) {
    const { key } = JSON.parse(readFileSync(file, 'utf8')) as { key: string };
    const id = keyIdOf(key);
    const record = id ? await apiKeyRepo(DynamoDBDocumentClient.from(rt.dynamo.client), rt.tableName).get(id) : undefined;
    if (record && keyMatches(key, record)) return key;
  }
  const key = await rt.createKey(['admin'], 'tend dev');
  writeFileSync(file, JSON.stringify({ key }), { mode: 0o600 });
  return key;
}
