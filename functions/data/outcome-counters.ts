import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { doneOnTime, NO_PLAY, reasonKey, RUN_ENDINGS, type TaskFacts } from '../core/metrics/plays.ts';
import type { EmailOutcome } from '../core/metrics/email-outcomes.ts';
import { comboKey, outcomeGroupsOf, recordedGroups, type OutcomeGroups } from '../core/metrics/outcome-cuts.ts';
import type { RunStatus } from '../core/types.ts';
import { keys } from './keys.ts';

/**
 * The maintained outcome counters (docs/metrics.md, "Play and email outcomes"): one item per
 * (month, play) and per (month, template), under one partition per month, incremented with ADD.
 * Every increment follows a write that made the transition (a conditional write that succeeded, or
 * an atomic update whose old image shows the change), so a replayed event or a retried step,
 * whose write is refused or changes nothing, counts nothing. A crash between the two loses the
 * increment (counted at most once); `rebuildOutcomeCounters` puts the counts back from the items.
 *
 * Each count goes to two items: the whole book's (month, play or template) and the same under the
 * combination of segment, plan and owner the run, send or task recorded (`OUTCOMECUTS#<month>`,
 * functions/core/metrics/outcome-cuts.ts): 2 small writes per event, whatever the number of cuts.
 */

/** The attribute a counter is kept in: top-level, so ADD works on an item that does not exist yet. */
export const EXIT_PREFIX = 'exit:';
const monthOf = (at: string) => at.slice(0, 7);

async function add(db: DynamoDBDocumentClient, table: string, key: Record<string, string>, deltas: Record<string, number>) {
  const entries = Object.entries(deltas).filter(([, n]) => n !== 0);
  if (!entries.length) return;
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
    }),
  );
}

/** Where the counts of an item go: the whole book's item and its combination's. */
interface CounterTarget {
  accountId: string;
  /** The item as read (or its old/new image): its recorded `groups`, if any. */
  item?: { groups?: unknown };
}

/**
 * The groups an item is counted under: the ones it recorded; an item from before groups were
 * recorded is counted under its account's groups now (one read of the account; the rebuild does
 * the same, so the two agree while the account stays in its groups).
 */
export async function groupsFor(db: DynamoDBDocumentClient, table: string, target: CounterTarget): Promise<OutcomeGroups> {
  const recorded = recordedGroups(target.item);
  if (recorded) return recorded;
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: keys.account(target.accountId),
      ProjectionExpression: '#s, #p, #o',
      ExpressionAttributeNames: { '#s': 'segment', '#p': 'plan', '#o': 'owner' },
    }),
  );
  return outcomeGroupsOf(out.Item);
}

/** A count, added to the whole book's item and to its combination's (two UpdateItems, in parallel). */
async function addBoth(
  db: DynamoDBDocumentClient,
  table: string,
  whole: { pk: string; sk: string },
  cutKey: (combo: string) => { pk: string; sk: string },
  target: CounterTarget,
  deltas: Record<string, number>,
) {
  if (!Object.values(deltas).some((n) => n !== 0)) return;
  const groups = await groupsFor(db, table, target);
  await Promise.all([add(db, table, whole, deltas), add(db, table, cutKey(comboKey(groups)), deltas)]);
}

/** The counts a run's ending adds to its start month: the status, and for an exit its reason. */
const endingDeltas = (status: string, reason: string | undefined, sign: 1 | -1): Record<string, number> =>
  (RUN_ENDINGS as readonly string[]).includes(status)
    ? { [status]: sign, ...(status === 'exited' ? { [`${EXIT_PREFIX}${reasonKey(reason)}`]: sign } : {}) }
    : {};

/** A run as the hooks see it: the item's image after (or before) the write, with its recorded groups. */
type RunImage = { accountId: string; play: string; startedAt?: string; groups?: unknown };

