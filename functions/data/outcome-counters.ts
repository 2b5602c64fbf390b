import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { doneOnTime, NO_PLAY, reasonKey, RUN_ENDINGS, type TaskFacts } from '../core/metrics/plays.ts';
import type { EmailOutcome } from '../core/metrics/email-outcomes.ts';
import type { RunStatus } from '../core/types.ts';
import { keys } from './keys.ts';

/**
 * The maintained outcome counters (docs/metrics.md, "Play and email outcomes"): one item per
 * (month, play) and per (month, template), under one partition per month, incremented with ADD.
 * Every increment follows a write that made the transition (a conditional write that succeeded, or
 * an atomic update whose old image shows the change), so a replayed event or a retried step,
 * whose write is refused or changes nothing, counts nothing. A crash between the two loses the
 * increment (counted at most once); `rebuildOutcomeCounters` puts the counts back from the items.
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

/** The counts a run's ending adds to its start month: the status, and for an exit its reason. */
const endingDeltas = (status: string, reason: string | undefined, sign: 1 | -1): Record<string, number> =>
  (RUN_ENDINGS as readonly string[]).includes(status)
    ? { [status]: sign, ...(status === 'exited' ? { [`${EXIT_PREFIX}${reasonKey(reason)}`]: sign } : {}) }
    : {};

/** The hooks of the run repository (functions/data/runs.ts), called after the run's own write. */
export function runOutcomeCounters(db: DynamoDBDocumentClient, table: string) {
  return {
    /** A run's record got its start (its first `begin`): the start month's `started`, and its ending if it had ended before it began. */
    started: (run: { play: string; startedAt: string; status?: RunStatus; reason?: string }) =>
      add(db, table, keys.outcomePlay(monthOf(run.startedAt), run.play), { started: 1, ...(run.status ? endingDeltas(run.status, run.reason, 1) : {}) }),
    /** A live run ended (the conditional `finish` succeeded): counted in its start month. */
    ended: (run: { play: string; startedAt?: string; status: RunStatus; reason?: string }) =>
      run.startedAt ? add(db, table, keys.outcomePlay(monthOf(run.startedAt), run.play), endingDeltas(run.status, run.reason, 1)) : Promise.resolve(),
    /** A failed run was reopened (failed -> running): its failure no longer counts. */
    reopened: (run: { play: string; startedAt?: string }) =>
      run.startedAt ? add(db, table, keys.outcomePlay(monthOf(run.startedAt), run.play), { failed: -1 }) : Promise.resolve(),
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
  send: { template: string; sentAt: string; variantOf?: string },
  what: 'sent' | EmailOutcome,
) {
  await add(db, table, keys.outcomeTemplate(monthOf(send.sentAt), send.template), { [what]: 1 });
  const variant = variantOfSend(send);
  if (variant) await add(db, table, keys.outcomeVariant(monthOf(send.sentAt), variant.play, variant.step, send.template), { [what]: 1 });
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
 * due) under the task's play for the month of `doneAt`. `rebuildOutcomeCounters` counts the same
 * from the task items' `status`, `doneAt`, `dueAt` and `play`.
 */
export function countTaskDone(db: DynamoDBDocumentClient, table: string, task: Pick<TaskFacts, 'play' | 'dueAt'> & { doneAt: string }) {
  return add(db, table, keys.outcomePlay(monthOf(task.doneAt), task.play ?? NO_PLAY), { tasksDone: 1, tasksOnTime: doneOnTime(task) ? 1 : 0 });
}
