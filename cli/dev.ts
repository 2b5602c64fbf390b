import { join, resolve } from 'node:path';
import { startLocalRuntime } from '../local/runtime.ts';
import { localAssembly } from './assembly.ts';

/** `tend dev`: the local runtime with data on disk, until Ctrl-C. */
export async function dev(options: { port: number; speed: number; data: string }) {
  const dataDir = resolve(options.data);
  const log = (line: string) => console.error(line);
  const assemblyDir = await localAssembly(dataDir, log);
  const rt = await startLocalRuntime({ assemblyDir, dataDir: join(dataDir, 'state'), port: options.port, speed: options.speed, log });
  console.log(`Tend is running locally.
  API        ${rt.url}   (GET /health, POST /v1/accounts, POST /v1/events, GET /v1/accounts/{id})
  Outbox     ${rt.url}/local/outbox   (viewer: ${rt.sesUrl})
  Clock      ${rt.clock.now().toISOString()} at ${options.speed}x
  Data       ${dataDir}
Ctrl-C to stop.`);
  const stop = async () => {
    await rt.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
