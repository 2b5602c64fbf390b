import { GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AGGREGATE_CUTS, type AggregateCut, type Contribution, type Counters } from '../core/metrics/contribution.ts';
import { readRanges } from '../core/metrics/figures.ts';
import type { MetricAggregateRepo } from '../core/metrics/sources.ts';
import { writeIf } from './items.ts';
import { addressesOf, bookNowOf, storedItemsOf, storedUpdates } from './metric-layout.ts';
import { renewalIndex } from './renewal-index.ts';
import { keys } from './keys.ts';
import { batchGetItems, batchWrite } from './batch.ts';

const CONTRIBUTION = 'contribution';
const VERSION = 'v';

/** A sort-key condition: a half-open range (BETWEEN is inclusive: the end is filtered out), a prefix, or one key. */
type Range = { from: string; to: string } | { prefix: string } | { eq: string };

/** One partition's items in a range, whole (keys included). */
async function query(db: DynamoDBDocumentClient, table: string, pk: string, range: Range): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const [condition, values] =
    'from' in range
      ? ['pk = :pk AND sk BETWEEN :a AND :b', { ':a': range.from, ':b': range.to }]
      : 'prefix' in range
        ? ['pk = :pk AND begins_with(sk, :a)', { ':a': range.prefix }]
        : ['pk = :pk AND sk = :a', { ':a': range.eq }];
  const whole = 'prefix' in range && !range.prefix;
  for await (const page of paginateQuery(
    { client: db },
    whole
      ? { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }
      : { TableName: table, KeyConditionExpression: condition, ExpressionAttributeValues: { ':pk': pk, ...values } },
  ))
    out.push(...(page.Items ?? []));
  return 'from' in range ? out.filter((item) => String(item.sk) < range.to) : out;
}

/** At most this many `ADD` clauses in one UpdateItem: far under DynamoDB's 4 KB expression whatever the names (they are placeholders). */
const MAX_CLAUSES = 100;

/** Says the aggregates are of this layout (keys.metricLayoutReady): the rebuild wrote them, or the table was created empty. */
export async function markMetricLayoutReady(db: DynamoDBDocumentClient, table: string) {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.metricLayoutReady } }));
}

/**
 * The metric aggregates: items of counters stored as metric-layout.ts lays them out (a group's periods
 * in one item per year, the whole book's, segments' and plans' book in one item), read back as the
 * addresses contribution.ts names; and each
 * account's last contribution, versioned, under the account (docs/data-model.md).
 */
