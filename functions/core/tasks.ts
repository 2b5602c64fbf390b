import * as z from './zod.ts';
import { NotFoundError, TendError, ValidationError } from './errors.ts';
import { resolveOwner, type Csm } from './owners.ts';
import type { TaskRepo } from './ports.ts';
import type { CsmTask } from './types.ts';
import { TASK_TEXT_MAX, taskCommentSchema, taskCompleteSchema, taskListQuerySchema, taskReassignSchema, taskSnoozeSchema } from './task-inputs.ts';
export { TASK_TEXT_MAX, taskCommentSchema, taskCompleteSchema, taskListQuerySchema, taskReassignSchema, taskSnoozeSchema };

/** How many tasks a priority-sorted listing reads from its queues (an open queue is a CSM's to-do list, not an archive). */
export const PRIORITY_SORT_MAX = 2000;

export const PRIORITY_RANK: Record<CsmTask['priority'], number> = { low: 0, medium: 1, high: 2, urgent: 3 };

export type TaskListQuery = z.output<typeof taskListQuerySchema>;

export interface TaskDeps {
  tasks: TaskRepo;
  csms: readonly Csm[];
}

/** A task's status as of `now`: a snoozed task whose date has passed is open again. */
export function taskStatus(task: Pick<CsmTask, 'status' | 'snoozedUntil'>, now: Date): CsmTask['status'] {
  if (task.status === 'snoozed' && (!task.snoozedUntil || Date.parse(task.snoozedUntil) <= now.getTime())) return 'open';
  return task.status;
}

/** Open and due before now. */
export const isOverdue = (task: CsmTask, now: Date) => taskStatus(task, now) === 'open' && Date.parse(task.dueAt) < now.getTime();

const byDue = (a: CsmTask, b: CsmTask) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);
const byDoneNewest = (a: CsmTask, b: CsmTask) => (b.doneAt ?? '').localeCompare(a.doneAt ?? '') || a.id.localeCompare(b.id);
const byPriority = (a: CsmTask, b: CsmTask) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || byDue(a, b);

/** A listed task: its status as of now, and whether it is overdue. */
const view = (task: CsmTask, now: Date) => ({ ...task, status: taskStatus(task, now), overdue: isOverdue(task, now) });

function matches(task: CsmTask, q: TaskListQuery, now: Date): boolean {
  const status = taskStatus(task, now);
  if (q.status ? status !== q.status : status === 'done') return false;
  if (q.overdue === 'true' && !isOverdue(task, now)) return false;
  if (q.overdue === 'false' && isOverdue(task, now)) return false;
  if (q.dueBefore && task.dueAt >= new Date(q.dueBefore).toISOString()) return false;
  if (q.priority && task.priority !== q.priority) return false;
  if (q.play && task.play !== q.play) return false;
  if (q.accountId && task.accountId !== q.accountId) return false;
  if (q.owner && (task.owner ?? 'unassigned') !== q.owner) return false;
  return true;
}

const badCursor = () => new ValidationError('cursor: not a cursor this API returned for this listing', [{ field: 'cursor', message: 'not a cursor' }]);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function decode<T>(cursor: string, check: (v: unknown) => v is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    /* answered below */
  }
  throw badCursor();
}
const isOffset = (v: unknown): v is { offset: number } =>
  !!v && typeof (v as { offset?: unknown }).offset === 'number' && (v as { offset: number }).offset >= 0;
const isQueueCursors = (v: unknown): v is Record<string, string | null> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((c) => c === null || typeof c === 'string');

/** A page of an in-memory list, by offset (an account's tasks, a priority-sorted queue). */
function offsetPage(all: CsmTask[], limit: number, cursor: string | undefined, now: Date) {
  const offset = cursor ? decode(cursor, isOffset).offset : 0;
  const page = all.slice(offset, offset + limit);
  return { tasks: page.map((t) => view(t, now)), ...(offset + limit < all.length ? { cursor: encode({ offset: offset + limit }) } : {}) };
}

/**
 * GET /v1/tasks. One owner's queue, sorted by due date: one Query a page (gsi1, `TASKS#<owner>`,
 * or `TASKSDONE#<owner>` for done tasks). Every queue (no `owner`): one Query per queue a page,
 * merged by due date. One account (`accountId`): its tasks, one Query. Sorted by priority: the
 * queues read whole (up to PRIORITY_SORT_MAX tasks), then paged. Filters apply to what a page
 * read, so a page may hold fewer than `limit` tasks while `cursor` says more may follow.
 */
