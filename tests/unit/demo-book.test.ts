import { describe, expect, it } from 'vitest';
import { makeCustomers, PROFILES } from '../../cli/demo/book.ts';
import { seededRandom } from '../../cli/demo/random.ts';
import { syntheticAccounts, usageOnDay } from '../../cli/demo/synthetic.ts';

const start = new Date('2026-01-05T00:00:00Z');
const book = (seed: number, accounts: number, days: number) => {
  const r = seededRandom(seed);
  const list = syntheticAccounts(r, accounts, days);
  makeCustomers(r, list, days, start);
  return list;
};
/** A book without its functions-free parts compared: what the demo would post. */
const posted = (list: ReturnType<typeof book>) => JSON.parse(JSON.stringify(list)) as unknown;

describe("the demo's book of customers", () => {
  it('is the same for the same seed, and another for another seed', () => {
    expect(posted(book(42, 30, 20))).toEqual(posted(book(42, 30, 20)));
    expect(posted(book(43, 30, 20))).not.toEqual(posted(book(42, 30, 20)));
  });

  it.each([
    [12, 5],
    [100, 35],
  ])('%i accounts over %i days: four in five customers, every profile, renewals won and lost inside the days', (accounts, days) => {
    const list = book(7, accounts, days);
    const customers = list.filter((a) => a.customer).map((a) => a.customer!);
    expect(customers.length).toBe(Math.round(accounts * 0.8));
    expect(new Set(customers.map((c) => c.profile))).toEqual(new Set(Object.keys(PROFILES)));
    const renewals = customers.flatMap((c) => c.happenings.filter((h) => h.what.kind === 'renewal'));
    expect(renewals.every((h) => h.day >= 1 && h.day < days)).toBe(true);
    const outcomes = new Set(renewals.map((h) => (h.what.kind === 'renewal' ? h.what.outcome : '')));
    expect(outcomes).toEqual(new Set(['renewed', 'churned']));
    // Every happening falls inside the simulated days; every customer started before them.
    expect(customers.every((c) => c.happenings.every((h) => h.day >= 0 && h.day < days) && Date.parse(c.startDate) < start.getTime())).toBe(true);
  });

  it('segments by ARR as the brief does: enterprise customers are high touch (over $50k) and have an owner, small ones none', () => {
    const customers = book(3, 100, 35).filter((a) => a.customer);
    for (const a of customers) {
      if (a.customer!.plan === 'enterprise') expect(a.arr, a.id).toBeGreaterThan(50_000);
      if (a.customer!.plan === 'starter') expect(a.arr, a.id).toBeLessThan(10_000);
      expect(a.customer!.owner === undefined, a.id).toBe(a.customer!.plan === 'starter');
    }
  });

  it("brings a customer's past usage, naming its teams, and nothing before it started", () => {
    const r = seededRandom(1);
    const [thriving] = book(1, 10, 10).filter((a) => a.customer?.profile === 'thriving');
    const events = Array.from({ length: 30 }, (_, i) => i - 30).flatMap((d) => usageOnDay(r, thriving!, d, start, ['a', 'b', 'c'], [], ['premium']));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => Date.parse(e.timestamp) < start.getTime())).toBe(true);
    expect(new Set(events.map((e) => e.properties.department)).size).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.properties.feature === 'premium')).toBe(true);
  });
});
