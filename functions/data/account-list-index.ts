import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { stageInstants, type ListFilters, type StageClock } from '../core/account-list-entry.ts';
import type { AccountListIndex } from '../core/indexed-account-list.ts';
import type { Account } from '../core/types.ts';
import { accountFromItem } from './account-item.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { batchGetItems } from './batch.ts';

/** Reads of the account list's index (gsi2); its entries are written by account-list-entries.ts. */
const { name: INDEX, partitionKey: PK, sortKey: SK } = TABLE_KEYS.gsi2;

/**
 * The FilterExpression of the list's filters over entries (account-list-entry.ts `entryMatches`
 * says the same in code). The stage is the card's rule (card.ts `stageOf`) on stored fields and
 * the request's clock.
 */
export function filterExpression(f: ListFilters, clock: StageClock) {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const field = (attr: string) => ((names[`#${attr}`] = attr), `#${attr}`);
  const value = (id: string, v: unknown) => ((values[`:${id}`] = v), `:${id}`);
  for (const [filter, attr] of [
    ['band', 'band'],
    ['segment', 'seg'],
    ['plan', 'plan'],
    ['owner', 'own'],
  ] as const)
    if (f[filter]) parts.push(`${field(attr)} = ${value(filter, f[filter])}`);
  if (f.flag) parts.push(`contains(${field('flags')}, ${value('flag', f.flag)})`);
  if (f.q) parts.push(`(contains(${field('nm')}, ${value('q', f.q.toLowerCase())}) OR begins_with(${field('idl')}, :q))`);
  if (f.stage) {
    const t = stageInstants(clock);
    const [risk, stg, start, exp, renew] = ['risk', 'stg', 'start', 'exp', 'renew'].map(field) as [string, string, string, string, string];
    if (f.stage === 'At-Risk') parts.push(`(${risk} = ${value('yes', true)} OR ${stg} = ${value('atRisk', 'at-risk')})`);
    else {
      const renewing = `${renew} BETWEEN ${value('now', t.now)} AND ${value('until', t.renewUntil)}`;
      const old = `${start} <= ${value('newSince', t.newSince)}`;
      const derived: Record<string, string> = {
        Onboarding: `${start} > :newSince`,
        Expansion: `${old} AND ${exp} = ${value('yes', true)}`,
        Retention: `${old} AND ${exp} = ${value('no', false)} AND ${renewing}`,
        Adoption: `${old} AND ${exp} = ${value('no', false)} AND NOT (${renewing})`,
      };
      parts.push(
        `${risk} = ${value('no', false)} AND (${stg} = ${value('stage', f.stage.toLowerCase())} OR (${stg} = ${value('none', 'none')} AND ${derived[f.stage]}))`,
      );
    }
  }
  if (!parts.length) return undefined;
  const expression = parts.join(' AND ');
  // Names and values built for another stage's rule are left out: DynamoDB refuses unused ones.
  const used = (token: string) => new RegExp(`${token}(?![A-Za-z0-9_])`).test(expression);
  for (const k of Object.keys(values)) if (!used(k)) delete values[k];
  for (const k of Object.keys(names)) if (!used(k)) delete names[k];
  return { FilterExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** Reads of the list's index, and the page's accounts. */
export function accountListIndex(db: DynamoDBDocumentClient, table: string): AccountListIndex {
  // Ready stays ready (entries are kept on every write from then on): asked until seen once per container.
  let ready = false;
  return {
    async ready() {
      if (!ready) ready = !!(await db.send(new GetCommand({ TableName: table, Key: keys.listReady }))).Item;
      return ready;
    },
    async read(q, filters, clock) {
      const filter = filterExpression(filters, clock);
      const names = { '#pk': PK, '#sk': SK, '#id': 'id', ...filter?.ExpressionAttributeNames };
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: INDEX,
          KeyConditionExpression: q.after === undefined ? '#pk = :pk' : `#pk = :pk AND #sk ${q.descending ? '<' : '>'} :after`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':pk': keys.listPartition(q.order, q.lane, q.shard),
            ...(q.after !== undefined ? { ':after': q.after } : {}),
            ...filter?.ExpressionAttributeValues,
          },
          ...(filter ? { FilterExpression: filter.FilterExpression } : {}),
          ProjectionExpression: '#sk, #id',
          ScanIndexForward: !q.descending,
          Limit: q.limit,
        }),
      );
      const last = out.LastEvaluatedKey?.[SK];
      return {
        entries: (out.Items ?? []).map((i) => ({ key: String(i[SK]), id: String(i.id) })),
        ...(last !== undefined ? { next: String(last) } : {}),
        examined: out.ScannedCount ?? out.Items?.length ?? 0,
      };
    },
    async accounts(ids) {
      const found = new Map<string, Account>();
      for (const item of await batchGetItems(
        db,
        table,
        ids.map((id) => keys.account(id)),
      )) {
        const account = accountFromItem(item);
        found.set(account.id, account);
      }
      return found;
    },
  };
}