export async function listTasks(deps: TaskDeps, q: TaskListQuery, now: Date) {
  const limit = Number(q.limit ?? 50);
  const done = q.status === 'done';
  if (q.owner && q.owner !== 'unassigned') resolveOwner(deps.csms, q.owner, 'owner');
  const owner = q.owner === 'unassigned' ? undefined : q.owner;
  // Overdue and due-before both read the queue only up to a date: the key condition, not a filter.
  const dueBefore = [q.dueBefore ? new Date(q.dueBefore).toISOString() : undefined, q.overdue === 'true' ? now.toISOString() : undefined]
    .filter((d): d is string => !!d)
    .sort()[0];

  if (q.accountId) {
    const all = (await deps.tasks.forAccount(q.accountId)).filter((t) => matches(t, q, now));
    return offsetPage(all.sort(q.sort === 'priority' ? byPriority : done ? byDoneNewest : byDue), limit, q.cursor, now);
  }
  const queues: (string | undefined)[] = q.owner ? [owner] : [...deps.csms.map((c) => c.id), undefined];
  const name = (o: string | undefined) => o ?? 'unassigned';

  if (q.sort === 'priority') {
    const all: CsmTask[] = [];
    for (const o of queues) {
      let cursor: string | undefined;
      do {
        const page = await deps.tasks.queue(o, { done, dueBefore, limit: 100, cursor });
        all.push(...page.tasks);
        cursor = page.cursor;
      } while (cursor && all.length < PRIORITY_SORT_MAX);
    }
    return offsetPage(all.filter((t) => matches(t, q, now)).sort(byPriority), limit, q.cursor, now);
  }

  // Each queue's own cursor (null: read to the end), so the merge resumes every queue where it stopped.
  const cursors: Record<string, string | null> = q.cursor ? decode(q.cursor, isQueueCursors) : {};
  if (Object.keys(cursors).some((k) => !queues.some((o) => name(o) === k))) throw badCursor();
  const pages = await Promise.all(
    queues
      .filter((o) => cursors[name(o)] !== null)
      .map(async (o) => ({ owner: name(o), ...(await deps.tasks.queue(o, { done, dueBefore, limit, cursor: cursors[name(o)] ?? undefined })) })),
  );
  const merged = pages.flatMap((p) => p.tasks.map((task) => ({ task, owner: p.owner }))).sort((a, b) => (done ? byDoneNewest : byDue)(a.task, b.task));
  const taken = merged.slice(0, limit);
  const next: Record<string, string | null> = { ...cursors };
  for (const page of pages) {
    const mine = taken.filter((t) => t.owner === page.owner);
    // A queue whose page was all taken goes on from its own cursor; one cut short resumes after its last task taken.
    if (mine.length === page.tasks.length) next[page.owner] = page.cursor ?? null;
    else if (mine.length > 0) next[page.owner] = deps.tasks.cursorAfter(mine.at(-1)!.task, done);
  }
  const more = queues.some((o) => next[name(o)] !== null);
  const tasks = taken.map((t) => t.task).filter((t) => matches(t, q, now));
  return { tasks: tasks.map((t) => view(t, now)), ...(more ? { cursor: encode(next) } : {}) };
}

async function openTask(deps: TaskDeps, accountId: string, taskId: string): Promise<CsmTask> {
  const task = await deps.tasks.get(accountId, taskId);
  if (!task) throw new NotFoundError(`task "${taskId}" not found on account "${accountId}"`);
  return task;
}

/** A task that is done takes no snooze, reassignment or second completion: 409 with its own code. */
export class TaskDoneError extends TendError {
  constructor(taskId: string, doneAt: string | undefined) {
    super(`task "${taskId}" is already done${doneAt ? ` (${doneAt})` : ''}`, 'TaskAlreadyDone', 409);
  }
}

/** POST /v1/tasks/{accountId}/{taskId}/complete: once; a second completion is a 409 `TaskAlreadyDone`. */
export async function completeTask(deps: TaskDeps, accountId: string, taskId: string, input: { outcome?: string; by?: string } | undefined, now: Date) {
  const result = await deps.tasks.complete(accountId, taskId, { at: now.toISOString(), by: input?.by, outcome: input?.outcome });
  if (result === 'not-found') throw new NotFoundError(`task "${taskId}" not found on account "${accountId}"`);
  const task = await openTask(deps, accountId, taskId);
  if (result === 'already-done') throw new TaskDoneError(taskId, task.doneAt);
  return { task: view(task, now) };
}

/** POST .../snooze: until a future date (a past one is a 400); not a done task (409). */
export async function snoozeTask(deps: TaskDeps, accountId: string, taskId: string, input: { until: string }, now: Date) {
  const until = new Date(input.until);
  if (until.getTime() <= now.getTime())
    throw new ValidationError(`until: ${input.until} is not in the future`, [{ field: 'until', message: 'must be in the future' }]);
  const task = await openTask(deps, accountId, taskId);
  if (task.status === 'done' || !(await deps.tasks.snooze(accountId, taskId, until.toISOString()))) throw new TaskDoneError(taskId, task.doneAt);
  return { task: view(await openTask(deps, accountId, taskId), now) };
}

/** POST .../reassign: to a CSM of tend.config.ts (or `unassigned`); not a done task (409). */
export async function reassignTask(deps: TaskDeps, accountId: string, taskId: string, input: { owner: string }, now: Date) {
  const owner = input.owner === 'unassigned' ? undefined : resolveOwner(deps.csms, input.owner, 'owner');
  const task = await openTask(deps, accountId, taskId);
  if (task.status === 'done' || !(await deps.tasks.reassign(accountId, taskId, owner))) throw new TaskDoneError(taskId, task.doneAt);
  return { task: view(await openTask(deps, accountId, taskId), now) };
}

/** POST .../comments: added once per comment id (given, or derived from author and text). */
export async function commentTask(
  deps: TaskDeps & { hash: (s: string) => string },
  accountId: string,
  taskId: string,
  input: { id?: string; author: string; text: string },
  now: Date,
) {
  await openTask(deps, accountId, taskId);
  const id = input.id ?? deps.hash(`${input.author}\n${input.text}`);
  const added = await deps.tasks.comment(accountId, taskId, { id, at: now.toISOString(), author: input.author, text: input.text });
  return { added, task: view(await openTask(deps, accountId, taskId), now) };
}
