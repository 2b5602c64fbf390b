import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../functions/core/clock.ts';
import { describeCondition, holds, type AccountSnapshot } from '../../functions/core/plays/conditions.ts';
import { playSchema } from '../../functions/core/plays/definition.ts';
import { runStep } from '../../functions/core/plays/engine.ts';
import type { CsmTask } from '../../functions/core/types.ts';
import { makeAccount, playsWorld } from './support/plays-world.ts';

const at = (iso: string, days: number, hours = 0) => new Date(new Date(iso).getTime() + days * DAY_MS + hours * 3_600_000).toISOString();
const T0 = '2026-02-01T10:00:00.000Z';

const task = (extra: Partial<CsmTask>): CsmTask => ({
  id: 't',
  accountId: 'acme',
  title: 'Review',
  priority: 'urgent',
  status: 'open',
  dueAt: at(T0, 3),
  createdAt: T0,
  play: 'save',
  step: 'review',
  executionName: 'x',
  ...extra,
});

describe('task conditions', () => {
  const snapshot = (runTasks: CsmTask[], now = at(T0, 4)) => ({ now: new Date(now), runTasks }) as unknown as AccountSnapshot;
  it.each([
    ['taskDone: every task of the step done', { taskDone: 'review' }, [task({ status: 'done' })], true],
    ['taskDone: one still open', { taskDone: 'review' }, [task({ status: 'done' }), task({ id: 'u' })], false],
    ['taskDone: no task of that step', { taskDone: 'review' }, [task({ step: 'outreach', status: 'done' })], false],
    ['taskNotDone: open', { taskNotDone: { step: 'review', days: 0 } }, [task({})], true],
    ['taskNotDone: snoozed is not done', { taskNotDone: { step: 'review', days: 0 } }, [task({ status: 'snoozed' })], true],
    ['taskNotDone: open 4 days, at least 3', { taskNotDone: { step: 'review', days: 3 } }, [task({})], true],
    ['taskNotDone: open 4 days, at least 5', { taskNotDone: { step: 'review', days: 5 } }, [task({})], false],
    ['taskNotDone: done', { taskNotDone: { step: 'review', days: 0 } }, [task({ status: 'done' })], false],
  ] as const)('%s', (_, condition, tasks, expected) => {
    expect(holds(condition as never, snapshot([...tasks]))).toBe(expected);
  });

  it('reads as words', () => {
    expect(describeCondition({ taskDone: 'review' })).toBe('the review task done');
    expect(describeCondition({ taskNotDone: { step: 'review', days: 3 } })).toBe('the review task not done after 3 days');
  });

  it('a play may only name a step that comes before', () => {
    const play = {
      id: 'p',
      description: 'd',
      trigger: { on: 'account.created' },
      anchor: 'trigger',
      steps: [
        { id: 'a', day: 0, when: { taskDone: 'b' }, do: { event: 'x' } },
        { id: 'b', day: 1, do: { task: { title: 'T' } } },
        { id: 'c', day: 2, waitFor: { until: { taskDone: 'zz' }, upToDays: 2 }, do: { event: 'y' } },
      ],
    };
    const issues = playSchema.safeParse(play).error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual(['steps.0.when: names step "b", which does not come before this one', 'steps.2.waitFor.until: no step "zz" in this play']);
  });
});

describe("the save play's review check: waits for the CSM's task, then branches on it", () => {
  async function save(owner?: string) {
    const w = playsWorld({ now: T0 });
    w.addAccount(owner ? { owner } : {});
    w.setScore('acme', 'red', { recent: ['yellow', 'red'] });
    const { executionName, cycle } = await w.begin('save', 'acme', T0);
    const step = (id: string) => runStep(w.deps, { play: 'save', accountId: 'acme', cycle, executionName, step: id });
    const run = () => w.run('acme', 'save', cycle)!;
    await step('outreach');
    w.clock.set(at(T0, 0, 1));
    await step('review');
    w.clock.set(at(T0, 0, 2));
    const review = [...w.tasks.values()].find((t) => t.step === 'review')!;
    return { w, step, run, review };
  }

  it("gives the review to the account's owner, or to the team's queue", async () => {
    expect((await save('alex')).review.owner).toBe('alex');
    expect((await save()).review.owner).toBeUndefined();
    expect(makeAccount().owner).toBeUndefined();
  });

  it('waits, checking every 6 hours, while the review is open', async () => {
    const { step, run } = await save();
    expect(await step('review-check')).toEqual({
      route: 'wait',
      until: at(T0, 0, 8),
      reason: 'waiting until the review task done (at most until 2026-02-04T12:00Z)',
    });
    expect(run().steps['review-check']).toMatchObject({ outcome: 'waiting' });
    expect(run().next).toEqual({ step: 'review-check', at: at(T0, 0, 8) });
  });

  it('goes on at once when the CSM completes the review: its first branch, no escalation', async () => {
    const { w, step, run, review } = await save();
    await step('review-check');
    w.clock.set(at(T0, 1));
    w.tasks.set(review.id, { ...review, status: 'done', doneAt: at(T0, 0, 20) });
    expect(await step('review-check')).toEqual({ route: 'next' });
    expect(run().steps['review-check']).toMatchObject({ outcome: 'done', detail: 'option 1: the review task done' });
    expect(w.events.map((e) => e.type)).toContain('play.save-review-done');
    expect([...w.tasks.values()].filter((t) => t.step === 'review-check')).toEqual([]);
  });

  it("a retried run (a new execution of the same cycle) still sees the first execution's review", async () => {
    const { w, run, review } = await save();
    w.tasks.set(review.id, { ...review, status: 'done', doneAt: at(T0, 0, 1) });
    const { cycle, executionName } = run();
    expect(review.cycle).toBe(cycle);
    expect(await runStep(w.deps, { play: 'save', accountId: 'acme', cycle, executionName: `${executionName}-r2`, step: 'review-check' })).toEqual({
      route: 'next',
    });
    expect(run().steps['review-check']).toMatchObject({ outcome: 'done', detail: 'option 1: the review task done' });
  });

  it('escalates when the review is not done within 3 days, once, however often the step is retried', async () => {
    const { w, step, run } = await save();
    let route = await step('review-check');
    while (route.route === 'wait') {
      w.clock.set(route.until);
      route = await step('review-check');
    }
    expect(w.clock.now().toISOString()).toBe(at(T0, 3, 2));
    expect(run().steps['review-check']).toMatchObject({ outcome: 'done', detail: 'option 2: always' });
    // A retried step (the state machine's Retry after a timeout) creates no second task.
    delete run().steps['review-check'];
    await step('review-check');
    const escalations = [...w.tasks.values()].filter((t) => t.step === 'review-check');
    expect(escalations.map((t) => [t.title, t.priority])).toEqual([['Save review not done in 3 days: escalate to the CS lead', 'urgent']]);
    expect(w.events.filter((e) => e.type === 'task.created' && (e.detail as { task: CsmTask }).task.step === 'review-check')).toHaveLength(1);
  });
});
