import { paginateQuery, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countSends, EMAIL_OUTCOMES, noEmailCounts, type EmailCounts, type SendFacts } from '../core/metrics/email-outcomes.ts';
import {
  countByCombo,
  groupsOfCut,
  outcomeGroupsOf,
  recordedGroups,
  type OutcomeCounts,
  type OutcomeCut,
  type OutcomeGroups,
} from '../core/metrics/outcome-cuts.ts';
import { groupOutcomeFigures, outcomeFigures, wholeMonths, type OutcomeFigures } from '../core/metrics/outcomes.ts';
import { countPlays, noPlayCounts, RUN_ENDINGS, type PlayCounts, type RunFacts, type TaskFacts } from '../core/metrics/plays.ts';
import { keys } from './keys.ts';
import { EXIT_PREFIX, variantOfSend } from './outcome-counters.ts';
import { batchWrite } from './batch.ts';

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

/** Every item of one partition, page by page (one Query a page). */
const partition = (db: DynamoDBDocumentClient, table: string, pk: string) =>
  paginateQuery({ client: db }, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });

/** One month's counter items: one Query of the month's partition (a page holds ~1 MB: thousands of plays and templates). */
async function readMonth(db: DynamoDBDocumentClient, table: string, month: string) {
  const plays: Record<string, PlayCounts> = {};
  const email: Record<string, EmailCounts> = {};
  for await (const page of partition(db, table, keys.outcomeMonth(month)))
    for (const item of page.Items ?? []) {
      const sk = String(item.sk);
      if (sk.startsWith(keys.outcomePlayPrefix)) plays[sk.slice(keys.outcomePlayPrefix.length)] = playCountsOf(item);
      else if (sk.startsWith(keys.outcomeTemplatePrefix)) email[sk.slice(keys.outcomeTemplatePrefix.length)] = emailCountsOf(item);
    }
  return { plays, email };
}

/**
 * One month's counters by combination of groups (`OUTCOMECUTS#<month>`): one Query, paged. Items are
 * one per play or template and combination of segment, plan and owner that counted something that month.
 */
async function readMonthByCombo(db: DynamoDBDocumentClient, table: string, month: string): Promise<Record<string, OutcomeCounts>> {
  const out: Record<string, OutcomeCounts> = {};
  for await (const page of partition(db, table, keys.outcomeCutMonth(month)))
    for (const item of page.Items ?? []) {
      const sk = String(item.sk);
      // `<PLAY#|TEMPLATE#><name>#<combo>`: the combination holds no `#` (comboKey encodes it).
      const cut = sk.lastIndexOf('#');
      const combo = sk.slice(cut + 1);
      const c = (out[combo] ??= { plays: {}, email: {} });
      if (sk.startsWith(keys.outcomePlayPrefix)) c.plays[sk.slice(keys.outcomePlayPrefix.length, cut)] = playCountsOf(item);
      else if (sk.startsWith(keys.outcomeTemplatePrefix)) c.email[sk.slice(keys.outcomeTemplatePrefix.length, cut)] = emailCountsOf(item);
    }
  return out;
}

/**
 * Play, email and onboarding outcomes for a period of whole months (`2026-Q1`, `2026-03`,
 * `2026-01-01..2026-07-01`): one Query per month of the maintained counters, summed. No item of
 * any account is read: a quarter is 3 reads whatever the size of the book. With a cut, one more
 * Query per month, of the counters by combination of groups, summed by the cut's group.
 */
export async function loadOutcomeFigures(db: DynamoDBDocumentClient, table: string, periodName: string, cut?: OutcomeCut): Promise<OutcomeFigures> {
  const { period, months } = wholeMonths(periodName);
  const [read, combos] = await Promise.all([
    Promise.all(months.map((m) => readMonth(db, table, m))),
    cut ? Promise.all(months.map((m) => readMonthByCombo(db, table, m))) : undefined,
  ]);
  const whole = outcomeFigures(period, months, { plays: read.map((r) => r.plays), email: read.map((r) => r.email) });
  if (!cut || !combos) return whole;
  return {
    ...whole,
    cut,
    groups: groupOutcomeFigures(
      period,
      months,
      cut,
      combos.map((c) => groupsOfCut(c, cut)),
    ),
  };
}

/** The loader bound to a table: what the API's composition root hands the route. */
export const outcomeFiguresReader = (db: DynamoDBDocumentClient, table: string) => ({
  load: (period: string, cut?: OutcomeCut) => loadOutcomeFigures(db, table, period, cut),
});

/** A source item: what the counts read, its account, and the groups it recorded (absent on older items). */
export type SourceItem<T> = T & { accountId: string; groups?: unknown };

/** What the counters are computed from: every run, send and task item, the accounts' groups now, and the counter items themselves. */
export interface OutcomeSources {
  runs: SourceItem<RunFacts>[];
  sends: SourceItem<SendFacts>[];
  tasks: SourceItem<TaskFacts>[];
  /** Each account's segment, plan and owner now: what an item without recorded groups counts under. */
  accounts: Record<string, OutcomeGroups>;
  counters: { pk: string; sk: string }[];
}

