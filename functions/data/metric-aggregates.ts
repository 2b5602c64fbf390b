import { BatchGetCommand, GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AGGREGATE_CUTS, splitAddress, type Contribution, type Counters } from '../core/metrics/contribution.ts';
import { readRanges } from '../core/metrics/figures.ts';
import type { MetricAggregateRepo } from '../core/metrics/sources.ts';
import { batchWrite, writeIf } from './items.ts';
import { renewalIndex } from './renewal-index.ts';
import { keys } from './keys.ts';

const CONTRIBUTION = 'contribution';
const VERSION = 'v';

/** The counters of an aggregate item: every attribute but its keys. */
const countersOf = (item: Record<string, unknown>): Counters => {
  const { pk: _pk, sk: _sk, ...counters } = item;
  return counters as Counters;
};

type Range = { from: string; to: string } | { prefix: string };

async function query(db: DynamoDBDocumentClient, table: string, cut: string, range: Range): Promise<[string, Counters][]> {
  const out: [string, Counters][] = [];
  const between = 'from' in range;
  for await (const page of paginateQuery(
    { client: db },
    {
      TableName: table,
      KeyConditionExpression: between ? 'pk = :pk AND sk BETWEEN :a AND :b' : 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': keys.metricPartition(cut), ...(between ? { ':a': range.from, ':b': range.to } : { ':a': range.prefix }) },
    },
  ))
    for (const item of page.Items ?? []) out.push([String(item.sk), countersOf(item)]);
  // BETWEEN is inclusive; the ranges are half-open.
  return between ? out.filter(([sk]) => sk < range.to) : out;
}

/**
 * The metric aggregates: items of counters, one partition per cut (`METRICS#segment`…), sorted by
 * kind, period or day, and group (docs/data-model.md); and each account's last contribution,
 * versioned, under the account.
 */
export function metricAggregates(db: DynamoDBDocumentClient, table: string): MetricAggregateRepo {
  const renewals = renewalIndex(db, table);
  return {
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
      for (let i = 0; i < accountIds.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
          [table]: { Keys: accountIds.slice(i, i + 100).map((id) => keys.metricContribution(id)), ConsistentRead: true },
        };
        for (let attempt = 0; request && Object.keys(request).length; attempt++) {
          if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
          const out = await db.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of out.Responses?.[table] ?? []) byPk.set(String(item.pk), item);
          request = out.UnprocessedKeys as typeof request;
        }
      }
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
      // One UpdateItem per moved item: its counters are top-level numbers, added in place (ADD creates them at 0).
      const update = ([address, counters]: [string, Counters]) => {
        const { cut, sk } = splitAddress(address);
        const entries = Object.entries(counters);
        return db.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.metricAggregate(cut, sk),
            UpdateExpression: `ADD ${entries.map((_, i) => `#f${i} :v${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(entries.map(([f], i) => [`#f${i}`, f])),
            ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
          }),
        );
      };
      // A few at a time: a change moves up to ~20 items, and many accounts may be refreshed at once.
      const all = [...diff];
      for (let i = 0; i < all.length; i += 5) await Promise.all(all.slice(i, i + 5).map(update));
    },
    async readPeriod(cut, periodKey, period) {
      const r = readRanges(periodKey, period);
      const parts = await Promise.all([
        query(db, table, cut, r.before),
        query(db, table, cut, r.period),
        query(db, table, cut, r.starts),
        query(db, table, cut, r.now),
      ]);
      return parts.flat();
    },
    async readMonths(cut) {
      const parts = await Promise.all([query(db, table, cut, { prefix: 'P#M#' }), query(db, table, cut, { prefix: 'N#' })]);
      return parts.flat();
    },
    async replaceAll(items, contributions) {
      const existing = new Set<string>();
      for (const cut of AGGREGATE_CUTS) for (const [sk] of await query(db, table, cut, { prefix: '' })) existing.add(`${cut}|${sk}`);
      const puts = [...items].map(([address, counters]) => {
        existing.delete(address);
        const { cut, sk } = splitAddress(address);
        return { PutRequest: { Item: { ...counters, ...keys.metricAggregate(cut, sk) } } };
      });
      const deletes = [...existing].map((address) => {
        const { cut, sk } = splitAddress(address);
        return { DeleteRequest: { Key: keys.metricAggregate(cut, sk) } };
      });
      await batchWrite(db, table, [...puts, ...deletes]);
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
