import { DeleteCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderValue } from '../../functions/core/account-list-entry.ts';
import type { Account } from '../../functions/core/types.ts';
import { entryKeys, listEntryWriter, rebuildAccountList } from '../../functions/data/account-list-entries.ts';
import { accountFromItem } from '../../functions/data/account-item.ts';
import { keys } from '../../functions/data/keys.ts';
import { scoreFactsReader } from '../../functions/data/scores.ts';
import { dailyUsage } from '../support/daily-usage.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-04-06T00:00:00Z');
const OWNERS = ['alex', 'sam', undefined];
const PLANS = ['Pro annual', 'enterprise-2026', 'Starter monthly', undefined];

interface Row {
  customer: { id: string; name: string };
  plan: string;
  segment: string;
  stage: string;
  owner: string | null;
  flags: string[];
  arr?: number;
  renewalDate?: string;
  healthScore: { score: number | null; band: string | null };
}

/** The order GET /v1/accounts promises (docs/api.md): by value, ties by id in the same direction; accounts without a value last, by id. */
function bruteForce(rows: Row[], sort: string): string[] {
  const key = sort.replace(/^-/, '');
  const sign = sort.startsWith('-') ? -1 : 1;
  const value = (r: Row): string | number | undefined =>
    key === 'name'
      ? r.customer.name.toLowerCase()
      : key === 'arr'
        ? r.arr
        : key === 'score'
          ? (r.healthScore.score ?? undefined)
          : r.renewalDate && Date.parse(r.renewalDate);
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows]
    .sort((x, y) => {
      const [a, b] = [value(x), value(y)];
      if (a === undefined || b === undefined) return a === b ? cmp(x.customer.id, y.customer.id) : a === undefined ? 1 : -1;
      return sign * (cmp(a, b) || cmp(x.customer.id, y.customer.id));
    })
    .map((r) => r.customer.id);
}

const FILTERS: Record<string, (r: Row) => boolean> = {
  '': () => true,
  'band=red': (r) => r.healthScore.band === 'red',
  'band=unscored': (r) => r.healthScore.band === null,
  'owner=alex': (r) => r.owner === 'alex',
  'owner=unassigned': (r) => r.owner === null,
  'plan=Enterprise': (r) => r.plan === 'Enterprise',
  'segment=tech-touch': (r) => r.segment === 'tech-touch',
  'stage=Onboarding': (r) => r.stage === 'Onboarding',
  'stage=At-Risk': (r) => r.stage === 'At-Risk',
  'stage=Retention': (r) => r.stage === 'Retention',
  'stage=Adoption': (r) => r.stage === 'Adoption',
  'flag=no-login-7d': (r) => r.flags.includes('no-login-7d'),
  'q=acme': (r) => r.customer.name.toLowerCase().includes('acme') || r.customer.id.startsWith('acme'),
  'band=green&owner=sam': (r) => r.healthScore.band === 'green' && r.owner === 'sam',
};

