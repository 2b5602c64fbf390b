import { DeleteCommand, GetCommand, paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Band } from '../core/metrics/health.ts';
import { DAY_MS, dayOf } from '../core/clock.ts';
import { addInto, aggregateSk, renewalCounters, type Counters } from '../core/metrics/contribution.ts';
import { NO_RENEWAL, renewalSk, type RenewalEntry, type RenewalIndexReader } from '../core/metrics/renewal-index.ts';
import { batchGetItems, batchWrite } from './batch.ts';
import { keys } from './keys.ts';

const itemOf = (e: RenewalEntry) => ({
  pk: keys.renewalPartition,
  sk: renewalSk(e),
  accountId: e.accountId,
  ...(e.renewalDate ? { renewalDate: e.renewalDate } : {}),
  segment: e.segment,
  arr: e.arr,
  band: e.band,
  name: e.name,
  ...(e.owner ? { owner: e.owner } : {}),
});
const entryOf = (i: Record<string, unknown>): RenewalEntry => ({
  accountId: String(i.accountId),
  ...(i.renewalDate ? { renewalDate: String(i.renewalDate) } : {}),
  segment: String(i.segment),
  arr: Number(i.arr ?? 0),
  band: (i.band ?? 'unscored') as Band,
  name: String(i.name ?? i.accountId),
  ...(i.owner ? { owner: String(i.owner) } : {}),
});

/** What the weekly review reads of the book (not the name or band): less to send and to decode. */
const REVIEW_FIELDS = {
  ProjectionExpression: '#id, #date, #segment, #arr, #owner',
  // Named, not written out: several are DynamoDB reserved words.
  ExpressionAttributeNames: { '#id': 'accountId', '#date': 'renewalDate', '#segment': 'segment', '#arr': 'arr', '#owner': 'owner' },
};

/** What counting a window's renewal days reads of each entry. */
const DAY_FIELDS = {
  ProjectionExpression: '#id, #date, #segment, #arr, #band',
  ExpressionAttributeNames: { '#id': 'accountId', '#date': 'renewalDate', '#segment': 'segment', '#arr': 'arr', '#band': 'band' },
};

/** Renewal day counters counted from index entries: what each entry's contribution adds to its day's item (renewalCounters). */
function countDays(items: Record<string, unknown>[]): [string, Counters][] {
  const days = new Map<string, Counters>();
  for (const e of items.map(entryOf)) if (e.renewalDate) addInto(days, new Map([[e.renewalDate.slice(0, 10), renewalCounters(e)]]));
  return [...days];
}

/** Says the renewal day items hold every account: the rebuild wrote them, or the table was created empty. */
export async function markRenewalDaysReady(db: DynamoDBDocumentClient, table: string) {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.renewalDaysReady } }));
}

async function queryRange(
  db: DynamoDBDocumentClient,
  table: string,
  from: string,
  to: string,
  fields?: { ProjectionExpression: string; ExpressionAttributeNames?: Record<string, string> },
) {
  const out: Record<string, unknown>[] = [];
  for await (const page of paginateQuery(
    { client: db },
    {
      TableName: table,
      // Sort keys are `<day>#<account>`: BETWEEN the two days takes every day from `from` up to, not including, `to`.
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.renewalPartition, ':from': from, ':to': to },
      ...fields,
    },
  ))
    out.push(...(page.Items ?? []));
  return out;
}

/**
 * The book index: one small item per live account, in one partition sorted by renewal day then
 * account, those without a renewal date last (docs/data-model.md), kept by the metric upkeep
 * beside the account's contribution. A renewal window is a key range: its first page is read from
 * it; its totals from the renewal day items the same upkeep keeps (`days`).
 */
