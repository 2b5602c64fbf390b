import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { markIfNoAccounts } from '../functions/data/layout-marks.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { localSigningKey } from './signing-key.ts';
import { join } from 'node:path';
import { CloudAssembly, LOCAL_REGION } from './assembly.ts';
import { VirtualClock } from './clock.ts';
import { clockSaver, savedClock, saveClock as saveClockFile } from './clock-file.ts';
import { localCredentials } from './credentials.ts';
import { LocalDynamo } from './dynamodb.ts';
import { LOCAL_DYNAMODB_HANDLER } from './in-process-handler.ts';
import { LocalEventBridge } from './eventbridge.ts';
import { httpApi, routesOf } from './http-api.ts';
import { LambdaHost } from './lambdas.ts';
import { LocalScheduler } from './scheduler.ts';
import { SettlePulse } from './settle-pulse.ts';
import { ClockControl } from './clock-control.ts';
import { clockRoute, outboxRoute } from './local-routes.ts';
import { tablesActive } from './tables-active.ts';
import { LocalSes } from './ses.ts';
import { LOCAL_SLACK_TOKEN, LocalSlack, type SlackFault } from './slack.ts';
import { stepFunctionsApi } from './stepfunctions/api.ts';
import { createApiKey } from './api-keys.ts';
import type { Scope } from '../functions/core/api-keys.ts';
import { LocalStepFunctions } from './stepfunctions/runner.ts';
import { webAppHandler } from './web-app.ts';
import { CheckpointStore } from './stepfunctions/checkpoints.ts';
import { localIssuer, signInRoutes } from './oidc-issuer.ts';

export interface LocalRuntimeOptions {
  /** The synthesized assembly (cdk.out) to run. */
  assemblyDir: string;
  /** Keep DynamoDB on disk under this folder; in memory when absent. */
  dataDir?: string;
  port?: number;
  /** Port of the SES stand-in's viewer (default: any free port). */
  sesPort?: number;
  /** Virtual seconds per real second (86400: a day a second). */
  speed?: number;
  start?: Date;
  /** Fire the template's schedules on the clock (default true). */
  schedules?: boolean;
  /** Leave the clock paused once started, for a caller that sets up a scene first (then `clock.resume()`). */
  paused?: boolean;
  log?: (line: string) => void;
  /** Serve the built web app from this folder at `/` (web/dist; tend dev and the demo build it). */
  webDir?: string;
  /** The CSMs who can sign in (role csm) besides the built-in admin and viewer; tend.config.ts's `csms` by default. */
  csms?: readonly { email: string; name: string }[];
}

export type LocalRuntime = Awaited<ReturnType<typeof startLocalRuntime>>;

/**
 * `GET /local/slack`: the messages the Slack stand-in received (`tend slack`); `POST` with
 * `{ "fail": "500" | "ratelimited", "count": n, "retryAfter": seconds }` makes its next calls fail.
 */
async function localSlackRoute(slack: LocalSlack, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  res.setHeader('content-type', 'application/json');
  if (req.method === 'GET') return res.end(JSON.stringify({ messages: slack.messages, calls: slack.calls }));
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let body: { fail?: string; count?: number; retryAfter?: number; clear?: boolean };
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof body;
  } catch {
    res.writeHead(400);
    return res.end(JSON.stringify({ error: 'a JSON body: { fail, count, retryAfter } or { clear: true }' }));
  }
  if (body.clear) slack.clear();
  if (body.fail !== undefined) {
    const count = Number.isInteger(body.count) && body.count! > 0 && body.count! <= 100 ? body.count! : 1;
    const retryAfter = Number.isInteger(body.retryAfter) && body.retryAfter! >= 0 && body.retryAfter! <= 60 ? body.retryAfter! : 1;
    const fault: SlackFault | undefined =
      body.fail === '500' ? { kind: '500' } : body.fail === 'ratelimited' ? { kind: 'ratelimited', retryAfterSeconds: retryAfter } : undefined;
    if (!fault) {
      res.writeHead(400);
      return res.end(JSON.stringify({ error: 'fail: "500" or "ratelimited"' }));
    }
    slack.fail(fault, count);
  }
  return res.end(JSON.stringify({ ok: true }));
}

