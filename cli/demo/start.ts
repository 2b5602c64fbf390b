import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfig } from '../../functions/core/config.ts';
import userConfig from '../../tend.config.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { localAssembly } from '../assembly.ts';
import { devKey } from '../dev-key.ts';
import { clearDevSession, devSession, writeDevSession } from '../local-state.ts';
import { makeCustomers } from './book.ts';
import { seededRandom } from './random.ts';
import { syntheticAccounts } from './synthetic.ts';
import { runDemoDays } from './run.ts';
import { summarise, type DemoSummary } from './summary.ts';
import { meterCallers } from './callers.ts';

const DAY = 86_400_000;

/** A fixed Monday: the same seed gives the same demo on any day it is run. */
export const DEMO_START = new Date('2026-01-05T00:00:00Z');

export interface DemoOptions {
  accounts: number;
  days: number;
  seed: number;
  /** The data folder (`.tend` for the CLI): the demo's table, executions, clock and key stay there for `tend dev`. */
  dataDir: string;
  /** Replace what the data folder holds (else a folder with data is refused). */
  fresh?: boolean;
  port?: number;
  /** The built web app, served at `/` (the CLI passes it unless --exit). */
  webDir?: string;
  /** A synthesized assembly to run instead of synthesizing into the data folder (tests). */
  assemblyDir?: string;
  log?: (line: string) => void;
  /** After each simulated day (progress lines). */
  onDay?: (day: number, line: string) => void;
  /** Count DynamoDB requests by the invocation that made them (`summary.dynamodb.byCaller`; costs some CPU). */
  callers?: boolean;
}

export interface DemoResult {
  apiUrl: string;
  /** An admin API key, kept in `<dataDir>/dev-key.json`: `tend dev` on the same folder reuses it. */
  key: string;
  outboxUrl: string;
  sesUrl: string;
  dataDir: string;
  summary: DemoSummary;
  runtime: LocalRuntime;
  /** Stops the runtime; the data, the executions waiting on the clock and the clock stay on disk. */
  stop(): Promise<void>;
}

/** A refusal the user can act on: the CLI prints its message alone, without a stack. */
export class DemoRefused extends Error {}

/**
 * What the data folder holds before a demo. Data (a table, executions, a clock) is refused unless
 * `fresh`, which removes it (the synthesized assembly stays: it is a cache); a running `tend dev`
 * on the folder is always refused, as two processes cannot share its database.
 */
export function prepareDataDir(dataDir: string, fresh: boolean | undefined) {
  const running = devSession(dataDir);
  if (running)
    throw new DemoRefused(`tend dev (pid ${running.pid}) is running on ${dataDir}: stop it first, or give the demo another folder with --data <dir>`);
  const state = join(dataDir, 'state');
  const held = existsSync(state) && readdirSync(state).length > 0;
  if (held && !fresh)
    throw new DemoRefused(
      `${dataDir} already holds Tend data (from tend dev or an earlier demo): run with --fresh to replace it (npm start -- --fresh), or use --data <dir> for another folder`,
    );
  if (fresh) for (const p of [state, join(dataDir, 'dev-key.json'), join(dataDir, 'dev.json')]) rmSync(p, { recursive: true, force: true });
}

/**
 * The demo as a function (`tend demo`, the web app's browser tests): a synthetic book of
 * customers lives `days` days on the local runtime, with its data kept in `dataDir`. Resolves
 * with the summary, the API address, an admin key and the outbox, the runtime still serving
 * (paused on the clock at the end of the demo's weeks): call `stop()`, or `runtime.clock.resume()`.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const began = Date.now();
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  prepareDataDir(dataDir, options.fresh);
  const config = parseConfig(userConfig);
  const assemblyDir = options.assemblyDir ?? (await localAssembly(dataDir, log));
  const rt = await startLocalRuntime({
    assemblyDir,
    dataDir: join(dataDir, 'state'),
    start: DEMO_START,
    paused: true,
    port: options.port,
    webDir: options.webDir,
    log,
  });
  const callers = options.callers ? meterCallers(rt) : undefined;
  try {
    // Counted as they are raised: the bus's log keeps only the newest events of a long demo.
    const flagsRaised: Record<string, number> = {};
    rt.events.observe((e) => {
      if (e['detail-type'] === 'flag.started') flagsRaised[String(e.detail.flag)] = (flagsRaised[String(e.detail.flag)] ?? 0) + 1;
    });
    const key = await devKey(rt, dataDir);
    const r = seededRandom(options.seed);
    const accounts = syntheticAccounts(r, options.accounts, options.days);
    makeCustomers(r, accounts, options.days, DEMO_START);
    const totals = await runDemoDays(rt, {
      r,
      accounts,
      days: options.days,
      start: DEMO_START,
      product: config.product,
      afterDay: (day, t) => {
        if (!options.onDay) return;
        const sent = rt.ses.sentTotal;
        let live = 0;
        for (const e of rt.sfn.live) if (e.status === 'RUNNING' && e.name.split('-')[0]! in config.plays) live++;
        options.onDay(day, `day ${day + 1}/${options.days} · ${t.eventsPosted.toLocaleString('en-US')} events · ${sent} emails sent · ${live} plays running`);
      },
    });
    const from = DEMO_START.toISOString().slice(0, 10);
    const to = new Date(DEMO_START.getTime() + (options.days - 1) * DAY).toISOString().slice(0, 10);
    const byCaller = callers ? structuredClone(callers()) : undefined;
    const summary = await summarise(
      rt,
      accounts,
      {
        days: options.days,
        seed: options.seed,
        eventsPosted: totals.eventsPosted,
        seconds: (Date.now() - began) / 1000,
        renewals: totals.renewals,
        from,
        to,
        flagsRaised,
      },
      Object.keys(config.plays),
    );
    if (byCaller) summary.dynamodb.byCaller = byCaller;
    const outboxUrl = `${rt.url}/local/outbox`;
    // An account with the most to show: an existing customer with play runs, else the first.
    const example = accounts.find((a) => a.customer?.profile === 'troubled') ?? accounts[0]!;
    summary.lookAround = { apiUrl: rt.url, key, outboxUrl, sesUrl: rt.sesUrl, dataDir, exampleAccount: example.id };
    writeDevSession(dataDir, { url: rt.url, key, dynamoEndpoint: rt.dynamo.endpoint, tableName: rt.tableName, pid: process.pid });
    return {
      apiUrl: rt.url,
      key,
      outboxUrl,
      sesUrl: rt.sesUrl,
      dataDir,
      summary,
      runtime: rt,
      async stop() {
        clearDevSession(dataDir);
        await rt.stop();
      },
    };
  } catch (err) {
    await rt.stop();
    throw err;
  }
}
