import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listTasks, taskStatus, type TaskListQuery } from '../../functions/core/tasks.ts';
import type { Csm } from '../../functions/core/owners.ts';
import type { TaskRepo } from '../../functions/core/ports.ts';
import type { CsmTask } from '../../functions/core/types.ts';

const now = new Date('2026-06-10T12:00:00Z');
const csms: Csm[] = [
  { id: 'alex', name: 'Alex', email: 'alex@acme.example' },
  { id: 'sam', name: 'Sam', email: 'sam@acme.example' },
];
const task = (id: string, extra: Partial<CsmTask> = {}): CsmTask => ({
  id,
  accountId: 'acme',
  title: id,
  priority: 'medium',
  status: 'open',
  dueAt: '2026-06-12T00:00:00.000Z',
  createdAt: '2026-06-01T00:00:00.000Z',
  play: 'save',
  step: 'review',
  executionName: 'x',
  ...extra,
});

/** The queues as gsi1 keeps them: by owner, open ones by due date, done ones newest first; a cursor is the last key read. */
function memoryTasks(all: CsmTask[]): TaskRepo {
  const key = (t: CsmTask, done: boolean) => (done ? `${t.doneAt}#${t.id}` : `${t.dueAt}#${t.id}`);
  return {
    async queue(owner, { done, dueBefore, limit, cursor }) {
      const inQueue = all
        .filter((t) => t.owner === owner && (t.status === 'done') === done && (done || !dueBefore || key(t, false) < dueBefore))
        .sort((a, b) => (done ? key(b, true).localeCompare(key(a, true)) : key(a, false).localeCompare(key(b, false))));
      const from = cursor ? inQueue.findIndex((t) => key(t, done) === cursor) + 1 : 0;
      const page = inQueue.slice(from, from + limit);
      return { tasks: page, cursor: from + limit < inQueue.length ? key(page.at(-1)!, done) : undefined };
    },
    cursorAfter: (t, done) => key(t, done),
    forAccount: async (accountId) => all.filter((t) => t.accountId === accountId),
  } as TaskRepo;
}

async function everyPage(repo: TaskRepo, q: TaskListQuery) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = (await listTasks({ tasks: repo, csms }, { ...q, cursor }, now)) as { tasks: CsmTask[]; cursor?: string };
    seen.push(...page.tasks.map((t) => t.id));
    cursor = page.cursor;
    if (!cursor) break;
  }
  return seen;
}

describe('listing tasks across queues', () => {
  const tasks = [
    task('a1', { owner: 'alex', dueAt: '2026-06-01T00:00:00.000Z', priority: 'urgent' }),
    task('a2', { owner: 'alex', dueAt: '2026-06-11T00:00:00.000Z' }),
    task('s1', { owner: 'sam', dueAt: '2026-06-05T00:00:00.000Z', priority: 'high' }),
    task('s2', { owner: 'sam', dueAt: '2026-06-20T00:00:00.000Z', status: 'snoozed', snoozedUntil: '2026-06-15T00:00:00.000Z' }),
    task('u1', { dueAt: '2026-06-02T00:00:00.000Z', accountId: 'globex', priority: 'low' }),
    task('d1', { owner: 'alex', status: 'done', doneAt: '2026-06-09T00:00:00.000Z' }),
    task('d2', { owner: 'sam', status: 'done', doneAt: '2026-06-08T00:00:00.000Z' }),
  ];
  const repo = memoryTasks(tasks);

  it.each<[string, TaskListQuery, string[]]>([
    ['every queue by due date, not done', {}, ['a1', 'u1', 's1', 'a2', 's2']],
    ['one owner', { owner: 'sam' }, ['s1', 's2']],
    ['the team queue', { owner: 'unassigned' }, ['u1']],
    ['open only (a snoozed one waits)', { status: 'open' }, ['a1', 'u1', 's1', 'a2']],
    ['snoozed only', { status: 'snoozed' }, ['s2']],
    ['done, newest first', { status: 'done' }, ['d1', 'd2']],
    ['overdue', { overdue: 'true' }, ['a1', 'u1', 's1']],
    ['due before', { dueBefore: '2026-06-03T00:00:00Z' }, ['a1', 'u1']],
    ['priority', { priority: 'high' }, ['s1']],
    ['an account', { accountId: 'globex' }, ['u1']],
    ['sorted by priority', { sort: 'priority' }, ['a1', 's1', 'a2', 's2', 'u1']],
  ])('%s', async (_, q, ids) => {
    expect(await everyPage(repo, { ...q, limit: '100' })).toEqual(ids);
  });

  it('a snoozed task whose date has passed is open again', () => {
    expect(taskStatus({ status: 'snoozed', snoozedUntil: '2026-06-10T11:00:00Z' }, now)).toBe('open');
    expect(taskStatus({ status: 'snoozed', snoozedUntil: '2026-06-10T13:00:00Z' }, now)).toBe('snoozed');
  });

  it('an unknown owner is a 400 naming it; a forged cursor is a 400', async () => {
    await expect(listTasks({ tasks: repo, csms }, { owner: 'nobody' }, now)).rejects.toThrow(/^owner: "nobody" is not a CSM/);
    await expect(listTasks({ tasks: repo, csms }, { cursor: 'bm9wZQ' }, now)).rejects.toThrow(/^cursor:/);
    await expect(listTasks({ tasks: repo, csms }, { cursor: Buffer.from('{"elsewhere":null}').toString('base64url') }, now)).rejects.toThrow(/^cursor:/);
  });

  it('pages merged over several queues list every task once, in due order, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ owner: fc.constantFrom('alex', 'sam', undefined), day: fc.integer({ min: 1, max: 28 }) }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        async (specs, limit) => {
          const all = specs.map((s, i) =>
            task(`t${String(i).padStart(2, '0')}`, { owner: s.owner, dueAt: `2026-06-${String(s.day).padStart(2, '0')}T00:00:00.000Z` }),
          );
          const expected = [...all].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id)).map((t) => t.id);
          expect(await everyPage(memoryTasks(all), { limit: String(limit) })).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