describe('sorted and filtered account lists from the index, page by page, against a sort of the whole book', () => {
  let rt: TestRuntime;
  let book: Row[];
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
    const ids = Array.from({ length: 45 }, (_, i) => (i % 5 === 0 ? `acme-${i}` : `list-${String(i).padStart(2, '0')}`));
    for (const [i, id] of ids.entries()) {
      const owner = OWNERS[i % 3];
      const plan = PLANS[i % 4];
      const res = await rt.request('POST', '/v1/accounts', {
        id,
        // Repeated names and ARRs: ties break by id.
        name: i % 7 === 0 ? 'Same Name' : `${id.startsWith('acme') ? 'ACME' : 'Globex'} ${(i * 37) % 45}`,
        seats: 4,
        ...(i % 6 === 5 ? {} : { arr: ((i * 11) % 9) * 5_000 }),
        ...(i % 4 === 3 ? {} : { renewalDate: new Date(start + ((i * 13) % 120) * DAY).toISOString().slice(0, 10) }),
        // Half of the accounts started long ago (not onboarding by age).
        startDate: new Date(start - (i % 2 ? 400 : 10) * DAY).toISOString(),
        paymentStatus: 'current',
        primaryContact: { email: `cs@${id}.example` },
        ...(owner ? { owner } : {}),
        ...(plan ? { plan } : {}),
      });
      expect(res.status).toBe(201);
    }
    // Two thirds use the product (some stop), the rest never: scores and bands spread.
    const events = ids.flatMap((id, i) => (i % 3 === 2 ? [] : dailyUsage(id, start, 0, i % 3 ? 3 : 9)));
    for (let i = 0; i < events.length; i += 500) expect((await rt.request('POST', '/v1/events', { events: events.slice(i, i + 500) })).status).toBe(202);
    for (let d = 0; d <= 10; d++) {
      rt.clock.advanceTo(start + d * DAY + 7 * 3_600_000);
      await rt.idle();
    }
    // The book as the list in id order shows it (no sort, no filter: the card of each account).
    const res = await rt.request('GET', '/v1/accounts?limit=200');
    book = res.body!.accounts as Row[];
    expect(book).toHaveLength(45);
    expect(new Set(book.map((r) => r.healthScore.band)).size).toBeGreaterThanOrEqual(2);
  }, 240_000);
  afterAll(() => rt?.stop());

  async function pages(query: string, limit: number) {
    const seen: string[][] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const res = await rt.request('GET', `/v1/accounts?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body!.accounts.length).toBeLessThanOrEqual(limit);
      seen.push(res.body!.accounts.map((a: Row) => a.customer.id));
      cursor = res.body!.cursor;
      if (!cursor) return seen;
    }
    throw new Error(`${query}: the pages never ended`);
  }

  async function compareAll(sorts = ['name', '-name', 'arr', '-arr', 'score', '-score', 'renewalDate', '-renewalDate']) {
    for (const sort of sorts)
      for (const [filter, keep] of Object.entries(FILTERS)) {
        const got = await pages(`sort=${sort}${filter ? `&${filter}` : ''}`, 6);
        expect(got.flat(), `${sort} ${filter}`).toEqual(bruteForce(book.filter(keep), sort));
      }
    // Filtered without a sort: by name.
    expect((await pages('band=red', 3)).flat()).toEqual(bruteForce(book.filter(FILTERS['band=red']!), 'name'));
  }

  it('gives every matching account once, in order, for every sort and filter ', async () => {
    expect(new Set(book.map((r) => r.stage)).size, book.map((r) => r.stage).join()).toBeGreaterThanOrEqual(2);
    await compareAll();
  }, 240_000);

  it('reads a bounded amount for a page, however few accounts a filter keeps', async () => {
    const before = rt.dynamo.totals();
    const res = await rt.request('GET', '/v1/accounts?sort=-arr&flag=champion-left&limit=50');
    expect(res.status).toBe(200);
    const after = rt.dynamo.totals();
    // At most 8 rounds of 16 Queries in each of 2 lanes, a ready check, and the page's rows.
    expect(after.requests - before.requests).toBeLessThanOrEqual(2 * 8 * 16 + 1 + 3 * res.body!.accounts.length + 2);
  });

  it("the rebuild writes every account's entries for a deployment from before them, and lists read the same from them", async () => {
    // A deployment from before the index: no entries, no ready mark.
    const entries = await rt.db.send(
      new ScanCommand({ TableName: rt.tableName, FilterExpression: 'begins_with(sk, :l)', ExpressionAttributeValues: { ':l': 'LIST#' } }),
    );
    for (const item of entries.Items ?? []) await rt.db.send(new DeleteCommand({ TableName: rt.tableName, Key: { pk: item.pk, sk: item.sk } }));
    // Score items without their entry's fields, and (as the former layout had) a score entry of its own for some accounts.
    const scoreItems = await rt.db.send(
      new ScanCommand({ TableName: rt.tableName, FilterExpression: 'sk = :s', ExpressionAttributeValues: { ':s': keys.score('').sk } }),
    );
    for (const item of scoreItems.Items ?? []) {
      const Key = { pk: item.pk, sk: item.sk };
      if (typeof item.computedAt !== 'string') await rt.db.send(new DeleteCommand({ TableName: rt.tableName, Key }));
      else await rt.db.send(new UpdateCommand({ TableName: rt.tableName, Key, UpdateExpression: 'REMOVE gsi2pk, gsi2sk, id, nm, seg, own, lst' }));
    }
    const former = { ...keys.formerScoreListEntry('acme-0'), gsi2pk: 'LIST#score#0#0', gsi2sk: '099.00\u0001acme-0', id: 'acme-0', band: 'green' };
    await rt.db.send(new PutCommand({ TableName: rt.tableName, Item: former }));
    await rt.db.send(new DeleteCommand({ TableName: rt.tableName, Key: keys.listReady }));
    const out = await rebuildAccountList(rt.db, rt.tableName, new Date(rt.clock.now()));
    expect(out).toEqual({ accounts: 45, entries: 180 });
    expect(await rt.items('acme-0', 'LIST#score')).toEqual([]);
    const rebuilt = (
      await rt.db.send(new ScanCommand({ TableName: rt.tableName, FilterExpression: 'sk = :s', ExpressionAttributeValues: { ':s': keys.score('').sk } }))
    ).Items!;
    expect(rebuilt).toHaveLength(45);
    for (const item of rebuilt) expect(item).toMatchObject({ gsi2pk: expect.stringMatching(/^LIST#score#/), nm: expect.any(String), own: expect.any(String) });
    const gsi2 = await rt.db.send(
      new QueryCommand({
        TableName: rt.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': 'LIST#score#1#0' },
      }),
    );
    expect(gsi2.Items!.every((i) => typeof i.id === 'string' && i.band === 'unscored')).toBe(true);
    await compareAll(['-score', 'renewalDate']);
  }, 240_000);

  it("the rebuild keeps a former-layout score's flags and lists a score that lands while it runs", async () => {
    const scored = (
      await rt.db.send(new ScanCommand({ TableName: rt.tableName, FilterExpression: 'sk = :s', ExpressionAttributeValues: { ':s': keys.score('').sk } }))
    ).Items!.filter((i) => typeof i.computedAt === 'string');
    const [old, raced] = scored;
    // The former layout: the score's flag map in `flags`, no `activeFlags`, no list entry fields.
    const flags = { 'usage-drop': '2026-04-20T06:00:00.000Z' };
    await rt.db.send(
      new UpdateCommand({
        TableName: rt.tableName,
        Key: { pk: old!.pk, sk: old!.sk },
        UpdateExpression: 'SET flags = :f REMOVE activeFlags, gsi2pk, gsi2sk, lst',
        ExpressionAttributeValues: { ':f': flags },
      }),
    );
    // A score of `raced` lands between the rebuild's read and its write: a new computedAt, a moved score.
    let landed = false;
    const racing = new Proxy(rt.db, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: { input: { Key?: { pk?: string }; ConditionExpression?: string } }) => {
          if (!landed && command instanceof UpdateCommand && command.input.Key?.pk === raced!.pk && command.input.ConditionExpression) {
            landed = true;
            await target.send(
              new UpdateCommand({
                TableName: rt.tableName,
                Key: { pk: raced!.pk, sk: raced!.sk },
                UpdateExpression: 'SET computedAt = :c, score = :s REMOVE gsi2pk, gsi2sk',
                ExpressionAttributeValues: { ':c': '2026-05-30T06:00:00.000Z', ':s': 3 },
              }),
            );
          }
          return target.send(command as never);
        };
      },
    });
    await rebuildAccountList(racing, rt.tableName, new Date(rt.clock.now()));
    expect(landed).toBe(true);
    const [oldId, racedId0] = [old!, raced!].map((i) => String(i.pk).replace(/^ACCOUNT#/, ''));
    const facts = await scoreFactsReader(rt.db, rt.tableName).many([oldId!, racedId0!]);
    const [afterOld, afterRaced] = [facts.get(oldId!), facts.get(racedId0!)];
    expect(afterOld!.flags).toEqual(flags);
    expect(afterRaced!.score).toBe(3);
    const racedId = String(raced!.pk).replace(/^ACCOUNT#/, '');
    const [item] = await rt.items(racedId, keys.score('').sk);
    expect(item).toMatchObject(entryKeys('score', racedId, orderValue('score', { id: racedId } as Account, { score: 3 })));
  });

  it('keeps the newest revision of an account in its entries when two refreshes race', async () => {
    const [item] = await rt.items('acme-0', keys.account('acme-0').sk);
    const account = accountFromItem(item!);
    const writer = listEntryWriter(rt.db, rt.tableName);
    await writer.accountChanged(account, Number(item!.rev));
    // A refresh that read the revision before the current one lands late: refused.
    await writer.accountChanged({ ...account, name: 'Stale Name', owner: 'nobody' }, Number(item!.rev) - 1);
    // Three entries of their own and the score order's, on the score item.
    const entries = [...(await rt.items('acme-0', 'LIST#')), ...(await rt.items('acme-0', keys.score('acme-0').sk))];
    expect(entries).toHaveLength(4);
    for (const e of entries) expect(e).toMatchObject({ nm: account.name.toLowerCase(), own: account.owner ?? 'unassigned' });
  });
});