export function metricAggregates(db: DynamoDBDocumentClient, table: string): MetricAggregateRepo {
  const renewals = renewalIndex(db, table);
  // Once seen, the mark stays (it is never removed): one read per container.
  let layoutReady = false;
  return {
    ready: async () => (layoutReady ||= !!(await db.send(new GetCommand({ TableName: table, Key: keys.metricLayoutReady }))).Item),
    moveRenewal: (before, after) => renewals.move(before, after),
    async contribution(accountId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.metricContribution(accountId), ConsistentRead: true }));
      return { ...(out.Item?.[CONTRIBUTION] ? { contribution: out.Item[CONTRIBUTION] as Contribution } : {}), version: Number(out.Item?.[VERSION] ?? 0) };
    },
    async contributions(accountIds) {
      // Strongly consistent, as `contribution`: the version read is the one a save is conditioned on.
      const stored = (item: Record<string, unknown> | undefined) => ({
        ...(item?.[CONTRIBUTION] ? { contribution: item[CONTRIBUTION] as Contribution } : {}),
        version: Number(item?.[VERSION] ?? 0),
      });
      const byPk = new Map<string, Record<string, unknown>>();
      for (const item of await batchGetItems(
        db,
        table,
        accountIds.map((id) => keys.metricContribution(id)),
        { consistent: true },
      ))
        byPk.set(String(item.pk), item);
      return new Map(accountIds.map((id) => [id, stored(byPk.get(keys.metricContribution(id).pk))]));
    },
    saveContribution: (accountId, contribution, version) =>
      writeIf(
        db,
        new PutCommand({
          TableName: table,
          Item: { ...keys.metricContribution(accountId), [VERSION]: version + 1, ...(contribution ? { [CONTRIBUTION]: contribution } : {}) },
          ConditionExpression: version ? '#v = :v' : 'attribute_not_exists(pk)',
          ...(version ? { ExpressionAttributeNames: { '#v': VERSION }, ExpressionAttributeValues: { ':v': version } } : {}),
        }),
      ),
    async add(diff) {
      // One UpdateItem per stored item that moves (metric-layout.ts): its counters are top-level numbers, added in place (ADD creates them at 0).
      const updates = [...storedUpdates(diff).values()].flatMap(({ key, counters }) => {
        const entries = Object.entries(counters);
        return Array.from({ length: Math.ceil(entries.length / MAX_CLAUSES) }, (_, i) => ({
          key,
          entries: entries.slice(i * MAX_CLAUSES, (i + 1) * MAX_CLAUSES),
        }));
      });
      const update = ({ key, entries }: (typeof updates)[number]) =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: key,
            UpdateExpression: `ADD ${entries.map((_, i) => `#f${i} :v${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(entries.map(([f], i) => [`#f${i}`, f])),
            ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
          }),
        );
      // A few at a time: many accounts may be refreshed at once.
      for (let i = 0; i < updates.length; i += 5) await Promise.all(updates.slice(i, i + 5).map(update));
    },
    async readPeriod(cut, periodKey, period) {
      const c = cut as AggregateCut;
      const r = readRanges(periodKey, period);
      const now = bookNowOf(c);
      const parts = await Promise.all([
        // The group-year items of the period's year and every year before it: the months before the period, and the period.
        query(db, table, keys.metricPartition(cut), { from: 'Y#', to: `Y#${Number(periodKey.slice(2, 6)) + 1}` }),
        query(db, table, keys.metricPartition(cut), r.starts),
        query(db, table, now.pk, now.range),
      ]);
      const inRead = ([sk]: [string, Counters]) => !sk.startsWith('P#') || (sk >= r.before.from && sk < r.before.to) || sk.startsWith(r.period.prefix);
      return parts.flat().flatMap((item) => addressesOf(item, c).filter(inRead));
    },
    async readMonths(cut) {
      const c = cut as AggregateCut;
      const now = bookNowOf(c);
      const parts = await Promise.all([query(db, table, keys.metricPartition(cut), { prefix: 'Y#' }), query(db, table, now.pk, now.range)]);
      return parts.flat().flatMap((item) => addressesOf(item, c).filter(([sk]) => !sk.startsWith('P#') || sk.startsWith('P#M#')));
    },
    async replaceAll(items, contributions) {
      // Every aggregate item, of this layout and of the former one (one item per address): those not written are deleted.
      const partitions = AGGREGATE_CUTS.map((cut) => keys.metricPartition(cut));
      const existing = new Map<string, { pk: string; sk: string }>();
      for (const pk of partitions)
        for (const item of await query(db, table, pk, { prefix: '' })) existing.set(`${pk}|${String(item.sk)}`, { pk, sk: String(item.sk) });
      const stored = storedItemsOf(items);
      const puts = stored.map((item) => {
        existing.delete(`${String(item.pk)}|${String(item.sk)}`);
        return { PutRequest: { Item: item } };
      });
      const deletes = [...existing.values()].map((key) => ({ DeleteRequest: { Key: key } }));
      await batchWrite(db, table, [...puts, ...deletes]);
      await markMetricLayoutReady(db, table);
      // Each contribution bumps its version: an upkeep that read the one before retries on what rebuild left.
      for (let i = 0; i < contributions.length; i += 25)
        await Promise.all(
          contributions.slice(i, i + 25).map(([accountId, c]) =>
            db.send(
              new UpdateCommand({
                TableName: table,
                Key: keys.metricContribution(accountId),
                UpdateExpression: 'SET #c = :c ADD #v :one',
                ExpressionAttributeNames: { '#c': CONTRIBUTION, '#v': VERSION },
                ExpressionAttributeValues: { ':c': c, ':one': 1 },
              }),
            ),
          ),
        );
      const renewed = await renewals.replaceAll(contributions.flatMap(([, c]) => (c.renewal ? [c.renewal] : [])));
      return { written: puts.length, deleted: deletes.length, renewals: renewed };
    },
  };
}
