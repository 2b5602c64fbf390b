import { resolve } from 'node:path';
import { parseConfig } from '../../functions/core/config.ts';
import userConfig from '../../tend.config.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { localAssembly } from '../assembly.ts';
import { seededRandom } from './random.ts';
import { syntheticAccounts } from './synthetic.ts';
import { runDemoDays } from './run.ts';
import { summarise, printSummary } from './summary.ts';
import { ensureWebApp, WEB_DIST } from '../../web/build.ts';

/** A fixed Monday: the same seed gives the same demo on any day it is run. */
export const DEMO_START = new Date('2026-01-05T00:00:00Z');

/**
 * `tend demo`: the main job on this machine. Synthetic accounts sign up, use the product day by
 * day, get scored every morning and go through onboarding, on a clock that steps an hour at a
 * time as soon as the work of the previous hour is done.
 */
export async function demo(options: { accounts: number; days: number; seed: number; port: number; exit?: boolean; json?: boolean }) {
  const began = Date.now();
  const config = parseConfig(userConfig);
  const progress = (line: string) => process.stderr.write(process.stderr.isTTY ? `\r\x1b[2K${line}` : `${line}\n`);
  const assemblyDir = await localAssembly(resolve('.tend'), (l) => console.error(l));
  if (!options.exit) await ensureWebApp((l) => console.error(l));
  const rt = await startLocalRuntime({
    assemblyDir,
    start: DEMO_START,
    paused: true,
    port: options.port,
    log: (l) => console.error(l),
    ...(options.exit ? {} : { webDir: WEB_DIST }),
  });

  const r = seededRandom(options.seed);
  const accounts = syntheticAccounts(r, options.accounts, options.days);
  const { eventsPosted } = await runDemoDays(rt, {
    r,
    accounts,
    days: options.days,
    start: DEMO_START,
    product: config.product,
    afterDay: (day, totals) => {
      const sent = rt.ses.outbox().length;
      const live = [...rt.sfn.executions.values()].filter((e) => e.status === 'RUNNING' && e.name.split('-')[0]! in config.plays).length;
      progress(`day ${day + 1}/${options.days} · ${totals.eventsPosted.toLocaleString('en-US')} events · ${sent} emails sent · ${live} plays running`);
    },
  });
  if (!options.json && process.stderr.isTTY) process.stderr.write('\n');

  const summary = await summarise(
    rt,
    accounts,
    { days: options.days, seed: options.seed, eventsPosted, seconds: (Date.now() - began) / 1000 },
    Object.keys(config.plays),
  );
  if (options.json) console.log(JSON.stringify(summary));
  else printSummary(summary);
  reportFailedRuns(rt);

  if (options.exit) {
    await rt.stop();
    process.exit(0);
  }
  rt.clock.resume();
  console.error(
    `\nStill serving: web app ${rt.url}/ · API ${rt.url} · outbox ${rt.url}/local/outbox (viewer ${rt.sesUrl}) · clock running at 1x from ${rt.clock.now().toISOString()}. Ctrl-C to stop.`,
  );
  process.once('SIGINT', () => void rt.stop().then(() => process.exit(0)));
}

/** Runs that failed or timed out, one line per distinct error on stderr: a summary's `failed` count says how many, this says why. */
function reportFailedRuns(rt: LocalRuntime) {
  const reasons = new Map<string, number>();
  for (const e of rt.sfn.executions.values()) {
    if (e.status !== 'FAILED' && e.status !== 'TIMED_OUT') continue;
    const reason = `${e.name.split('-')[0]}: ${e.status} ${e.error ?? ''} ${(e.cause ?? '').slice(0, 300)}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, n] of reasons) console.error(`${n} run(s) ended ${reason}`);
}