export function renewalIndex(db: DynamoDBDocumentClient, table: string) {
  // Once seen, the mark stays (it is never removed): one read per container.
  let daysReady = false;
  const ready = async () => (daysReady ||= !!(await db.send(new GetCommand({ TableName: table, Key: keys.renewalDaysReady }))).Item);
  return {
    async first(from: string, to: string, limit: number, band?: Band) {
      const out: RenewalEntry[] = [];
      for await (const page of paginateQuery(
        // Unfiltered, a page of `limit` items is the answer; filtered, the band's entries are looked for in bigger pages.
        { client: db, pageSize: band ? Math.max(limit, 500) : limit },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ...(band ? { FilterExpression: '#band = :band', ExpressionAttributeNames: { '#band': 'band' } } : {}),
          ExpressionAttributeValues: { ':pk': keys.renewalPartition, ':from': from, ':to': to, ...(band ? { ':band': band } : {}) },
        },
      )) {
        out.push(...(page.Items ?? []).map(entryOf));
        if (out.length >= limit) break;
      }
      return out.slice(0, limit);
    },
    async days(from: string, to: string) {
      // A table from before the day items (no rebuild since): upkeep has moved them from nothing, so
      // they cannot be trusted; the window's index entries are counted instead (right, at the old cost).
      if (!(await ready())) return countDays(await queryRange(db, table, from, to, DAY_FIELDS));
      const [a, b] = [aggregateSk.renewalDay(from), aggregateSk.renewalDay(to)];
      const out: [string, Record<string, number>][] = [];
      for await (const page of paginateQuery(
        { client: db },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: { ':pk': keys.metricAggregate('whole', a).pk, ':a': a, ':b': b },
        },
      ))
        for (const { pk: _pk, sk, ...counters } of page.Items ?? [])
          if (String(sk) < b) out.push([String(sk).slice(a.length - from.length), counters as Record<string, number>]);
      return out;
    },
    async all(today?: string) {
      // The dated entries (every day sorts before `none`) and the undated ones, read at once; around
      // `today`, the dated ones in a few ranges too, so one range's page is decoded while the next is read.
      const cuts = today ? [0, 60, 120, 180, 365].map((n) => dayOf(Date.parse(`${today}T00:00:00Z`) + n * DAY_MS)) : [];
      const bounds = ['0', ...cuts, NO_RENEWAL, `${NO_RENEWAL}~`];
      const parts = await Promise.all(bounds.slice(1).map((to, i) => queryRange(db, table, bounds[i]!, to, REVIEW_FIELDS)));
      return parts.flat().map(entryOf);
    },
    async range(from: string, to: string) {
      return (await queryRange(db, table, from, to, REVIEW_FIELDS)).map(entryOf);
    },
    async entriesOf(accountIds: string[]) {
      // Each account's entry as its last upkeep stored it beside its contribution (metric-aggregates.ts): by key, where the index is by day.
      const out = new Map<string, RenewalEntry>();
      for (const item of await batchGetItems(
        db,
        table,
        accountIds.map((id) => keys.metricContribution(id)),
        { projection: 'contribution' },
      )) {
        const renewal = (item.contribution as { renewal?: Record<string, unknown> } | undefined)?.renewal;
        if (renewal) out.set(String(renewal.accountId), entryOf(renewal));
      }
      return out;
    },
    async move(before: RenewalEntry | undefined, after: RenewalEntry | undefined) {
      // The new entry first: a reader in between sees the account twice at worst, never not at all.
      if (after) await db.send(new PutCommand({ TableName: table, Item: itemOf(after) }));
      if (before && (!after || renewalSk(before) !== renewalSk(after)))
        await db.send(new DeleteCommand({ TableName: table, Key: { pk: keys.renewalPartition, sk: renewalSk(before) } }));
    },
    /** Rebuild: these entries written, every other item of the index deleted. */
    async replaceAll(entries: RenewalEntry[]) {
      const stale = new Set((await queryRange(db, table, '0', '~', { ProjectionExpression: 'pk, sk' })).map((i) => String(i.sk)));
      for (const e of entries) stale.delete(renewalSk(e));
      await batchWrite(db, table, [
        ...entries.map((e) => ({ PutRequest: { Item: itemOf(e) } })),
        ...[...stale].map((sk) => ({ DeleteRequest: { Key: { pk: keys.renewalPartition, sk } } })),
      ]);
      await markRenewalDaysReady(db, table);
      return entries.length;
    },
  } satisfies RenewalIndexReader & Record<string, unknown>;
}
