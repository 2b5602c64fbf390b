import { BatchWriteCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countSends, EMAIL_OUTCOMES, noEmailCounts, type EmailCounts, type SendFacts } from '../core/metrics/email-outcomes.ts';
import { outcomeFigures, wholeMonths, type OutcomeFigures } from '../core/metrics/outcomes.ts';
import { countPlays, noPlayCounts, RUN_ENDINGS, type PlayCounts, type RunFacts, type TaskFacts } from '../core/metrics/plays.ts';
import { keys } from './keys.ts';
import { EXIT_PREFIX, variantOfSend } from './outcome-counters.ts';

const PLAY_FIELDS = ['started', ...RUN_ENDINGS, 'tasksDone', 'tasksOnTime'] as const;
const EMAIL_FIELDS = ['sent', ...EMAIL_OUTCOMES] as const;

/** A play counter item's counts (attributes absent until first added are 0). */
function playCountsOf(item: Record<string, unknown>): PlayCounts {
  const c = noPlayCounts();
  for (const f of PLAY_FIELDS) c[f] = Number(item[f] ?? 0);
  for (const [k, v] of Object.entries(item)) if (k.startsWith(EXIT_PREFIX) && Number(v)) c.exits[k.slice(EXIT_PREFIX.length)] = Number(v);
  return c;
}

function emailCountsOf(item: Record<string, unknown>): EmailCounts {
  const c = noEmailCounts();
  for (const f of EMAIL_FIELDS) c[f] = Number(item[f] ?? 0);
  return c;
}

/** One month's counter items: one Query of the month's partition (a page holds ~1 MB: thousands of plays and templates). */
async function readMonth(db: DynamoDBDocumentClient, table: string, month: string) {
  const plays: Record<string, PlayCounts> = {};
  const email: Record<string, EmailCounts> = {};
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.outcomeMonth(month) },
        ExclusiveStartKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const sk = String(item.sk);
      if (sk.startsWith(keys.outcomePlayPrefix)) plays[sk.slice(keys.outcomePlayPrefix.length)] = playCountsOf(item);
      else if (sk.startsWith(keys.outcomeTemplatePrefix)) email[sk.slice(keys.outcomeTemplatePrefix.length)] = emailCountsOf(item);
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { plays, email };
}

/**
 * Play, email and onboarding outcomes for a period of whole months (`2026-Q1`, `2026-03`,
 * `2026-01-01..2026-07-01`): one Query per month of the maintained counters, summed. No item of
 * any account is read: a quarter is 3 reads whatever the size of the book.
 */
export async function loadOutcomeFigures(db: DynamoDBDocumentClient, table: string, periodName: string): Promise<OutcomeFigures> {
  const { period, months } = wholeMonths(periodName);
  const read = await Promise.all(months.map((m) => readMonth(db, table, m)));
  return outcomeFigures(period, months, { plays: read.map((r) => r.plays), email: read.map((r) => r.email) });
}

/** The loader bound to a table: what the API's composition root hands the route. */
export const outcomeFiguresReader = (db: DynamoDBDocumentClient, table: string) => ({ load: (period: string) => loadOutcomeFigures(db, table, period) });

/** What the counters are computed from: every run, send and task item, and the counter items themselves. */
export interface OutcomeSources {
  runs: RunFacts[];
  sends: SendFacts[];
  tasks: TaskFacts[];
  counters: { pk: string; sk: string }[];
}

/** A full parallel Scan of the table for the items outcomes are made of: for a rebuild, never a request. */
export async function readOutcomeSources(db: DynamoDBDocumentClient, table: string, segments = 4): Promise<OutcomeSources> {
  const out: OutcomeSources = { runs: [], sends: [], tasks: [], counters: [] };
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: 'begins_with(sk, :run) OR begins_with(sk, :send) OR begins_with(sk, :task) OR begins_with(pk, :counters)',
            ExpressionAttributeValues: { ':run': keys.runPrefix(), ':send': keys.sendPrefix, ':task': keys.taskPrefix, ':counters': 'OUTCOMES#' },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const sk = String(item.sk);
          if (String(item.pk).startsWith('OUTCOMES#')) out.counters.push({ pk: String(item.pk), sk });
          else if (sk.startsWith(keys.runPrefix())) out.runs.push(item as unknown as RunFacts);
          else if (sk.startsWith(keys.sendPrefix)) out.sends.push(item as unknown as SendFacts);
          else out.tasks.push(item as unknown as TaskFacts);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
  return out;
}

