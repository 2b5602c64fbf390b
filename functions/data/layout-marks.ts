import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { indexPartition, putIfAbsent } from './items.ts';
import { ACCOUNT_SHARDS, keys } from './keys.ts';

/**
 * The marks that let readers trust derived items (docs/data-model.md): the metric aggregates' layout,
 * the sorted account lists, the renewal day items. Each says "every account's derived items exist".
 */
export const LAYOUT_MARKS = [keys.metricLayoutReady, keys.listReady, keys.renewalDaysReady] as const;

export interface EmptyTableMarking {
  /** The table held at least one account: nothing was written, and `tend metrics rebuild` must write the marks. */
  holdsAccounts: boolean;
  /** The marks this call wrote (`pk#sk`); none when they were there already or the table holds accounts. */
  written: string[];
  /** Every mark is on the table now (written here, before, or by a rebuild): false means readers read the whole book until `tend metrics rebuild`. */
  marked: boolean;
}

/**
 * The one place that decides whether a table may be marked without a rebuild: when it holds no account,
 * every account's derived items trivially exist. Called at deploy (the data stack's custom resource,
 * functions/table-marks/handler.ts) and when the local runtime starts. A table holding accounts, in
 * whatever older layout, is never marked here: only the rebuild, which writes their items, marks it.
 * One Query (Limit 1) per account shard of the catalog; each mark put only if absent, so a second run
 * changes nothing.
 */
export async function markIfNoAccounts(db: DynamoDBDocumentClient, table: string, now: Date): Promise<EmptyTableMarking> {
  const found = await Promise.all(
    Array.from({ length: ACCOUNT_SHARDS }, async (_, shard) => {
      const out = await db.send(new QueryCommand({ ...indexPartition(table, keys.accountShard(shard)), Limit: 1, ProjectionExpression: '#pk' }));
      return (out.Items?.length ?? 0) > 0;
    }),
  );
  if (found.some(Boolean)) {
    // Said at deploy (the data stack's `LayoutMarked` output), so a stage left unmarked is not silent.
    const present = await Promise.all(
      LAYOUT_MARKS.map(async (mark) => !!(await db.send(new GetCommand({ TableName: table, Key: mark, ProjectionExpression: 'pk' }))).Item),
    );
    return { holdsAccounts: true, written: [], marked: present.every(Boolean) };
  }
  const written: string[] = [];
  for (const mark of LAYOUT_MARKS) {
    // `at` as the list's rebuild writes it (functions/data/account-list-entries.ts); the other marks carry nothing.
    const item = mark === keys.listReady ? { ...mark, at: now.toISOString() } : { ...mark };
    if (await putIfAbsent(db, table, item)) written.push(`${mark.pk}#${mark.sk}`);
  }
  return { holdsAccounts: false, written, marked: true };
}
