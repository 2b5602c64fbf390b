import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudAssembly } from '../local/assembly.ts';
import { localCredentials } from '../local/credentials.ts';
import { LocalDynamo } from '../local/dynamodb.ts';
import { tablesActive } from '../local/tables-active.ts';
import { localAssembly } from './assembly.ts';

/** What a running `tend dev` leaves in its data folder, so other commands can reach it. */
export interface DevSession {
  url: string;
  key: string;
  dynamoEndpoint: string;
  tableName: string;
  pid: number;
}

const sessionFile = (dataDir: string) => join(resolve(dataDir), 'dev.json');

export function writeDevSession(dataDir: string, session: DevSession) {
  mkdirSync(resolve(dataDir), { recursive: true });
  writeFileSync(sessionFile(dataDir), JSON.stringify(session, null, 2), { mode: 0o600 });
}

export function clearDevSession(dataDir: string) {
  rmSync(sessionFile(dataDir), { force: true });
}

/** The running `tend dev` of a data folder, if its process is alive. */
export function devSession(dataDir: string): DevSession | undefined {
  if (!existsSync(sessionFile(dataDir))) return undefined;
  const session = JSON.parse(readFileSync(sessionFile(dataDir), 'utf8')) as DevSession;
  try {
    process.kill(session.pid, 0);
    return session;
  } catch {
    return undefined;
  }
}

/**
 * The table a command works on: a deployed one (`--table`, AWS credentials from the environment),
 * the one of a running `tend dev`, or the local data on disk (opened here; `tend dev` must not run).
 */
export async function openTable(options: {
  data: string;
  table?: string;
  region?: string;
  /** A synthesized assembly to use instead of synthesizing into the data folder (tests). */
  assemblyDir?: string;
}): Promise<{ client: DynamoDBClient; table: string; where: string; close(): Promise<void> }> {
  if (options.table) {
    const client = new DynamoDBClient({ region: options.region });
    return { client, table: options.table, where: `table ${options.table}`, close: async () => client.destroy() };
  }
  const running = devSession(options.data);
  if (running) {
    const client = new DynamoDBClient({ endpoint: running.dynamoEndpoint, region: 'us-east-1', credentials: localCredentials });
    return { client, table: running.tableName, where: `the running tend dev (${running.url})`, close: async () => client.destroy() };
  }
  const dataDir = resolve(options.data);
  const assembly = new CloudAssembly(options.assemblyDir ?? (await localAssembly(dataDir, () => {})));
  const dynamo = new LocalDynamo();
  mkdirSync(join(dataDir, 'state', 'dynamodb'), { recursive: true });
  await dynamo.start({ path: join(dataDir, 'state', 'dynamodb') });
  await dynamo.createTables(assembly);
  await tablesActive(
    dynamo.client,
    dynamo.tables.map((t) => t.name),
  );
  return { client: dynamo.client, table: dynamo.tables[0]!.name, where: `local data in ${dataDir}`, close: () => dynamo.stop() };
}