const COUNTER_PARTITIONS = ['OUTCOMES#', 'OUTCOMECUTS#'];

/** A full parallel Scan of the table for the items outcomes are made of: for a rebuild, never a request. */
export async function readOutcomeSources(db: DynamoDBDocumentClient, table: string, segments = 4): Promise<OutcomeSources> {
  const out: OutcomeSources = { runs: [], sends: [], tasks: [], accounts: {}, counters: [] };
  const profile = keys.account('').sk;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression:
              'begins_with(sk, :run) OR begins_with(sk, :send) OR begins_with(sk, :task) OR sk = :profile OR begins_with(pk, :counters) OR begins_with(pk, :cuts)',
            ExpressionAttributeValues: {
              ':run': keys.runPrefix(),
              ':send': keys.sendPrefix,
              ':task': keys.taskPrefix,
              ':profile': profile,
              ':counters': COUNTER_PARTITIONS[0],
              ':cuts': COUNTER_PARTITIONS[1],
            },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const [pk, sk] = [String(item.pk), String(item.sk)];
          if (COUNTER_PARTITIONS.some((p) => pk.startsWith(p))) out.counters.push({ pk, sk });
          else if (sk === profile) out.accounts[String(item.id)] = outcomeGroupsOf(item);
          else if (sk.startsWith(keys.runPrefix())) out.runs.push(item as unknown as SourceItem<RunFacts>);
          else if (sk.startsWith(keys.sendPrefix)) out.sends.push(item as unknown as SourceItem<SendFacts>);
          else out.tasks.push(item as unknown as SourceItem<TaskFacts>);
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

const playItem = (key: { pk: string; sk: string }, c: PlayCounts) => ({
  ...key,
  ...Object.fromEntries(PLAY_FIELDS.map((f) => [f, c[f]])),
  ...Object.fromEntries(Object.entries(c.exits).map(([r, n]) => [`${EXIT_PREFIX}${r}`, n])),
});
const emailItem = (key: { pk: string; sk: string }, c: EmailCounts) => ({ ...key, ...Object.fromEntries(EMAIL_FIELDS.map((f) => [f, c[f]])) });

/**
 * The groups each item counts under: those it recorded, else its account's now (an item from before
 * groups were recorded: an approximation, docs/metrics.md), else `none` (its account is gone).
 */
export function withGroups<T extends { accountId: string; groups?: unknown }>(
  items: T[],
  accounts: Record<string, OutcomeGroups>,
): (T & { groups: OutcomeGroups })[] {
  return items.map((i) => ({ ...i, groups: recordedGroups(i) ?? accounts[i.accountId] ?? outcomeGroupsOf(undefined) }));
}

/** The counter items the sources make, by the definition (countPlays, countSends, countByCombo) month by month. */
export function countersFromSources(sources: Omit<OutcomeSources, 'counters'>): Record<string, unknown>[] {
  const months = new Set<string>();
  for (const r of sources.runs) if (r.startedAt) months.add(r.startedAt.slice(0, 7));
  for (const s of sources.sends) if (s.sentAt) months.add(s.sentAt.slice(0, 7));
  for (const t of sources.tasks) if (t.status === 'done' && t.doneAt) months.add(t.doneAt.slice(0, 7));
  const grouped = {
    runs: withGroups(sources.runs, sources.accounts),
    sends: withGroups(sources.sends, sources.accounts),
    tasks: withGroups(sources.tasks, sources.accounts),
  };
  const items: Record<string, unknown>[] = [];
  for (const month of [...months].sort()) {
    const period = monthPeriod(month);
    for (const [play, c] of Object.entries(countPlays(sources.runs, sources.tasks, period))) items.push(playItem(keys.outcomePlay(month, play), c));
    for (const [template, c] of Object.entries(countSends(sources.sends, period))) items.push(emailItem(keys.outcomeTemplate(month, template), c));
    // Variant sends (docs/holdouts.md) also count under <play>/<step>/<template>.
    const variantSends = sources.sends.flatMap((s) => {
      const v = variantOfSend(s as { variantOf?: unknown });
      return v ? [{ ...s, template: `${v.play}/${v.step}/${s.template}` }] : [];
    });
    for (const [key, c] of Object.entries(countSends(variantSends, period))) {
      const [play, step, template] = key.split('/') as [string, string, string];
      items.push(emailItem(keys.outcomeVariant(month, play, step, template), c));
    }
    for (const [combo, c] of Object.entries(countByCombo(grouped, period))) {
      for (const [play, pc] of Object.entries(c.plays)) items.push(playItem(keys.outcomeCutPlay(month, play, combo), pc));
      for (const [template, ec] of Object.entries(c.email)) items.push(emailItem(keys.outcomeCutTemplate(month, template, combo), ec));
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
  await batchWrite(db, table, requests);
  return { items: items.length, deleted: stale.length, scanned: sources.runs.length + sources.sends.length + sources.tasks.length };
}
