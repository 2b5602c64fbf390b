import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const OWNERS = ['alex', 'sam', undefined];

/** The web app's views of GET /v1/accounts (owner, search, sorted pages) and GET /v1/renewals (owner, open plays), on the bundled API. */
describe('accounts and renewals as the web app reads them', () => {
  let rt: TestRuntime;
  const ids = Array.from({ length: 14 }, (_, i) => `view-${String(i).padStart(2, '0')}`);
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z'), paused: true });
    rt.clock.resume();
    for (const [i, id] of ids.entries()) {
      const owner = OWNERS[i % 3];
      const res = await rt.request('POST', '/v1/accounts', {
        id,
        name: i === 5 ? 'Globex Holdings' : `${id} Inc`,
        seats: 5,
        arr: ((i * 7) % 14) * 1000 + 500,
        renewalDate: `2026-04-${String(10 + i).padStart(2, '0')}`,
        primaryContact: { email: `cs@${id}.example` },
        ...(owner ? { owner } : {}),
      });
      expect(res.status).toBe(201);
    }
    await rt.idle();
  });
  afterAll(() => rt?.stop());

  const list = async (query: string) => {
    const res = await rt.request('GET', `/v1/accounts?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { accounts: { customer: { id: string }; arr: number; owner: string | null; renewalDate: string }[]; cursor: string | null };
  };

  it('sorted pages hold the order across pages, each account once', async () => {
    const seen: { id: string; arr: number }[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`sort=-arr&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.accounts.map((a) => ({ id: a.customer.id, arr: a.arr })));
      cursor = page.cursor;
    } while (cursor);
    expect(seen.map((s) => s.id).sort()).toEqual(ids);
    expect(seen.map((s) => s.arr)).toEqual([...seen.map((s) => s.arr)].sort((a, b) => b - a));
  });

  it('filters by owner (or unassigned) and searches names and ids; items carry owner, ARR and renewal date', async () => {
    const alex = await list('owner=alex&limit=200');
    expect(alex.accounts.map((a) => a.customer.id).sort()).toEqual(ids.filter((_, i) => i % 3 === 0));
    expect(alex.accounts.every((a) => a.owner === 'alex' && a.renewalDate.startsWith('2026-04'))).toBe(true);
    expect((await list('owner=unassigned&limit=200')).accounts.map((a) => a.customer.id).sort()).toEqual(ids.filter((_, i) => i % 3 === 2));
    expect((await list('q=globex')).accounts.map((a) => a.customer.id)).toEqual(['view-05']);
    expect((await list('q=view-1&sort=name')).accounts.map((a) => a.customer.id)).toEqual(['view-10', 'view-11', 'view-12', 'view-13']);
  });

  it('names a bad sort, owner or cursor', async () => {
    for (const [query, field] of [
      ['sort=size', 'sort'],
      ['owner=Not%20A%20Csm', 'owner'],
      ['sort=name&cursor=bm9wZQ', 'cursor'],
    ]) {
      const res = await rt.request('GET', `/v1/accounts?${query}`);
      expect(res.status).toBe(400);
      expect(res.body?.message).toContain(`${field}:`);
    }
  });

  it('each renewal says its owner and its open plays', async () => {
    const res = await rt.request('GET', '/v1/renewals?from=2026-04-01&to=2026-05-01&limit=500');
    expect(res.status).toBe(200);
    const rows = res.body!.renewals as { accountId: string; owner: string | null; openPlays: string[] }[];
    expect(rows.map((r) => r.accountId).sort()).toEqual(ids);
    for (const r of rows) expect(r.owner).toBe(OWNERS[ids.indexOf(r.accountId) % 3] ?? null);
    // Onboarding starts with every new account.
    expect(rows.every((r) => r.openPlays.includes('onboarding'))).toBe(true);
  });

  it("lists an account's contacts; 404 for an account that does not exist", async () => {
    const posted = await rt.request('POST', '/v1/contacts', {
      contacts: [
        { accountId: 'view-01', email: 'pat@view-01.example', name: 'Pat Lee', role: 'champion' },
        { accountId: 'view-01', email: 'sam@view-01.example', left: true },
      ],
    });
    expect(posted.status).toBe(202);
    const res = await rt.request('GET', '/v1/accounts/view-01/contacts');
    expect(res.status).toBe(200);
    const contacts = res.body!.contacts as { email: string; role?: string; leftAt?: string }[];
    expect(contacts.map((c) => c.email).sort()).toEqual(['pat@view-01.example', 'sam@view-01.example']);
    expect(contacts.find((c) => c.email === 'pat@view-01.example')?.role).toBe('champion');
    expect(contacts.find((c) => c.email === 'sam@view-01.example')?.leftAt).toBeDefined();
    expect((await rt.request('GET', '/v1/accounts/nobody/contacts')).status).toBe(404);
  });

  it('gives the window by month, each cut to it, adding up to the totals', async () => {
    const { body } = await rt.request('GET', '/v1/renewals?from=2026-03-20&to=2026-05-15&limit=1');
    const months = body!.byMonth as { month: string; from: string; to: string; accounts: number; arr: number; byBand: Record<string, { accounts: number }> }[];
    expect(months.map((m) => [m.month, m.from, m.to])).toEqual([
      ['2026-03', '2026-03-20', '2026-04-01'],
      ['2026-04', '2026-04-01', '2026-05-01'],
      ['2026-05', '2026-05-01', '2026-05-15'],
    ]);
    expect(months.map((m) => m.accounts)).toEqual([0, ids.length, 0]);
    expect(months.reduce((t, m) => t + m.arr, 0)).toBe(body!.total.arr);
    expect(Object.values(months[1]!.byBand).reduce((t, b) => t + b.accounts, 0)).toBe(ids.length);
  });
});