const monthPeriod = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: `${month}-01`, to: m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01` };
};

/** The counter items the sources make, by the definition (countPlays, countSends) month by month. */
export function countersFromSources(sources: Omit<OutcomeSources, 'counters'>): Record<string, unknown>[] {
  const months = new Set<string>();
  for (const r of sources.runs) if (r.startedAt) months.add(r.startedAt.slice(0, 7));
  for (const s of sources.sends) if (s.sentAt) months.add(s.sentAt.slice(0, 7));
  for (const t of sources.tasks) if (t.status === 'done' && t.doneAt) months.add(t.doneAt.slice(0, 7));
  const items: Record<string, unknown>[] = [];
  for (const month of [...months].sort()) {
    const period = monthPeriod(month);
    for (const [play, c] of Object.entries(countPlays(sources.runs, sources.tasks, period))) {
      const exits = Object.fromEntries(Object.entries(c.exits).map(([r, n]) => [`${EXIT_PREFIX}${r}`, n]));
      items.push({ ...keys.outcomePlay(month, play), ...Object.fromEntries(PLAY_FIELDS.map((f) => [f, c[f]])), ...exits });
    }
    for (const [template, c] of Object.entries(countSends(sources.sends, period)))
      items.push({ ...keys.outcomeTemplate(month, template), ...Object.fromEntries(EMAIL_FIELDS.map((f) => [f, c[f]])) });
    // Variant sends (docs/holdouts.md) also count under <play>/<step>/<template>.
    const variantSends = sources.sends.flatMap((s) => {
      const v = variantOfSend(s as { variantOf?: unknown });
      return v ? [{ ...s, template: `${v.play}/${v.step}/${s.template}` }] : [];
    });
    for (const [key, c] of Object.entries(countSends(variantSends, period))) {
      const [play, step, template] = key.split('/') as [string, string, string];
      items.push({ ...keys.outcomeVariant(month, play, step, template), ...Object.fromEntries(EMAIL_FIELDS.map((f) => [f, c[f]])) });
    }
  }
  return items;
}

/**
 * Recomputes every outcome counter from the run, send and task items (`tend metrics rebuild`'s
 * part for outcomes): writes each counter item whole and deletes the ones nothing supports any
 * more. Increments made while it runs may be overwritten: run it when the counters drifted (a
 * crash between a transition and its count), not as routine.
 */
export async function rebuildOutcomeCounters(db: DynamoDBDocumentClient, table: string): Promise<{ items: number; deleted: number; scanned: number }> {
  const sources = await readOutcomeSources(db, table);
  const items = countersFromSources(sources);
  const kept = new Set(items.map((i) => `${String(i.pk)}\u0000${String(i.sk)}`));
  const stale = sources.counters.filter((c) => !kept.has(`${c.pk}\u0000${c.sk}`));
  const requests = [...items.map((Item) => ({ PutRequest: { Item } })), ...stale.map((Key) => ({ DeleteRequest: { Key } }))];
  for (let i = 0; i < requests.length; i += 25) {
    let batch: Record<string, unknown[]> | undefined = { [table]: requests.slice(i, i + 25) };
    // Unprocessed items (throttling) are written again until none is left.
    while (batch && Object.keys(batch).length) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: batch as never }));
      batch = out.UnprocessedItems as Record<string, unknown[]> | undefined;
    }
  }
  return { items: items.length, deleted: stale.length, scanned: sources.runs.length + sources.sends.length + sources.tasks.length };
}
