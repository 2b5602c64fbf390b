import type { LocalRuntime } from '../../local/runtime.ts';
import { post } from './post.ts';
import type { Customer, Happening } from './book.ts';
import type { SyntheticAccount } from './synthetic.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** What the demo's customers did during its weeks that the summary reports: renewals won and lost. */
export interface LifeTotals {
  renewals: { won: number; lost: number; reasons: Record<string, number>; wonArr: number; lostArr: number };
}

export const emptyLifeTotals = (): LifeTotals => ({ renewals: { won: 0, lost: 0, reasons: {}, wonArr: 0, lostArr: 0 } });

const at = (start: Date, day: number, hour: number) => new Date(start.getTime() + day * DAY + hour * HOUR).toISOString();
const customersOf = (accounts: SyntheticAccount[]) => accounts.filter((a): a is SyntheticAccount & { customer: Customer } => !!a.customer);

/**
 * The existing customers arrive on the demo's first morning, before the first scoring run, as a
 * CRM import would bring them: each account with its start date, plan, owner, renewal date and
 * an earlier ARR (a dated change in its revenue history), its executive sponsor, and its past NPS
 * answers and closed tickets. Their usage of the last weeks follows (cli/demo/run.ts).
 */
export async function importCustomers(rt: LocalRuntime, accounts: SyntheticAccount[], start: Date): Promise<void> {
  const customers = customersOf(accounts);
  for (const a of customers) {
    const c = a.customer;
    const base = {
      id: a.id,
      name: a.name,
      seats: a.seats,
      plan: c.plan,
      startDate: c.startDate,
      renewalDate: at(start, c.renewalDay, 0).slice(0, 10),
      paymentStatus: a.paymentStatus,
      primaryContact: { ...a.contact, role: 'champion' },
      ...(c.owner ? { owner: c.owner } : {}),
      source: 'import',
    };
    await post(rt, '/v1/accounts', { ...base, arr: c.earlier?.arr ?? a.arr });
    // The change to today's ARR, dated halfway between its start and today: an expansion or a contraction last year.
    if (c.earlier) {
      const changed = new Date((Date.parse(c.startDate) + start.getTime()) / 2).toISOString().slice(0, 10);
      await post(rt, '/v1/accounts', { ...base, arr: a.arr, effectiveDate: changed });
    }
  }
  const contacts = customers.flatMap((a) => (a.customer.sponsor ? [{ accountId: a.id, ...a.customer.sponsor, role: 'executive-sponsor' }] : []));
  const surveys = customers.flatMap((a) => {
    const nps = a.customer.past.nps;
    return nps
      ? [{ id: `${a.id}-nps-past`, accountId: a.id, kind: 'nps', score: nps.score, answeredAt: at(start, -nps.daysAgo, 14), contactEmail: a.contact.email }]
      : [];
  });
  const tickets = customers.flatMap((a) =>
    a.customer.past.tickets.map((t, i) => ({
      id: `${a.id}-past-t${i + 1}`,
      accountId: a.id,
      status: 'closed',
      priority: t.priority,
      sentiment: t.sentiment,
      subject: 'Question about reports',
      openedAt: at(start, -t.daysAgo, 10),
      closedAt: at(start, -t.daysAgo + 1, 10),
    })),
  );
  await postInBatches(rt, 'contacts', contacts);
  await postInBatches(rt, 'surveys', surveys);
  await postInBatches(rt, 'tickets', tickets);
}

/** The API takes at most this many contacts, surveys or tickets a request. */
const BATCH = 100;

/** Posts `items` to `/v1/<kind>` as `{ <kind>: [...] }`, BATCH at a time (a day of 1,000 accounts has more tickets than one request takes). */
async function postInBatches(rt: LocalRuntime, kind: 'contacts' | 'surveys' | 'tickets', items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += BATCH) await post(rt, `/v1/${kind}`, { [kind]: items.slice(i, i + BATCH) });
}

