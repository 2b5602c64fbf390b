import { join, resolve } from 'node:path';
import { startLocalRuntime } from '../local/runtime.ts';
import { localAssembly } from './assembly.ts';
import { clearDevSession, devSession, writeDevSession } from './local-state.ts';
import { devKey } from './dev-key.ts';
import { ensureWebApp, WEB_DIST } from '../web/build.ts';

export interface DevOptions {
  port: number;
  sesPort: number;
  speed: number;
  data: string;
  /** Start the clock here instead of where the last session left it. */
  from?: Date;
}

/** `tend dev`: the local runtime with data on disk, until Ctrl-C. */
export async function dev(options: DevOptions) {
  const dataDir = resolve(options.data);
  const running = devSession(dataDir);
  if (running) throw new Error(`tend dev already runs on ${dataDir} (pid ${running.pid}, ${running.url}): use that one, or stop it first`);
  const log = (line: string) => console.error(line);
  const assemblyDir = await localAssembly(dataDir, log);
  await ensureWebApp(log);
  const rt = await startLocalRuntime({
    assemblyDir,
    dataDir: join(dataDir, 'state'),
    port: options.port,
    sesPort: options.sesPort,
    speed: options.speed,
    start: options.from,
    log,
    webDir: WEB_DIST,
  }).catch((err: unknown) => {
    const inUse = String(err).match(/EADDRINUSE.*:(\d+)/);
    if (!inUse) throw err;
    const flag = Number(inUse[1]) === options.sesPort ? '--ses-port' : '--port';
    throw new Error(`port ${inUse[1]} is in use (another tend dev or tend demo?): stop it, or pass ${flag} <another port> (0: any free port)`);
  });
  const key = await devKey(rt, dataDir);
  writeDevSession(dataDir, { url: rt.url, key, dynamoEndpoint: rt.dynamo.endpoint, tableName: rt.tableName, pid: process.pid });
  // Sign-in (docs/auth.md): the people made at this start, with their passwords (shown only now).
  const people = rt.oidc.newUsers.map((u) => `\n             ${u.email} (${u.role})  password ${u.password}`).join('');
  console.log(`Tend is running locally.
  Web app    ${rt.url}/
  API        ${rt.url}   (GET /health, POST /v1/accounts, POST /v1/events, GET /v1/accounts/{id}; GET /v1/openapi.json lists all)
  API key    ${key}   (admin; kept in ${join(dataDir, 'dev-key.json')})
             curl -H "Authorization: Bearer ${key}" ${rt.url}/v1/accounts
  Sign-in    ${rt.oidc.issuer.issuer}   (tend users list | add | set-password)${people}
  Outbox     ${rt.url}/local/outbox   (?to=address, ?account=id; viewer: ${rt.sesUrl})
  Slack      ${rt.url}/local/slack   (the alerts a Slack stand-in received; tend slack)
  Plays      ${rt.url}/v1/plays   (runs waiting on the clock resume after a restart; tend plays list)
  Clock      ${rt.clock.now().toISOString()} at ${options.speed}x   (${options.from ? 'from --from' : 'saved: it goes on from the last session'}; tend clock, ${rt.url}/local/clock)
  Data       ${dataDir}
Other tend commands with --data ${options.data} go through this instance. Ctrl-C to stop.`);
  const stop = async () => {
    clearDevSession(dataDir);
    await rt.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
