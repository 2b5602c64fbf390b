import { DeleteCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { aggregateSk } from '../../functions/core/metrics/contribution.ts';
import { keys } from '../../functions/data/keys.ts';
import { markRenewalDaysReady, renewalIndex } from '../../functions/data/renewal-index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bandOf, tierRank } from '../../functions/core/score/compute.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { parseConfig } from '../../functions/core/config.ts';
import userConfig from '../../tend.config.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { dailyUsage } from '../support/daily-usage.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-04-06T00:00:00Z');
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const model = modelResolver(parseConfig(userConfig).scoreModel)('tech-touch');

/**
 * Accounts with renewal dates are scored over three weeks on the local runtime (one busy, one
 * that stops using the product, one whose payment fails and recovers, one created late, a trial
 * and a churned one); both reports are then checked against a recomputation from the raw items
 * (one Scan of the table) and against the flag events Tend published.
 */
describe('GET /v1/renewals and GET /v1/changes on the local runtime', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
  });
  afterAll(() => rt?.stop());

  async function morningOf(from: number, to: number) {
    for (let d = from; d <= to; d++) {
      rt.clock.advanceTo(start + d * DAY + 7 * 3_600_000);
      await rt.idle();
    }
  }
  const account = (id: string, renewalDay: number | null, over: Record<string, unknown> = {}) =>
    rt.request('POST', '/v1/accounts', {
      id,
      name: `${id} Inc`,
      seats: 4,
      arr: 10_000 + id.length * 1000,
      paymentStatus: 'current',
      startDate: new Date(start - 200 * DAY).toISOString(),
      ...(renewalDay === null ? {} : { renewalDate: dayOf(start + renewalDay * DAY) }),
      primaryContact: { email: `cs@${id}.example` },
      ...over,
    });
  const use = (id: string, fromDay: number, toDay: number) => rt.request('POST', '/v1/events', { events: dailyUsage(id, start, fromDay, toDay) });

  /** Every raw item of the table, by kind: the brute force reads nothing else. */
  async function rawItems() {
    const items: Record<string, any>[] = [];
    let after: Record<string, unknown> | undefined;
    do {
      const out = await rt.db.send(new ScanCommand({ TableName: rt.tableName, ExclusiveStartKey: after }));
      items.push(...(out.Items ?? []));
      after = out.LastEvaluatedKey;
    } while (after);
    const id = (i: Record<string, any>) => String(i.pk).replace(/^ACCOUNT#/, '');
    const accounts = items.filter((i) => i.sk === 'S#PROFILE' && i.status !== 'churned');
    // Score items that hold a score (an account's writes put its list entry's fields there before its first score).
    const scores = new Map(items.filter((i) => i.sk === 'S#SCORE' && typeof i.computedAt === 'string').map((i) => [id(i), i]));
    return { accounts: accounts.map((a): Record<string, any> => ({ ...a, id: id(a), paid: a.status === 'trial' ? 0 : (a.arr ?? 0) })), scores };
  }

  const today = 20;
  beforeAll(async () => {
    await account('busy', 30);
    await account('quitting', 60);
    await account('payment', 100);
    await account('later', 200);
    await account('norenewal', null);
    await account('trial', 45, { status: 'trial', arr: 0 });
    await account('gone', 50);
    await use('busy', 0, today);
    await use('quitting', 0, 7);
    await use('payment', 0, today);
    await use('later', 0, today);
    await use('norenewal', 0, today);
    await morningOf(0, 4);
    await account('payment', 100, { paymentStatus: 'failed' });
    await account('gone', 50, { status: 'churned' });
    await morningOf(5, 11);
    await account('payment', 100, { paymentStatus: 'current' });
    await account('fresh', 80, { startDate: new Date(start + 12 * DAY).toISOString() });
    await morningOf(12, today);
  }, 600_000);

  it('lists the renewals of the next 90 days, soonest first, with their health, and totals by band equal to the raw items', async () => {
    const res = await rt.request('GET', '/v1/renewals');
    expect(res.status).toBe(200);
    const { accounts, scores } = await rawItems();
    const now = dayOf(start + today * DAY);
    const to = dayOf(start + (today + 90) * DAY);
    const due = accounts
      .filter((a) => a.renewalDate && a.renewalDate.slice(0, 10) >= now && a.renewalDate.slice(0, 10) < to)
      .sort((a, b) => (a.renewalDate < b.renewalDate ? -1 : 1));
    expect(due.map((a) => a.id)).toEqual(['busy', 'trial', 'quitting', 'fresh', 'payment']);
    expect(res.body!.renewals.map((r: { accountId: string }) => r.accountId)).toEqual(due.map((a) => a.id));
    for (const [i, a] of due.entries()) {
      const s = scores.get(a.id);
      expect(res.body!.renewals[i]).toMatchObject({
        renewalDate: a.renewalDate,
        arr: a.paid,
        band: s?.band ?? 'unscored',
        score: s?.score ?? null,
        tier: s?.tier ?? null,
        trend: s?.trend ?? null,
        // The score's flags with when each started (`flags` on the item is its list entry's names).
        flags: Object.keys(s?.activeFlags ?? {}).sort(),
        churnRisk: s?.churnRisk ?? null,
      });
    }
    for (const band of ['green', 'yellow', 'red', 'unscored']) {
      const inBand = due.filter((a) => (scores.get(a.id)?.band ?? 'unscored') === band);
      expect(res.body!.byBand[band]).toMatchObject({ accounts: inBand.length, arr: inBand.reduce((t, a) => t + a.paid, 0) });
      // The query a figure carries lists exactly its accounts.
      const listed = await rt.request('GET', res.body!.byBand[band].query);
      expect(listed.body!.renewals.map((r: { accountId: string }) => r.accountId)).toEqual(inBand.map((a) => a.id));
    }
    expect(res.body!.total).toMatchObject({ accounts: due.length, arr: due.reduce((t, a) => t + a.paid, 0) });
    expect((await rt.request('GET', res.body!.byBand.red.query)).body!.renewals.map((r: { accountId: string }) => r.accountId)).toContain('quitting');

    // A page at a time, and a window given by its days.
    const first = await rt.request('GET', '/v1/renewals?limit=2');
    const second = await rt.request('GET', `/v1/renewals?limit=2&cursor=${first.body!.cursor}`);
    expect([...first.body!.renewals, ...second.body!.renewals].map((r: { accountId: string }) => r.accountId)).toEqual(due.slice(0, 4).map((a) => a.id));
    const later = await rt.request('GET', `/v1/renewals?from=${dayOf(start + 150 * DAY)}&to=${dayOf(start + 250 * DAY)}`);
    expect(later.body!.renewals.map((r: { accountId: string }) => r.accountId)).toEqual(['later']);
  });

  it('counts the renewal days from the book index on a table whose day items are not vouched for yet (no rebuild since upgrading)', async () => {
    const [from, to] = [dayOf(start + today * DAY), dayOf(start + (today + 180) * DAY)];
    const nonZero = (days: [string, Record<string, number>][]) =>
      days
        .map(([d, c]) => [d, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0))] as const)
        .filter(([, c]) => Object.keys(c).length > 0)
        .sort(([a], [b]) => a.localeCompare(b));
    const kept = nonZero(await renewalIndex(rt.db, rt.tableName).days(from, to));
    expect(kept.length).toBeGreaterThan(0);
    // An upgraded table: no mark, and a day item an upkeep moved from nothing.
    const [day] = kept[0]!;
    const dayItem = keys.metricAggregate('whole', aggregateSk.renewalDay(day));
    await rt.db.send(new DeleteCommand({ TableName: rt.tableName, Key: keys.renewalDaysReady }));
    await rt.db.send(
      new UpdateCommand({ TableName: rt.tableName, Key: dayItem, UpdateExpression: 'ADD greenAccounts :m', ExpressionAttributeValues: { ':m': -1 } }),
    );
    try {
      expect(nonZero(await renewalIndex(rt.db, rt.tableName).days(from, to))).toEqual(kept);
    } finally {
      await rt.db.send(
        new UpdateCommand({ TableName: rt.tableName, Key: dayItem, UpdateExpression: 'ADD greenAccounts :p', ExpressionAttributeValues: { ':p': 1 } }),
      );
      await markRenewalDaysReady(rt.db, rt.tableName);
    }
    expect(nonZero(await renewalIndex(rt.db, rt.tableName).days(from, to))).toEqual(kept);
  });

  it('reports what changed since a day equal to a recomputation from the score items and to the flag events published', async () => {
    const sinceDay = 9;
    const since = new Date(start + sinceDay * DAY + 5 * 3_600_000).toISOString();
    const res = await rt.request('GET', `/v1/changes?since=${since}&top=3`);
    expect(res.status).toBe(200);
    // Served from the score states the daily runs and rescorings kept, not a read of every score item.
    expect(res.body!.source).toBe('states');
    const from = `${dayOf(start + sinceDay * DAY)}T00:00:00.000Z`;
    expect(res.body!.from).toBe(from);

    // Brute force from the raw items: the history list holds the score of i days before computedAt.
    const { accounts, scores } = await rawItems();
    const then = (s: Record<string, any>) => {
      const computedDay = Date.parse(`${String(s.computedAt).slice(0, 10)}T00:00:00Z`);
      const first = Math.round((computedDay - Date.parse(from)) / DAY) + 1;
      for (let i = Math.max(first, 0); i < s.history.length; i++) if (typeof s.history[i] === 'number') return s.history[i] as number;
      return null;
    };
    const turnedRed: string[] = [];
    const drops: string[] = [];
    const moves: [string, number][] = [];
    for (const a of accounts) {
      const s = scores.get(a.id);
      if (!s) continue;
      const before = then(s);
      if (s.band === 'red' && bandOf(model, before) !== 'red') turnedRed.push(a.id);
      if (before !== null && tierRank(model, s.score)! > tierRank(model, before)!) drops.push(a.id);
      if (before !== null && s.score !== before) moves.push([a.id, s.score - before]);
    }
    const ids = (list: { accountId: string }[]) => list.map((x) => x.accountId).sort();
    expect(ids(res.body!.turnedRed.accounts)).toEqual(turnedRed.sort());
    expect(turnedRed).toContain('quitting');
    expect(ids(res.body!.tierDrops.accounts)).toEqual(drops.sort());
    const up = moves.filter((m) => m[1] > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const down = moves.filter((m) => m[1] < 0).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    expect(res.body!.movers.up.map((m: { accountId: string; change: number }) => [m.accountId, m.change])).toEqual(up.slice(0, 3));
    expect(res.body!.movers.down.map((m: { accountId: string; change: number }) => [m.accountId, m.change])).toEqual(down.slice(0, 3));

    // Flags: what the bus says started and stopped since then (each at most once per account and flag here).
    const flagEvents = (type: string) =>
      rt.events.log
        .filter((e) => e['detail-type'] === type && String(e.detail.at) >= from && e.detail.accountId !== 'gone')
        .map((e) => `${e.detail.accountId}:${e.detail.flag}`)
        .sort();
    const pairs = (list: { accountId: string; flag: string }[]) => list.map((f) => `${f.accountId}:${f.flag}`).sort();
    expect(pairs(res.body!.flagsRaised.accounts)).toEqual(flagEvents('flag.started'));
    expect(pairs(res.body!.flagsCleared.accounts)).toEqual(flagEvents('flag.stopped'));
    expect(pairs(res.body!.flagsCleared.accounts)).toContain('payment:payment-trouble');
    // Raised before since (day 5) and cleared after it: cleared, not raised; never raised on busy: in neither.
    expect(pairs(res.body!.flagsRaised.accounts)).not.toContain('payment:payment-trouble');
    expect([...pairs(res.body!.flagsRaised.accounts), ...pairs(res.body!.flagsCleared.accounts)].filter((p) => p.startsWith('busy:payment'))).toEqual([]);

    // Renewals entering the 90-day window: in it today, not on the day before since.
    const inWindow = (renewal: string, day: number) =>
      renewal.slice(0, 10) >= dayOf(start + day * DAY) && renewal.slice(0, 10) < dayOf(start + (day + 90) * DAY);
    const entering = accounts.filter((a) => a.renewalDate && inWindow(a.renewalDate, today) && !inWindow(a.renewalDate, sinceDay - 1)).map((a) => a.id);
    expect(ids(res.body!.renewalsEntering.accounts)).toEqual(entering.sort());
    expect(entering).toContain('payment');
    expect(res.body!.renewalsEntering.arr).toBe(accounts.filter((a) => entering.includes(a.id)).reduce((t, a) => t + a.paid, 0));
  });

  it('with list, names the first accounts of each figure and keeps its count, ARR and flags by kind of all', async () => {
    const since = new Date(start + 9 * DAY + 5 * 3_600_000).toISOString();
    const whole = (await rt.request('GET', `/v1/changes?since=${since}`)).body!;
    const listed = (await rt.request('GET', `/v1/changes?since=${since}&list=1`)).body!;
    expect(whole.flagsRaised.count).toBeGreaterThan(1);
    for (const part of ['turnedRed', 'tierDrops', 'flagsRaised', 'flagsCleared', 'renewalsEntering'] as const) {
      expect(listed[part], part).toMatchObject({ count: whole[part].count, arr: whole[part].arr, accounts: whole[part].accounts.slice(0, 1) });
    }
    for (const part of ['flagsRaised', 'flagsCleared'] as const) {
      const byFlag: Record<string, number> = {};
      for (const f of whole[part].accounts as { flag: string }[]) byFlag[f.flag] = (byFlag[f.flag] ?? 0) + 1;
      expect(listed[part].byFlag, part).toEqual(byFlag);
      expect(whole[part].byFlag, part).toEqual(byFlag);
    }
    expect((await rt.request('GET', `/v1/changes?since=${since}&list=-1`)).status).toBe(400);
  });

  it("keeps to one CSM's accounts with owner", async () => {
    const since = new Date(start + 9 * DAY + 5 * 3_600_000).toISOString();
    // The same accounts as posted above, now with alex as their owner.
    expect((await account('quitting', 60, { owner: 'alex' })).status).toBe(200);
    expect((await account('payment', 100, { owner: 'alex' })).status).toBe(200);
    const whole = (await rt.request('GET', `/v1/changes?since=${since}&top=100`)).body!;
    const owned = await rt.request('GET', `/v1/changes?since=${since}&top=100&owner=alex`);
    expect(owned.status).toBe(200);
    const { accounts } = await rawItems();
    const alexs = new Set(accounts.filter((a) => a.owner === 'alex').map((a) => a.id));
    expect([...alexs].sort()).toEqual(['payment', 'quitting']);
    const keep = (list: { accountId: string }[]) =>
      list
        .filter((x) => alexs.has(x.accountId))
        .map((x) => x.accountId)
        .sort();
    for (const part of ['turnedRed', 'tierDrops', 'flagsRaised', 'flagsCleared', 'renewalsEntering'] as const)
      expect(owned.body![part].accounts.map((x: { accountId: string }) => x.accountId).sort()).toEqual(keep(whole[part].accounts));
    const nobody = (await rt.request('GET', `/v1/changes?since=${since}&owner=nobody`)).body!;
    expect(nobody.turnedRed).toMatchObject({ count: 0, accounts: [] });
  });

  it.each([
    ['/v1/changes', 'since'],
    ['/v1/changes?since=yesterday', 'since'],
    [`/v1/changes?since=${new Date(start + 40 * DAY).toISOString()}`, 'since'],
    [`/v1/changes?since=${dayOf(start - 30 * DAY)}`, 'since'],
    ['/v1/changes?since=2026-04-20&top=0', 'top'],
    ['/v1/renewals?from=2026-05-01&to=2026-04-01', 'to'],
    ['/v1/renewals?from=01-05-2026', 'from'],
    ['/v1/renewals?band=purple', 'band'],
    ['/v1/renewals?cursor=abc', 'cursor'],
    ['/v1/renewals?to=2026-09-01&days=30', 'days'],
    ['/v1/renewals?days=0', 'days'],
    ['/v1/changes?since=2026-04-20&days=7', 'since'],
    ['/v1/changes?days=35', 'days'],
  ])('%s is a 400 naming %s', async (path, field) => {
    const res = await rt.request('GET', path);
    expect(res.status).toBe(400);
    expect(res.body!.message).toMatch(new RegExp(`^${field}`));
  });

  it("counts a window in days from the API's today: days=N is to = from + N, and since the start of the day N days back", async () => {
    const now = dayOf(start + today * DAY);
    const byDays = (await rt.request('GET', '/v1/renewals?days=180&limit=500')).body!;
    const byTo = (await rt.request('GET', `/v1/renewals?from=${now}&to=${dayOf(start + (today + 180) * DAY)}&limit=500`)).body!;
    expect({ ...byDays, asOf: undefined }).toEqual({ ...byTo, asOf: undefined });
    const week = (await rt.request('GET', '/v1/changes?days=7')).body!;
    const since = (await rt.request('GET', `/v1/changes?since=${dayOf(start + (today - 7) * DAY)}`)).body!;
    expect({ ...week, asOf: undefined }).toEqual({ ...since, asOf: undefined });
    expect(week.from).toBe(`${dayOf(start + (today - 7) * DAY)}T00:00:00.000Z`);
  });

  it('needs the read scope', async () => {
    const ingestOnly = await rt.createKey(['ingest'], 'ingest-only');
    for (const path of ['/v1/renewals', `/v1/changes?since=${dayOf(start + 15 * DAY)}`])
      expect((await rt.request('GET', path, undefined, undefined, { key: ingestOnly })).status).toBe(403);
  });
});