/**
 * A day of the customers' lives, recorded in the evening through the API as a help desk, a
 * survey tool, billing and the CRM would: NPS answers, tickets (and their closing, with a CSAT
 * answer), ARR changes, late payments, a champion or sponsor leaving, renewal outcomes.
 */
export async function liveDay(rt: LocalRuntime, accounts: SyntheticAccount[], day: number, start: Date, totals: LifeTotals): Promise<void> {
  const surveys: Record<string, unknown>[] = [];
  const tickets: Record<string, unknown>[] = [];
  for (const a of customersOf(accounts)) {
    for (const h of a.customer.happenings) {
      if (h.day === day) await happen(rt, a, h.what, day, start, { surveys, tickets }, totals);
      // A ticket opened earlier closes today, and its requester rates the help.
      if (h.what.kind === 'ticket' && h.what.closeDay === day) {
        const t = h.what;
        tickets.push({ ...ticketOf(a.id, t, h.day, start), status: 'closed', closedAt: at(start, day, 16) });
        if (t.csat)
          surveys.push({ id: `${t.id}-csat`, accountId: a.id, kind: 'csat', score: t.csat, answeredAt: at(start, day, 17), contactEmail: a.contact.email });
      }
    }
  }
  await postInBatches(rt, 'surveys', surveys);
  await postInBatches(rt, 'tickets', tickets);
}

const ticketOf = (accountId: string, t: Extract<Happening, { kind: 'ticket' }>, day: number, start: Date) => ({
  id: t.id,
  accountId,
  status: 'open',
  priority: t.priority,
  sentiment: t.sentiment,
  subject: t.subject,
  openedAt: at(start, day, 11),
});

async function happen(
  rt: LocalRuntime,
  a: SyntheticAccount & { customer: Customer },
  what: Happening,
  day: number,
  start: Date,
  batch: { surveys: Record<string, unknown>[]; tickets: Record<string, unknown>[] },
  totals: LifeTotals,
) {
  const account = { id: a.id, name: a.name, primaryContact: a.contact };
  switch (what.kind) {
    case 'nps':
      batch.surveys.push({
        id: `${a.id}-nps-d${day}`,
        accountId: a.id,
        kind: 'nps',
        score: what.score,
        answeredAt: at(start, day, 14),
        contactEmail: a.contact.email,
      });
      return;
    case 'ticket':
      batch.tickets.push(ticketOf(a.id, what, day, start));
      return;
    case 'arr':
      a.arr = what.arr;
      a.seats = what.seats;
      await post(rt, '/v1/accounts', { ...account, arr: what.arr, seats: what.seats });
      return;
    case 'payment':
      a.paymentStatus = what.status;
      await post(rt, '/v1/accounts', { ...account, paymentStatus: what.status });
      return;
    case 'left': {
      const person = what.role === 'champion' ? a.contact : a.customer.sponsor;
      if (person) await post(rt, '/v1/contacts', { contacts: [{ accountId: a.id, ...person, role: what.role, left: true }] });
      return;
    }
    case 'renewal': {
      const renewalDate = at(start, day, 0).slice(0, 10);
      const r = totals.renewals;
      if (what.outcome === 'renewed') {
        const next = new Date(Date.parse(renewalDate) + 365 * DAY).toISOString().slice(0, 10);
        await post(rt, `/v1/accounts/${encodeURIComponent(a.id)}/renewals`, { outcome: 'renewed', renewalDate, newArr: what.newArr, nextRenewalDate: next });
        r.won++;
        r.wonArr += what.newArr;
        a.arr = what.newArr;
      } else {
        await post(rt, `/v1/accounts/${encodeURIComponent(a.id)}/renewals`, { outcome: 'churned', renewalDate, reason: what.reason });
        r.lost++;
        r.lostArr += a.arr;
        r.reasons[what.reason] = (r.reasons[what.reason] ?? 0) + 1;
      }
    }
  }
}
