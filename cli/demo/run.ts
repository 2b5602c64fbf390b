import type { LocalRuntime } from '../../local/runtime.ts';
import { post } from './post.ts';
import { emptyLifeTotals, importCustomers, liveDay, type LifeTotals } from './life.ts';
import { openNewEmails } from './opens.ts';
import type { Random } from './random.ts';
import { usageOnDay, type SyntheticAccount, type SyntheticEvent } from './synthetic.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function signup(rt: LocalRuntime, a: SyntheticAccount, at: Date) {
  return post(rt, '/v1/accounts', {
    id: a.id,
    name: a.name,
    seats: a.seats,
    arr: a.arr,
    paymentStatus: a.paymentStatus,
    startDate: at.toISOString(),
    primaryContact: a.contact,
  });
}

/**
 * Moves the clock once the work of the moment it leaves is done: a handler the last request set
 * off (an event's delivery, a play's start) runs at that moment, not at the next one, so a seed
 * gives the same demo on every run.
 */
async function advance(rt: LocalRuntime, to: number) {
  await rt.idle();
  rt.clock.advanceTo(to);
  await rt.idle();
}

async function postEvents(rt: LocalRuntime, events: SyntheticEvent[]) {
  const batches: SyntheticEvent[][] = [];
  for (let i = 0; i < events.length; i += 500) batches.push(events.slice(i, i + 500));
  await inParallel(batches, 4, (events) => post(rt, '/v1/events', { events }));
}

export interface DemoRun {
  r: Random;
  accounts: SyntheticAccount[];
  days: number;
  start: Date;
  product: { features: string[]; trainingCourses?: string[]; premiumFeatures?: string[] };
  /** After each day's 23 hours (a test adds its own requests here). */
  afterDay?: (day: number, totals: { eventsPosted: number }) => Promise<void> | void;
}

/** Days of usage the existing customers bring with them: a month, what scoring reads and what `tend model fit` looks back. */
export const HISTORY_DAYS = 30;

/**
 * The demo's days on a paused local runtime. On the first morning, before the first scoring run,
 * the existing customers (cli/demo/book.ts) are imported with their past and their last
 * HISTORY_DAYS of usage. Then each night yesterday's usage is posted, each morning the day's
 * signups, then the clock steps an hour at a time as soon as the previous hour's work is done;
 * each evening the customers' happenings (answers, tickets, ARR changes, renewals) are recorded,
 * and customers open some of their email. Ends with a last scoring run.
 * Shared by `tend demo` and the tests that check figures on the demo's population.
 */
export async function runDemoDays(rt: LocalRuntime, run: DemoRun): Promise<{ eventsPosted: number } & LifeTotals> {
  const { r, accounts, days, start } = run;
  const totals = { eventsPosted: 0, ...emptyLifeTotals() };
  let opened = 0;
  const { features, trainingCourses, premiumFeatures } = run.product;
  const usageOf = (day: number, of = accounts) => of.flatMap((a) => usageOnDay(r, a, day, start, features, trainingCourses, premiumFeatures));
  const customers = accounts.filter((a) => a.customer);
  if (customers.length) {
    await advance(rt, start.getTime());
    await importCustomers(rt, customers, start);
    for (let day = -HISTORY_DAYS; day < 0; day++) {
      const events = usageOf(day, customers);
      await postEvents(rt, events);
      totals.eventsPosted += events.length;
    }
  }

  for (let day = 0; day <= days; day++) {
    const dayStart = start.getTime() + day * DAY;
    await advance(rt, dayStart);
    if (day > 0) {
      const events = usageOf(day - 1);
      await postEvents(rt, events);
      totals.eventsPosted += events.length;
    }
    if (day === days) break;
    await inParallel(
      accounts.filter((a) => a.signupDay === day),
      8,
      (a) => signup(rt, a, new Date(dayStart + 9 * HOUR)),
    );
    for (let hour = 1; hour <= 23; hour++) {
      await advance(rt, dayStart + hour * HOUR);
    }
    if (customers.length) await liveDay(rt, customers, day, start, totals);
    opened = openNewEmails(rt, accounts, opened, day);
    await run.afterDay?.(day, totals);
  }
  await rt.idle();
  for (const s of rt.scheduler.schedules) await rt.scheduler.fire(s);
  await rt.idle();
  return totals;
}
