import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TaskRepo } from '../core/ports.ts';
import type { CsmTask } from '../core/types.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { putIfAbsent, stripKeys, writeIf } from './items.ts';
import { countTaskDone } from './outcome-counters.ts';
import { putAll, timelineItemOf } from './timeline.ts';
import { taskDoneEntry } from '../core/timeline.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

/** What `completeTask` did: the one place a completion happens (a counter hook of issue 13 goes here). */
export type TaskCompletion = 'completed' | 'already-done' | 'not-found';

const INDEX_KEY_NAMES = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, TABLE_KEYS.gsi1.partitionKey, TABLE_KEYS.gsi1.sortKey] as const;

/**
 * CSM tasks: on the account's partition, and in gsi1 by owner: open and snoozed tasks in the
 * owner's queue (`TASKS#<owner>`, due soonest first), done ones moved to `TASKSDONE#<owner>`
 * (newest first), so a queue Query never reads finished work.
 */
export function taskRepo(db: DynamoDBDocumentClient, table: string): TaskRepo {
  const get = async (accountId: string, taskId: string) => {
    const out = await db.send(new GetCommand({ TableName: table, Key: keys.task(accountId, taskId), ConsistentRead: true }));
    return out.Item ? withoutCommentIds(stripKeys(out.Item)) : undefined;
  };
  /** A change to a task that is not done, as long as its owner is still the one read (a reassignment in between: read again). */
  const whileNotDone = (task: CsmTask, set: Record<string, unknown>, remove: string[] = []) => {
    const names: Record<string, string> = { '#status': 'status', '#owner': 'owner' };
    const values: Record<string, unknown> = { ':done': 'done' };
    const sets = Object.entries(set).map(([k, v], i) => {
      names[`#s${i}`] = k;
      values[`:s${i}`] = v;
      return `#s${i} = :s${i}`;
    });
    const removes = remove.map((k, i) => {
      names[`#r${i}`] = k;
      return `#r${i}`;
    });
    let condition = 'attribute_exists(pk) AND #status <> :done AND ';
    if (task.owner === undefined) condition += 'attribute_not_exists(#owner)';
    else {
      condition += '#owner = :owner';
      values[':owner'] = task.owner;
    }
    return writeIf(
      db,
      new UpdateCommand({
        TableName: table,
        Key: keys.task(task.accountId, task.id),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  };
  /** Reads the task and applies `change` while it is not done; a lost race reads again (a few times). */
  const changeOpen = async (accountId: string, taskId: string, change: (task: CsmTask) => Promise<boolean>): Promise<boolean> => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const task = await get(accountId, taskId);
      if (!task || task.status === 'done') return false;
      if (await change(task)) return true;
    }
    return false;
  };

  return {
    create: (task) => putIfAbsent(db, table, { ...keys.task(task.accountId, task.id), ...keys.taskIndex(task.owner, task.dueAt, task.id), ...task }),
    async forAccount(accountId) {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
            ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':p': keys.taskPrefix },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return items.map((i) => withoutCommentIds(stripKeys(i))).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    },
    get,
    complete: (accountId, taskId, done) => completeTask(db, table, accountId, taskId, done),
    snooze: (accountId, taskId, until) => changeOpen(accountId, taskId, (task) => whileNotDone(task, { status: 'snoozed', snoozedUntil: until })),
    reassign: (accountId, taskId, owner) =>
      changeOpen(accountId, taskId, (task) =>
        whileNotDone(task, { ...keys.taskIndex(owner, task.dueAt, task.id), ...(owner ? { owner } : {}) }, owner ? [] : ['owner']),
      ),
    comment: (accountId, taskId, comment) =>
      writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.task(accountId, taskId),
          // The ids added so far, as a set: the same comment id again is refused, never appended twice.
          UpdateExpression: 'SET #cs = list_append(if_not_exists(#cs, :empty), :new) ADD #ids :id',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(#ids, :cid)',
          ExpressionAttributeNames: { '#cs': 'comments', '#ids': 'commentIds' },
          ExpressionAttributeValues: { ':empty': [], ':new': [comment], ':id': new Set([comment.id]), ':cid': comment.id },
        }),
      ),
    cursorAfter: (task, done) =>
      encodeCursor({
        ...keys.task(task.accountId, task.id),
        ...(done ? keys.doneTaskIndex(task.owner, task.doneAt ?? '', task.id) : keys.taskIndex(task.owner, task.dueAt, task.id)),
      })!,
    async queue(owner, { done, dueBefore, limit, cursor }) {
      const partition = done ? keys.doneTaskQueue(owner) : keys.taskQueue(owner);
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: dueBefore && !done ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey, ...(dueBefore && !done ? { '#sk': TABLE_KEYS.gsi1.sortKey } : {}) },
          ExpressionAttributeValues: { ':pk': partition, ...(dueBefore && !done ? { ':before': dueBefore } : {}) },
          ScanIndexForward: !done,
          Limit: limit,
          ExclusiveStartKey: cursor ? decodeCursor(cursor, INDEX_KEY_NAMES, [TABLE_KEYS.gsi1.partitionKey, partition], 'this task queue') : undefined,
        }),
      );
      return { tasks: (out.Items ?? []).map((i) => withoutCommentIds(stripKeys(i))), cursor: encodeCursor(out.LastEvaluatedKey) };
    },
  };
}

