import { resolve } from 'node:path';
import { parseConfig } from '../../functions/core/config.ts';
import userConfig from '../../tend.config.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { localAssembly } from '../assembly.ts';
import { seededRandom } from './random.ts';
import { syntheticAccounts, usageOnDay, type SyntheticAccount, type SyntheticEvent } from './synthetic.ts';
import { summarise, printSummary } from './summary.ts';
import { demoAuth } from './api-key.ts';
import { openNewEmails } from './opens.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A fixed Monday: the same seed gives the same demo on any day it is run. */
export const DEMO_START = new Date('2026-01-05T00:00:00Z');

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function post(rt: LocalRuntime, path: string, body: unknown) {
  const res = await fetch(`${rt.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await demoAuth(rt)) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}

function signup(rt: LocalRuntime, a: SyntheticAccount, day: number) {
  return post(rt, '/v1/accounts', {
    id: a.id,
    name: a.name,
    seats: a.seats,
    arr: a.arr,
    paymentStatus: a.paymentStatus,
    startDate: new Date(DEMO_START.getTime() + day * DAY + 9 * HOUR).toISOString(),
    primaryContact: a.contact,
  });
}

async function postEvents(rt: LocalRuntime, events: SyntheticEvent[]) {
  const batches: SyntheticEvent[][] = [];
  for (let i = 0; i < events.length; i += 500) batches.push(events.slice(i, i + 500));
  await inParallel(batches, 4, (events) => post(rt, '/v1/events', { events }));
}

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
  const rt = await startLocalRuntime({ assemblyDir, start: DEMO_START, paused: true, port: options.port, log: (l) => console.error(l) });

  const r = seededRandom(options.seed);
  const accounts = syntheticAccounts(r, options.accounts, options.days);
  let eventsPosted = 0;
  let opened = 0;
  const usageOf = (day: number) => accounts.flatMap((a) => usageOnDay(r, a, day, DEMO_START, config.product.features, config.product.trainingCourses));

  for (let day = 0; day <= options.days; day++) {
    const dayStart = DEMO_START.getTime() + day * DAY;
    rt.clock.advanceTo(dayStart);
    await rt.idle();
    // Each night the product syncs yesterday's usage; today's signups arrive in the morning.
    if (day > 0) {
      const events = usageOf(day - 1);
      await postEvents(rt, events);
      eventsPosted += events.length;
    }
    if (day === options.days) break;
    await inParallel(
      accounts.filter((a) => a.signupDay === day),
      8,
      (a) => signup(rt, a, day),
    );
    for (let hour = 1; hour <= 23; hour++) {
      rt.clock.advanceTo(dayStart + hour * HOUR);
      await rt.idle();
    }
    const sent = rt.ses.outbox().length;
    opened = openNewEmails(rt, accounts, opened, day);
    const live = [...rt.sfn.executions.values()].filter((e) => e.status === 'RUNNING' && e.name.split('-')[0]! in config.plays).length;
    progress(`day ${day + 1}/${options.days} · ${eventsPosted.toLocaleString('en-US')} events · ${sent} emails sent · ${live} plays running`);
  }
  // A last scoring run, so the summary shows the accounts as they end the demo.
  for (const s of rt.scheduler.schedules) await rt.scheduler.fire(s);
  await rt.idle();
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
    `\nStill serving: API ${rt.url} · outbox ${rt.url}/local/outbox (viewer ${rt.sesUrl}) · clock running at 1x from ${rt.clock.now().toISOString()}. Ctrl-C to stop.`,
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