/** The hooks of the run repository (functions/data/runs.ts), called after the run's own write. */
export function runOutcomeCounters(db: DynamoDBDocumentClient, table: string) {
  const count = (run: RunImage & { startedAt: string }, deltas: Record<string, number>) => {
    const month = monthOf(run.startedAt);
    return addBoth(
      db,
      table,
      keys.outcomePlay(month, run.play),
      (c) => keys.outcomeCutPlay(month, run.play, c),
      { accountId: run.accountId, item: run },
      deltas,
    );
  };
  return {
    /** A run's record got its start (its first `begin`): the start month's `started`, and its ending if it had ended before it began. */
    started: (run: RunImage & { startedAt: string; status?: RunStatus; reason?: string }) =>
      count(run, { started: 1, ...(run.status ? endingDeltas(run.status, run.reason, 1) : {}) }),
    /** A live run ended (the conditional `finish` succeeded): counted in its start month. */
    ended: (run: RunImage & { status: RunStatus; reason?: string }) =>
      run.startedAt ? count({ ...run, startedAt: run.startedAt }, endingDeltas(run.status, run.reason, 1)) : Promise.resolve(),
    /** A failed run was reopened (failed -> running): its failure no longer counts. */
    reopened: (run: RunImage) => (run.startedAt ? count({ ...run, startedAt: run.startedAt }, { failed: -1 }) : Promise.resolve()),
  };
}

/**
 * A send moved to sent, or an outcome was first recorded on a sent send: counted in the month it was
 * sent, under its template, and for a variant send (`variantOf` <play>/<step>, docs/holdouts.md) also
 * under its variant: one more ADD only for sends of email steps with variants.
 */
export async function countSendOutcome(
  db: DynamoDBDocumentClient,
  table: string,
  send: { accountId: string; template: string; sentAt: string; variantOf?: string; groups?: unknown },
  what: 'sent' | EmailOutcome,
) {
  const month = monthOf(send.sentAt);
  const counted = addBoth(
    db,
    table,
    keys.outcomeTemplate(month, send.template),
    (c) => keys.outcomeCutTemplate(month, send.template, c),
    { accountId: send.accountId, item: send },
    { [what]: 1 },
  );
  const variant = variantOfSend(send);
  await Promise.all([counted, variant ? add(db, table, keys.outcomeVariant(month, variant.play, variant.step, send.template), { [what]: 1 }) : undefined]);
}

/** A send's `variantOf` (<play>/<step>) read back; undefined for a send without variants. */
export function variantOfSend(send: { variantOf?: unknown }): { play: string; step: string } | undefined {
  if (typeof send.variantOf !== 'string') return undefined;
  const [play, step] = send.variantOf.split('/');
  return play && step ? { play, step } : undefined;
}

/**
 * TASK COMPLETION HOOK (issue 13, tasks done on time). Call this once per real completion of a
 * task: right after the conditional write that moved the task from open to done succeeded (never
 * on a replay that found it done). Counts `tasksDone` (and `tasksOnTime` when done no later than
 * due) under the task's play for the month of `doneAt`, and under the groups the task recorded when
 * a play created it (a task from before groups were kept: its account's groups
 * now). `rebuildOutcomeCounters` counts the same from the task items' `status`, `doneAt`, `dueAt`,
 * `play` and `groups`.
 */
export function countTaskDone(
  db: DynamoDBDocumentClient,
  table: string,
  task: Pick<TaskFacts, 'play' | 'dueAt'> & { accountId: string; doneAt: string; groups?: unknown },
) {
  const [month, play] = [monthOf(task.doneAt), task.play ?? NO_PLAY];
  return addBoth(
    db,
    table,
    keys.outcomePlay(month, play),
    (c) => keys.outcomeCutPlay(month, play, c),
    { accountId: task.accountId, item: task },
    {
      tasksDone: 1,
      tasksOnTime: doneOnTime(task) ? 1 : 0,
    },
  );
}
