import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudAssembly } from '../local/assembly.ts';
import { savedClock } from '../local/clock-file.ts';
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
  let session: DevSession;
  try {
    session = JSON.parse(readFileSync(sessionFile(dataDir), 'utf8')) as DevSession;
    process.kill(session.pid, 0);
    return session;
  } catch {
    // A session file left by a process that died (or cut short while written): nobody runs there.
    return undefined;
  }
}

/** The running `tend dev`'s clock (GET /health), the time its data lives in. */
export async function devClock(session: DevSession): Promise<{ time: Date; speed: number; paused: boolean }> {
  const res = await fetch(`${session.url}/health`).catch(() => undefined);
  if (!res?.ok) throw new Error(`the tend dev at ${session.url} does not answer (pid ${session.pid}): stop it and start it again`);
  const body = (await res.json()) as { time: string; speed: number; paused?: boolean };
  return { time: new Date(body.time), speed: body.speed, paused: body.paused ?? false };
}

/** No local data to read: the one line that says how to get some. */
export class NoLocalDataError extends Error {
  constructor(dataDir: string) {
    super(`no local data in ${dataDir}: run \`tend demo\` for sample data, or \`tend dev\` and add accounts (README: Running Tend locally)`);
  }
}

/** The data folder is held by a process that is not a `tend dev` with a session file (a demo still serving, another command). */
export class LocalDataBusyError extends Error {
  constructor(dataDir: string) {
    super(
      `the local data in ${dataDir} is open in another process (a tend demo still simulating its days, or another command): run this again when it is done`,
    );
  }
}

export interface OpenedTable {
  client: DynamoDBClient;
  table: string;
  where: string;
  /** The time the data lives in: the running tend dev's clock, the clock it saved on stopping, or now (a deployed table). */
  now(): Promise<Date>;
  /** Whose clock `now()` reads, for a command to print. */
  clock: string;
  /** The running tend dev's API, for links a command renders (unsubscribe links in a preview). */
  apiUrl?: string;
  close(): Promise<void>;
}

/**
 * The table a command works on: a deployed one (`--table`, AWS credentials from the environment),
 * the one of a running `tend dev` (through its DynamoDB endpoint: dynalite keeps one process per
 * folder), or the local data on disk, opened here when nobody else has it open.
 */
export async function openTable(options: {
  data: string;
  table?: string;
  region?: string;
  /** A command that only reads: say how to get data rather than create an empty table. */
  mustExist?: boolean;
  /** A synthesized assembly to use instead of synthesizing into the data folder (tests). */
  assemblyDir?: string;
}): Promise<OpenedTable> {
  if (options.table) {
    const client = new DynamoDBClient({ region: options.region });
    return { client, table: options.table, where: `table ${options.table}`, now: async () => new Date(), clock: 'now', close: async () => client.destroy() };
  }
  const running = devSession(options.data);
  if (running) {
    const client = new DynamoDBClient({ endpoint: running.dynamoEndpoint, region: 'us-east-1', credentials: localCredentials });
    return {
      client,
      table: running.tableName,
      where: `the running tend dev (${running.url})`,
      now: async () => (await devClock(running)).time,
      clock: `the clock of the running tend dev, ${running.url}`,
      apiUrl: running.url,
      close: async () => client.destroy(),
    };
  }
  const dataDir = resolve(options.data);
  const stateDir = join(dataDir, 'state');
  if (options.mustExist && !existsSync(join(stateDir, 'dynamodb'))) throw new NoLocalDataError(dataDir);
  const assembly = new CloudAssembly(options.assemblyDir ?? (await localAssembly(dataDir, () => {})));
  const dynamo = new LocalDynamo();
  mkdirSync(join(stateDir, 'dynamodb'), { recursive: true });
  await dynamo.start({ path: join(stateDir, 'dynamodb') });
  try {
    await dynamo.createTables(assembly);
  } catch (err) {
    await dynamo.stop().catch(() => {});
    // LevelDB takes one process per folder; the second one's store never opens.
    if (/not open|lock/i.test(String(err))) throw new LocalDataBusyError(dataDir);
    throw err;
  }
  await tablesActive(
    dynamo.client,
    dynamo.tables.map((t) => t.name),
  );
  return {
    client: dynamo.client,
    table: dynamo.tables[0]!.name,
    where: `local data in ${dataDir}`,
    now: async () => savedClock(stateDir) ?? new Date(),
    clock: savedClock(stateDir) ? 'the clock tend dev saved when it stopped' : 'now (no clock saved)',
    close: () => dynamo.stop(),
  };
}