const withoutCommentIds = (item: Record<string, unknown>) => {
  delete item.commentIds;
  return item as unknown as CsmTask;
};

/**
 * Completes a task once: open or snoozed becomes done, with when, by whom and the outcome note,
 * and the task moves to its owner's done list. `already-done` when it was done before (the API's
 * 409), `not-found` when there is no such task on that account. The one function a completion
 * goes through: a hook that counts completions belongs here, on `completed`.
 */
export async function completeTask(
  db: DynamoDBDocumentClient,
  table: string,
  accountId: string,
  taskId: string,
  done: { at: string; by?: string; outcome?: string },
): Promise<TaskCompletion> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const out = await db.send(new GetCommand({ TableName: table, Key: keys.task(accountId, taskId), ConsistentRead: true }));
    const task = out.Item as CsmTask | undefined;
    if (!task) return 'not-found';
    if (task.status === 'done') return 'already-done';
    const values: Record<string, unknown> = { ':done': 'done', ':at': done.at, ...keysAsValues(keys.doneTaskIndex(task.owner, done.at, taskId)) };
    const sets = ['#status = :done', 'doneAt = :at', 'gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk'];
    if (done.by) {
      values[':by'] = done.by;
      sets.push('doneBy = :by');
    }
    if (done.outcome) {
      values[':outcome'] = done.outcome;
      sets.push('outcome = :outcome');
    }
    const ownerSame = task.owner === undefined ? 'attribute_not_exists(#owner)' : '#owner = :owner';
    if (task.owner !== undefined) values[':owner'] = task.owner;
    const completed = await writeIf(
      db,
      new UpdateCommand({
        TableName: table,
        Key: keys.task(accountId, taskId),
        UpdateExpression: `SET ${sets.join(', ')} REMOVE snoozedUntil`,
        ConditionExpression: `attribute_exists(pk) AND #status <> :done AND ${ownerSame}`,
        ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
        ExpressionAttributeValues: values,
      }),
    );
    if (completed) {
      // Counted after the write that made it done, so a second completion never counts (docs/metrics.md).
      await countTaskDone(db, table, { accountId, play: task.play, dueAt: task.dueAt, doneAt: done.at, groups: task.groups });
      await putAll(db, table, [timelineItemOf(taskDoneEntry({ id: taskId, accountId, title: task.title, doneAt: done.at, outcome: done.outcome }))]);
      return 'completed';
    }
  }
  return 'already-done';
}

const keysAsValues = (index: { gsi1pk: string; gsi1sk: string }) => ({ ':gsi1pk': index.gsi1pk, ':gsi1sk': index.gsi1sk });