/** `idle()` looks again this often even without a settle pulse (a safety net: every way out of busy fires one). */
const IDLE_RECHECK_MS = 5;

async function listen(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => server.listen(port, '127.0.0.1', resolve).once('error', reject));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Tend on this machine: the synthesized template's table, functions, HTTP routes, schedules and
 * state machines on in-process stand-ins (dynalite, aws-ses-v2-local, aws-local-stepfunctions),
 * all on one virtual clock. No AWS account, no Docker, no Java.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions) {
  const log = options.log ?? (() => {});
  const assembly = new CloudAssembly(options.assemblyDir);
  // With data on disk, the clock goes on from where the last session left it (unless told a start).
  const dataDir = options.dataDir;
  const clock = new VirtualClock(options.start ?? (dataDir ? savedClock(dataDir) : undefined) ?? new Date(), options.speed ?? 1);
  const saveClock = () => {
    if (dataDir) saveClockFile(dataDir, clock.now());
  };
  // Time stands still while the stand-ins start and the bundles load (a second of start-up is days at speed).
  clock.pause();
  clock.install();

  const dynamo = new LocalDynamo();
  if (options.dataDir) mkdirSync(join(options.dataDir, 'dynamodb'), { recursive: true });
  await dynamo.start({ path: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined });
  const created = await dynamo.createTables(assembly);
  await tablesActive(
    dynamo.client,
    dynamo.tables.map((t) => t.name),
  );
  // A new table has no accounts, so every account's list entries exist: lists read the index from the start (issue 16).
  // So do the renewal day items (the Overview's renewals chart), and the metric aggregates' layout. The same
  // decision as a deploy's (lib/constructs/layout-marks.ts): a table holding accounts waits for `tend metrics rebuild`.
  if (created.includes(dynamo.tables[0]!.name)) await markIfNoAccounts(DynamoDBDocumentClient.from(dynamo.client), dynamo.tables[0]!.name, clock.now());
  const ses = new LocalSes();
  await ses.start(options.sesPort);
  // Slack's Web API for the notifier's WebClient (local/slack.ts), on the same clock.
  const slack = new LocalSlack();
  await slack.start();
  slack.now = () => clock.now();
  const unsubscribeKey = localSigningKey(options.dataDir);

  const sfnServer = createServer();
  const sfnEndpoint = await listen(sfnServer);
  const eventsServer = createServer();
  const eventsEndpoint = await listen(eventsServer);
  const lambdas = new LambdaHost(
    assembly,
    {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      // The bundles' DynamoDB requests are served in this process (LOCAL_DYNAMODB_HANDLER below); the endpoint only names it.
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SFN: sfnEndpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventsEndpoint,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      // CloudWatch metrics (EMF lines) mean nothing on this machine.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      // Lambda runs Node 22; this machine may run Node 20, where the SDK warns at every cold start.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // The unsubscribe links' key: Secrets Manager on AWS, a local file (or this run's memory) here.
      UNSUBSCRIBE_KEY: unsubscribeKey,
      // The notifier talks to the Slack stand-in, with its token (on AWS: a Secrets Manager secret).
      SLACK_API_URL: slack.endpoint,
      SLACK_BOT_TOKEN: LOCAL_SLACK_TOKEN,
      // Every function shares this thread: a busy moment (hundreds of play steps) must not time a post out.
      SLACK_TIMEOUT_MS: '120000',
      // The same for the SES stand-in's connections (functions/adapters/ses-mailer.ts).
      SES_CONNECTION_TIMEOUT_MS: '120000',
    },
    { [LOCAL_DYNAMODB_HANDLER]: dynamo.requestHandler },
  );
  let sfn: LocalStepFunctions;
  try {
    sfn = new LocalStepFunctions(assembly, lambdas, clock, options.dataDir ? new CheckpointStore(join(options.dataDir, 'executions')) : undefined);
  } catch (err) {
    // A machine the runtime cannot run: stop what was started, then say which.
    await Promise.all([new Promise((r) => sfnServer.close(r)), new Promise((r) => eventsServer.close(r)), ses.stop(), slack.stop(), dynamo.stop()]);
    clock.uninstall();
    throw err;
  }
  sfnServer.on('request', stepFunctionsApi(sfn));
  const events = new LocalEventBridge(assembly, lambdas, sfn, clock, (err) => log(`event delivery failed: ${String(err)}`));
  eventsServer.on('request', events.api());
  // SES's sending events (the configuration set's destination) reach the same bus, on the same clock.
  ses.now = () => clock.now();
  ses.onEvent = (detailType, detail) => void events.put([{ Source: 'aws.ses', DetailType: detailType, Detail: JSON.stringify(detail) }]);

  const settle = new SettlePulse();
  lambdas.onSettle = () => {
    settle.fire();
    // Runs waiting for their turn go once no handler runs (local/stepfunctions/instant-order.ts).
    sfn.order.look();
  };
  sfn.onSettle = () => settle.fire();
  /** Resolves once no handler runs and every live execution waits on the clock. */
  const idle = async (): Promise<void> => {
    const busy = () => {
      if (lambdas.inFlight > 0) return true;
      for (const e of sfn.live) if (e.status === 'RUNNING' && !e.waitingUntil) return true;
      return false;
    };
    // Looked at again when a handler returns or a run ends or waits (the only ways out of busy),
    // not at every event-loop turn: the demo steps its clock ~900 times and spinning took a core.
    while (busy()) await settle.next(IDLE_RECHECK_MS);
    // Work a finished handler set off (an event delivered, a run started) begins within a turn.
    await new Promise((r) => setImmediate(r));
    if (busy()) return idle();
  };
  const scheduler = new LocalScheduler(assembly, lambdas, sfn, clock, (s, err) => log(`schedule ${s.name} failed: ${String(err)}`));
  const clockControl = new ClockControl(clock, scheduler, idle);

  const routes = routesOf(assembly);
  const gateway = httpApi(routes, lambdas, clock);
  const webApp = options.webDir ? webAppHandler(options.webDir) : undefined;
  // Sign-in (docs/auth.md): the embedded OpenID Connect issuer, made once the address is known.
  const signIn: { route?: ReturnType<typeof signInRoutes> } = {};
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (signIn.route?.(req, res, url)) return;
    if (req.method === 'GET' && url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ status: 'ok', ...clockControl.state() }));
    }
    if (req.method === 'GET' && url.pathname === '/local/outbox') return outboxRoute(ses, () => clockControl.state(), url, res);
    if (url.pathname === '/local/clock') return void clockRoute(clockControl, req, res).catch(() => res.headersSent || (res.writeHead(500), res.end()));
    if (url.pathname === '/local/slack') return localSlackRoute(slack, req, res);
    if (webApp?.(req, res, url)) return;
    void gateway(req, res, url);
  });
  const url = await listen(server, options.port);
  // Unsubscribe links point at this gateway (the template's value is the deployed API's URL).
  for (const f of lambdas.functions.values()) if ('PUBLIC_API_URL' in f.environment) f.environment.PUBLIC_API_URL = url;
  const oidcIssuer = localIssuer({ baseUrl: url, dataDir: options.dataDir, csms: options.csms ?? (await import('../functions/shared/config.ts')).config.csms });
  signIn.route = signInRoutes(oidcIssuer);
  // The API checks tokens against this issuer, as on AWS against the user pool (the template names the variables).
  for (const f of lambdas.functions.values())
    if ('TEND_OIDC_ISSUER' in f.environment)
      Object.assign(f.environment, { TEND_OIDC_ISSUER: oidcIssuer.issuer, TEND_OIDC_JWKS_URL: oidcIssuer.jwksUrl, TEND_OIDC_CLIENT_ID: oidcIssuer.clientId });

  await lambdas.warm();
  const resumed = sfn.restore();
  if (resumed) log(`resumed ${resumed} executions from ${options.dataDir}`);
  if (!options.paused) clock.resume();
  if (options.schedules !== false) scheduler.start();
  // dynalite keeps expired items; sweep them as DynamoDB's TTL would (within the hour, here within 10 s),
  // from the index of TTL items LocalDynamo keeps (no table scan).
  // One sweep at a time, and stop() waits for the one under way: a delete cut off by closing the
  // database surfaces as an uncaught error inside dynalite.
  let sweeping: Promise<number> | undefined;
  const sweepExpired = () => (sweeping ??= dynamo.sweep(clock.nowMs()).finally(() => (sweeping = undefined)));
  const sweeper = setInterval(() => void sweepExpired().catch(() => {}), 10_000);
  sweeper.unref();
  saveClock();
  const saver = dataDir ? clockSaver(dataDir, () => clock.now()) : undefined;
  const clockTimer = saver ? setInterval(() => void saver.save(), 1000) : undefined;
  clockTimer?.unref();

  return {
    url,
    sesUrl: ses.endpoint,
    slack,
    clock,
    assembly,
    dynamo,
    ses,
    sfn,
    events,
    lambdas,
    scheduler,
    routes,
    tableName: dynamo.tables[0]!.name,
    /** A new API key in the local table (the API refuses requests without one); returns the key. `rateLimit`: requests a minute, the configured default when absent. */
    async createKey(scopes: Scope[] = ['admin'], name = 'local', rateLimit?: number): Promise<string> {
      return (await createApiKey(dynamo.client, dynamo.tables[0]!.name, { scopes, name, now: clock.now(), rateLimit })).key;
    },
    unsubscribeKey,
    /** Sign-in: the embedded issuer (its users, the web app's config) and the people this start created, with their passwords. */
    oidc: {
      issuer: oidcIssuer,
      /** Made on first read (or first sign-in): each CSM, admin@tend.local and viewer@tend.local, with the password shown only now. */
      get newUsers() {
        return oidcIssuer.newUsers;
      },
    },
    /** Deletes items whose TTL has passed on the local clock (also every 10 s); one sweep at a time. */
    sweepExpired,
    /** Set, pause, resume and step the clock, firing what is due on the way (also `/local/clock`, `tend clock`). */
    clockControl,
    idle,
    async stop() {
      clearInterval(sweeper);
      clearInterval(clockTimer);
      if (saver) await saver.last();
      scheduler.close();
      for (const e of sfn.executions.values()) sfn.stopExecution(e.arn, 'LocalRuntimeStopped', 'the local runtime was stopped', { persist: false });
      dynamo.closing = true;
      await sweeping?.catch(() => {});
      // Let handlers already running finish their writes (bounded: a hung handler must not hang the
      // stop). The servers stay open meanwhile: a handler under way may still call the local bus or Step Functions.
      for (const until = Date.now() + 5_000; lambdas.inFlight > 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 5));
      await Promise.all([
        new Promise((r) => server.close(r)),
        new Promise((r) => sfnServer.close(r)),
        new Promise((r) => eventsServer.close(r)),
        ses.stop(),
        slack.stop(),
        dynamo.stop(),
        // The runs' last checkpoints reach the disk (written off the event loop: checkpoints.ts).
        sfn.persisted().catch((err: unknown) => log(`saving the executions failed: ${String(err)}`)),
      ]);
      if ((globalThis as Record<symbol, unknown>)[LOCAL_DYNAMODB_HANDLER] === dynamo.requestHandler)
        delete (globalThis as Record<symbol, unknown>)[LOCAL_DYNAMODB_HANDLER];
      clock.uninstall();
    },
  };
}
