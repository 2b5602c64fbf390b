import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../functions/core/clock.ts';
import { beginRun, completeRun, failRun, PAUSE_RECHECK_HOURS, runStep, type Route } from '../../functions/core/plays/engine.ts';
import { playsWorld, type World } from './support/plays-world.ts';

const START = '2026-01-01T00:00:00.000Z';
const at = (iso: string, days: number, hours = 0) => new Date(new Date(iso).getTime() + days * DAY_MS + hours * 3_600_000).toISOString();

/** A world with one account and an onboarding run begun on its start date. */
async function onboarding(over: Parameters<World['addAccount']>[0] = {}) {
  const w = playsWorld({ now: START });
  w.addAccount({ startDate: START, ...over });
  const { executionName, cycle, result } = await w.begin('onboarding', 'acme', START);
  expect(result.route).toBe('next');
  const step = (id: string) => runStep(w.deps, { play: 'onboarding', accountId: 'acme', cycle, executionName, step: id });
  const run = () => w.run('acme', 'onboarding', cycle)!;
  return { w, executionName, cycle, step, run };
}

describe('beginRun', () => {
  it('plans the run, records it and takes the live-run lock', async () => {
    const { w, executionName, cycle, run } = await onboarding();
    expect(cycle).toBe('2026-01-01');
    expect(run()).toMatchObject({
      status: 'running',
      executionName,
      startedAt: START,
      steps: {},
      next: { step: 'welcome', at: '2026-01-02T00:00:00.000Z' },
      schedule: {
        welcome: '2026-01-02T00:00:00.000Z',
        day_7: '2026-01-08T00:00:00.000Z',
        day_14: '2026-01-15T00:00:00.000Z',
        day_30: '2026-01-31T00:00:00.000Z',
        review: '2026-03-02T00:00:00.000Z',
      },
    });
    expect(w.locks.get('acme|onboarding')).toEqual({ executionName, cycle, at: START });
  });

  it('a second execution of the play for the account exits while the first is live', async () => {
    const { w, executionName } = await onboarding();
    const other = await beginRun(w.deps, {
      play: 'onboarding',
      accountId: 'acme',
      cycle: '2026-02-01',
      executionName: 'onboarding-acme-other',
      anchor: '2026-02-01T00:00:00.000Z',
      trigger: { on: 'sweep', at: START },
    });
    expect(other.route).toBe('exit');
    expect(other.reason).toBe(`another onboarding run is live (${executionName})`);
    expect(w.run('acme', 'onboarding', '2026-02-01')).toBeUndefined();
    expect(w.locks.get('acme|onboarding')!.executionName).toBe(executionName);
  });

  it('a redrive of Begin keeps the steps already done', async () => {
    const { w, step, run } = await onboarding();
    w.clock.set('2026-01-02T00:00:00.000Z');
    await step('welcome');
    const again = await w.begin('onboarding', 'acme', START);
    expect(again.result.route).toBe('next');
    expect(run().steps.welcome?.outcome).toBe('done');
    expect(run().startedAt).toBe(START);
  });

  it('fails for an unknown account or play', async () => {
    const w = playsWorld({ now: START });
    await expect(
      beginRun(w.deps, { play: 'onboarding', accountId: 'ghost', cycle: '2026-01-01', executionName: 'x', anchor: START, trigger: { on: 'sweep', at: START } }),
    ).rejects.toThrow('account "ghost" not found');
    w.addAccount();
    await expect(
      beginRun(w.deps, { play: 'nope', accountId: 'acme', cycle: '2026-01-01', executionName: 'x', anchor: START, trigger: { on: 'sweep', at: START } }),
    ).rejects.toThrow('play "nope" is not in the configuration');
  });
});

describe('runStep: when a run ends or holds', () => {
  it('exits "churned" for a churned account, releasing the lock and doing nothing', async () => {
    const { w, step, run } = await onboarding();
    w.accounts.get('acme')!.status = 'churned';
    w.clock.set('2026-01-02T00:00:00.000Z');
    expect(await step('welcome')).toEqual({ route: 'exit', reason: 'churned' });
    expect(run()).toMatchObject({ status: 'exited', reason: 'churned', finishedAt: '2026-01-02T00:00:00.000Z', next: null });
    expect(w.locks.size).toBe(0);
    expect(w.sent).toEqual([]);
  });

  it('exits with the reason of the exit condition that holds (adoption reached 70%)', async () => {
    const w = playsWorld({ now: '2026-04-01T10:00:00.000Z' });
    w.addAccount();
    const { executionName, cycle } = await w.begin('adoption', 'acme', '2026-04-01T10:00:00.000Z');
    w.addUsage('acme', '2026-03-30', ['u1'], ['dashboards', 'reports', 'alerts', 'integrations', 'sharing']);
    expect(await runStep(w.deps, { play: 'adoption', accountId: 'acme', cycle, executionName, step: 'spotlight' })).toEqual({
      route: 'exit',
      reason: 'adopted',
    });
    expect(w.run('acme', 'adoption', cycle)).toMatchObject({ status: 'exited', reason: 'adopted' });
    expect(w.locks.size).toBe(0);
    expect(w.sent).toEqual([]);
  });

  it('holds a paused run, looking again in 6 hours, and acts once resumed', async () => {
    const { w, step, run, cycle } = await onboarding();
    w.clock.set('2026-01-02T00:00:00.000Z');
    await w.deps.runs.setPaused({ accountId: 'acme', play: 'onboarding', cycle }, true, w.clock.now(), 'csm@acme.example');
    expect(PAUSE_RECHECK_HOURS).toBe(6);
    expect(await step('welcome')).toEqual({ route: 'wait', until: '2026-01-02T06:00:00.000Z', reason: 'paused' });
    expect(w.sent).toEqual([]);
    expect(run().steps).toEqual({});
    await w.deps.runs.setPaused({ accountId: 'acme', play: 'onboarding', cycle }, false, w.clock.now());
    w.clock.set('2026-01-02T06:00:00.000Z');
    expect(await step('welcome')).toEqual({ route: 'next' });
    expect(w.sent.map((e) => e.subject)).toEqual(['Welcome to Acme Analytics, Acme']);
  });

  it('a paused run still ends when the account churns', async () => {
    const { w, step, cycle } = await onboarding();
    await w.deps.runs.setPaused({ accountId: 'acme', play: 'onboarding', cycle }, true, w.clock.now());
    w.accounts.get('acme')!.status = 'churned';
    expect(await step('welcome')).toEqual({ route: 'exit', reason: 'churned' });
  });

  it.each(['completed', 'exited', 'failed', 'cancelled'] as const)('does nothing for a run that is %s', async (status) => {
    const { w, step, run } = await onboarding();
    run().status = status;
    expect(await step('welcome')).toEqual({ route: 'exit', reason: `run is ${status}` });
    expect(w.sent).toEqual([]);
  });

  it('fails for a step the play does not have, or a run that was never begun', async () => {
    const { w, step, executionName } = await onboarding();
    await expect(step('day-8')).rejects.toThrow('play "onboarding" has no step "day-8"');
    await expect(runStep(w.deps, { play: 'onboarding', accountId: 'acme', cycle: '2025-01-01', executionName, step: 'welcome' })).rejects.toThrow(
      'no onboarding run for "acme" (cycle 2025-01-01)',
    );
  });
});

describe('runStep: a stage action', () => {
  it.each<[string, string | undefined, number]>([
    ['from another stage: set', 'customer', 1],
    ['no stage yet: set', undefined, 1],
    ['at that stage already (as the step read it): nothing written, still recorded as set', 'onboarding', 0],
  ])('%s', async (_name, stage, writes) => {
    const w = playsWorld({ now: '2026-01-01T00:00:00.000Z' });
    w.addAccount({ startDate: '2026-01-01T00:00:00.000Z', ...(stage ? { stage: stage as never } : {}) });
    const { executionName, cycle } = await w.begin('onboarding', 'acme', '2026-01-01T00:00:00.000Z');
    w.clock.set('2026-01-02T00:00:00.000Z');
    let calls = 0;
    const setStage = w.deps.accounts.setStage.bind(w.deps.accounts);
    const deps = { ...w.deps, accounts: { ...w.deps.accounts, setStage: (...args: Parameters<typeof setStage>) => (calls++, setStage(...args)) } };
    expect(await runStep(deps, { play: 'onboarding', accountId: 'acme', cycle, executionName, step: 'welcome' })).toEqual({ route: 'next' });
    expect(calls).toBe(writes);
    expect(w.accounts.get('acme')!.stage).toBe('onboarding');
    expect(w.run('acme', 'onboarding', cycle)?.steps.welcome?.actions).toContainEqual({ kind: 'stage', outcome: 'set', detail: 'onboarding' });
  });
});

describe('runStep: doing a step', () => {
  it("does the step's actions once and records each; a restart or redrive does nothing again", async () => {
    const { w, step, run } = await onboarding();
    w.clock.set('2026-01-02T00:00:00.000Z');
    expect(await step('welcome')).toEqual({ route: 'next' });
    expect(w.sent).toHaveLength(1);
    expect(w.accounts.get('acme')!.stage).toBe('onboarding');
    expect(run().steps.welcome).toEqual({
      outcome: 'done',
      at: '2026-01-02T00:00:00.000Z',
      due: '2026-01-02T00:00:00.000Z',
      actions: [
        { kind: 'email', template: 'welcome', outcome: 'sent', messageId: 'msg-1' },
        { kind: 'stage', outcome: 'set', detail: 'onboarding' },
      ],
    });
    expect(run().next).toEqual({ step: 'day-7', at: '2026-01-08T00:00:00.000Z' });
    w.clock.advanceHours(1);
    expect(await step('welcome')).toEqual({ route: 'next' });
    expect(w.sent).toHaveLength(1);
    expect(run().steps.welcome!.at).toBe('2026-01-02T00:00:00.000Z');
  });

  it('a retry after the email went out but before the step was recorded sends nothing and records it sent', async () => {
    const { w, step, run } = await onboarding();
    w.clock.set('2026-01-02T00:00:00.000Z');
    await step('welcome');
    delete run().steps.welcome; // as if the task died after SES answered
    expect(await step('welcome')).toEqual({ route: 'next' });
    expect(w.sent).toHaveLength(1);
    expect(run().steps.welcome!.actions![0]).toEqual({ kind: 'email', template: 'welcome', outcome: 'sent', messageId: 'msg-1' });
  });

  it('an unclear SES answer holds the step until the reconciliation window ends; no SES event means it is sent once more', async () => {
    const { w, step, run } = await onboarding();
    w.clock.set('2026-01-02T00:00:00.000Z');
    w.mailerFailures.push(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await step('welcome')).toMatchObject({ route: 'wait', until: '2026-01-02T00:15:00.000Z', reason: expect.stringContaining('connection-lost') });
    expect(w.sent).toEqual([]);
    w.clock.set('2026-01-02T00:15:00.000Z');
    expect(await step('welcome')).toEqual({ route: 'next' });
    expect(w.sent).toHaveLength(1);
    expect(run().steps.welcome!.actions![0]).toMatchObject({ kind: 'email', template: 'welcome', outcome: 'sent' });
  });

  it('skips a late step whose catch-up policy is skip, saying how late it was', async () => {
    const { w, step, run } = await onboarding();
    w.clock.set(at('2026-01-08T00:00:00.000Z', 1, 1)); // day-7 was due 25 hours ago, grace is 24
    expect(await step('day-7')).toEqual({ route: 'next' });
    expect(run().steps['day-7']).toEqual({
      outcome: 'skipped',
      late: true,
      at: '2026-01-09T01:00:00.000Z',
      due: '2026-01-08T00:00:00.000Z',
      detail: 'reached 25 hours after it was due; this step is skipped when late',
    });
    expect(w.sent).toEqual([]);
  });

  it('runs a step within its grace as on time', async () => {
    const { w, step, run } = await onboarding();
    w.clock.set(at('2026-01-08T00:00:00.000Z', 0, 23));
    await step('day-7');
    expect(run().steps['day-7']).toMatchObject({ outcome: 'done' });
    expect(run().steps['day-7']).not.toHaveProperty('late', true);
  });

  it('catches up a late step whose policy is run, marking it late', async () => {
    const { w, step, run } = await onboarding();
    w.clock.set('2026-02-03T00:00:00.000Z'); // day-30 was due on 01-31
    expect(await step('day-30')).toEqual({ route: 'next' });
    expect(run().steps['day-30']).toMatchObject({ outcome: 'done', late: true, due: '2026-01-31T00:00:00.000Z' });
    expect(w.sent.map((e) => e.tags.step)).toEqual(['day-30']);
  });

  it('skips a step whose condition does not hold, with the condition in words', async () => {
    const { w, step, run } = await onboarding({ milestones: { firstValue: '2026-01-05T00:00:00.000Z' } });
    w.clock.set('2026-01-08T00:00:00.000Z');
    expect(await step('day-7')).toEqual({ route: 'next' });
    expect(run().steps['day-7']).toEqual({
      outcome: 'skipped',
      at: '2026-01-08T00:00:00.000Z',
      due: '2026-01-08T00:00:00.000Z',
      detail: 'condition not met: first value not reached',
    });
    expect(w.sent).toEqual([]);
  });

  it.each<[string, boolean, string, string]>([
    ['an active account gets the first option', true, 'checkin-active', 'option 1: active in the last 7 days'],
    ['a quiet account falls through to the option without a condition', false, 'checkin-inactive', 'option 2: always'],
  ])('choose: %s', async (_name, active, template, detail) => {
    const { w, step, run } = await onboarding();
    if (active) w.addUsage('acme', '2026-01-06', ['u1'], ['dashboards']);
    w.clock.set('2026-01-08T00:00:00.000Z');
    await step('day-7');
    expect(run().steps['day-7']).toMatchObject({ outcome: 'done', detail, actions: [{ kind: 'email', template, outcome: 'sent' }] });
    expect(w.ledger.size).toBe(1);
    expect([...w.ledger.values()][0]!.template).toBe(template);
  });

  it('records first value the first time it is seen, and announces it once', async () => {
    const { w, step } = await onboarding();
    w.addUsage('acme', '2026-01-05', ['u1', 'u2', 'u3'], ['dashboards', 'reports']);
    w.clock.set('2026-01-08T00:00:00.000Z');
    await step('day-7');
    expect(w.accounts.get('acme')!.milestones).toEqual({ firstValue: '2026-01-08T00:00:00.000Z' });
    const announced = () => w.events.filter((e) => e.type === 'milestone.reached');
    expect(announced()).toEqual([
      { type: 'milestone.reached', accountId: 'acme', at: '2026-01-08T00:00:00.000Z', detail: { milestone: 'firstValue', daysFromStart: 7 } },
    ]);
    w.clock.set('2026-01-15T00:00:00.000Z');
    await step('day-14');
    expect(announced()).toHaveLength(1);
  });
});

describe("runStep: the renewal's approach follows the health band (first matching option)", () => {
  it.each<['green' | 'yellow' | 'red', string[], string[], string]>([
    ['green', ['renewal-value-review'], ['Healthy renewal: open the expansion conversation'], 'option 1: health green'],
    ['yellow', ['renewal-value-review'], [], 'option 2: health yellow'],
    ['red', [], ['Renewal at risk: value review call with the champion'], 'option 3: always'],
  ])('value review of a %s account', async (band, emails, tasks, detail) => {
    const w = playsWorld({ now: '2026-11-01T00:00:00.000Z' });
    w.addAccount({ renewalDate: '2026-12-31T00:00:00.000Z' });
    w.setScore('acme', band);
    const { executionName, cycle } = await w.begin('renewal', 'acme', '2026-12-31T00:00:00.000Z');
    expect(cycle).toBe('2026-12-31');
    expect(await runStep(w.deps, { play: 'renewal', accountId: 'acme', cycle, executionName, step: 'value-review' })).toEqual({ route: 'next' });
    expect([...w.ledger.values()].map((r) => r.template)).toEqual(emails);
    expect([...w.tasks.values()].map((t) => t.title)).toEqual(tasks);
    expect(w.run('acme', 'renewal', cycle)!.steps['value-review']).toMatchObject({ outcome: 'done', detail });
  });

  it('exits "renewed" once the renewal date moved past the cycle', async () => {
    const w = playsWorld({ now: '2026-12-01T00:00:00.000Z' });
    w.addAccount({ renewalDate: '2026-12-31T00:00:00.000Z' });
    const { executionName, cycle } = await w.begin('renewal', 'acme', '2026-12-31T00:00:00.000Z');
    w.accounts.get('acme')!.renewalDate = '2027-12-31T00:00:00.000Z';
    expect(await runStep(w.deps, { play: 'renewal', accountId: 'acme', cycle, executionName, step: 'notice' })).toEqual({ route: 'exit', reason: 'renewed' });
    expect(w.sent).toEqual([]);
  });

  it.each([
    ['renewed', 'renewed'],
    ['churned', 'churned'],
  ] as const)('exits "%s" once a %s outcome is recorded for the cycle', async (outcome, reason) => {
    const w = playsWorld({ now: '2026-12-01T00:00:00.000Z' });
    w.addAccount({ renewalDate: '2026-12-31T00:00:00.000Z' });
    const { executionName, cycle } = await w.begin('renewal', 'acme', '2026-12-31T00:00:00.000Z');
    w.accounts.get('acme')!.lastRenewal = { outcome, renewalDate: '2026-12-31', recordedAt: '2026-12-01T00:00:00.000Z' };
    expect(await runStep(w.deps, { play: 'renewal', accountId: 'acme', cycle, executionName, step: 'notice' })).toEqual({ route: 'exit', reason });
    expect(w.sent).toEqual([]);
  });
});

describe('runStep: repeated, in any order, at any time', () => {
  it("property: never sends a step's email twice, and every email sent is in the ledger as sent", async () => {
    const ids = ['welcome', 'day-7', 'day-14', 'day-30', 'review'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 72 })), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        async (calls, active) => {
          const { w, step } = await onboarding();
          if (active) w.addUsage('acme', '2026-01-06', ['u1'], ['dashboards']);
          for (const [i, hours] of calls) {
            w.clock.advanceHours(hours);
            await step(ids[i]!);
          }
          const perStep = new Map<string, number>();
          for (const e of w.sent) perStep.set(e.tags.step!, (perStep.get(e.tags.step!) ?? 0) + 1);
          for (const [id, n] of perStep) expect(n, id).toBe(1);
          expect(
            [...w.ledger.values()]
              .filter((r) => r.status === 'sent')
              .map((r) => r.messageId)
              .sort(),
          ).toEqual(w.sent.map((_, i) => `msg-${i + 1}`).sort());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('runStep: high-touch accounts get tasks instead of emails', () => {
  it("uses the step's highTouch actions, keeping its other actions", async () => {
    // The task goes to the account's owner (a CSM id of tend.config.ts), not to its `csm` contact.
    const { w, step, run, executionName } = await onboarding({ segment: 'high-touch', owner: 'cy', csm: { name: 'Cy', email: 'cy@tend.example' } });
    w.clock.set('2026-01-02T00:00:00.000Z');
    await step('welcome');
    expect(w.sent).toEqual([]);
    expect(w.accounts.get('acme')!.stage).toBe('onboarding');
    const tasks = [...w.tasks.values()];
    expect(tasks).toEqual([
      expect.objectContaining({
        accountId: 'acme',
        title: 'Kickoff call: agree goals and the first use case',
        priority: 'high',
        status: 'open',
        dueAt: '2026-01-04T00:00:00.000Z',
        owner: 'cy',
        play: 'onboarding',
        step: 'welcome',
        executionName,
      }),
    ]);
    expect(tasks[0]!.id).toMatch(/^onboarding-welcome-[0-9a-z]+$/);
    expect(run().steps.welcome!.actions).toEqual([
      { kind: 'stage', outcome: 'set', detail: 'onboarding' },
      { kind: 'task', outcome: 'created', taskId: tasks[0]!.id, detail: 'Kickoff call: agree goals and the first use case' },
    ]);
    expect(w.events.filter((e) => e.type === 'task.created')).toHaveLength(1);
  });

  it('by default, a task to write the email personally', async () => {
    const { w, step } = await onboarding({ segment: 'high-touch' });
    w.clock.set('2026-01-08T00:00:00.000Z');
    await step('day-7');
    expect(w.sent).toEqual([]);
    expect([...w.tasks.values()].map((t) => [t.title, t.priority, t.dueAt, t.owner])).toEqual([
      ['Write to the customer personally (instead of the "checkin-inactive" email)', 'medium', '2026-01-10T00:00:00.000Z', undefined],
    ]);
  });

  it('a repeated step creates its task once and announces it once', async () => {
    const { w, step, run } = await onboarding({ segment: 'high-touch' });
    w.clock.set('2026-01-02T00:00:00.000Z');
    await step('welcome');
    delete run().steps.welcome;
    await step('welcome');
    expect(w.tasks.size).toBe(1);
    expect(run().steps.welcome!.actions!.find((a) => a.kind === 'task')!.outcome).toBe('existed');
    expect(w.events.filter((e) => e.type === 'task.created')).toHaveLength(1);
  });

  it('a medium-touch account still gets the email', async () => {
    const { w, step } = await onboarding({ segment: 'medium-touch' });
    w.clock.set('2026-01-02T00:00:00.000Z');
    await step('welcome');
    expect(w.sent).toHaveLength(1);
    expect(w.tasks.size).toBe(0);
  });
});

describe("the save play's watch", () => {
  const T0 = '2026-02-01T10:00:00.000Z';
  async function save() {
    const w = playsWorld({ now: T0 });
    w.addAccount();
    w.setScore('acme', 'red', { recent: ['yellow', 'red'] });
    const { executionName, cycle } = await w.begin('save', 'acme', T0);
    const step = (id: string) => runStep(w.deps, { play: 'save', accountId: 'acme', cycle, executionName, step: id });
    const run = () => w.run('acme', 'save', cycle)!;
    expect(await step('outreach')).toEqual({ route: 'next' });
    w.clock.set(at(T0, 0, 1));
    expect(await step('review')).toEqual({ route: 'next' });
    w.clock.set(at(T0, 1));
    return { w, step, run };
  }
  const titles = (w: World) => [...w.tasks.values()].map((t) => t.title);

  it('reaches out, opens the review, then checks every day', async () => {
    const { w, step, run } = await save();
    expect(w.sent.map((e) => e.tags.step)).toEqual(['outreach']);
    expect(w.accounts.get('acme')!.stage).toBe('at-risk');
    expect(titles(w)).toEqual(['Urgent review: diagnose (days 1-3), plan (days 4-7), execute (days 8-30)']);
    expect(w.events.map((e) => e.type)).toEqual(['task.created', 'play.save-started']);
    expect(await step('watch')).toEqual({ route: 'wait', until: at(T0, 2), reason: 'watching' });
    expect(run().steps.watch).toMatchObject({
      outcome: 'watching',
      at: at(T0, 1),
      checks: 1,
      detail: 'check 1: recovered when not red for 7 days; renewed when renewal outcome renewed recorded',
    });
    expect(run().next).toEqual({ step: 'watch', at: at(T0, 2) });
  });

  // Days count from the run's start (the trigger, T0), not from the first watch check (T0 + 1 day): check i runs on day i + 1.
  it('escalates once 14 days after the trigger, gives up 60 days after it with the give-up task and exits "gave-up"', async () => {
    const { w, step, run } = await save();
    expect(run().startedAt).toBe(T0);
    const routes: Route[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await step('watch');
      routes.push(r);
      if (r.route !== 'wait') break;
      w.clock.set(r.until);
      if (i === 12) expect(titles(w).filter((t) => t.startsWith('Not recovered after 14 days'))).toHaveLength(0);
      if (i === 13) expect(titles(w).filter((t) => t.startsWith('Not recovered after 14 days'))).toHaveLength(1);
    }
    expect(routes.at(-1)).toEqual({ route: 'exit', reason: 'gave-up' });
    expect(routes).toHaveLength(60);
    expect(titles(w).filter((t) => t.startsWith('Not recovered after 14 days'))).toHaveLength(1);
    expect(titles(w).filter((t) => t.startsWith('Not recovered after 60 days'))).toHaveLength(1);
    expect(w.events.filter((e) => e.type === 'play.save-escalated')).toHaveLength(1);
    expect(run()).toMatchObject({ status: 'exited', reason: 'gave-up', finishedAt: at(T0, 60) });
    expect(run().steps.watch).toMatchObject({ outcome: 'done', at: at(T0, 1), checks: 60, escalatedAt: at(T0, 14), detail: 'not recovered after 60 days' });
    expect(run().steps.watch!.actions!.map((a) => `${a.kind}:${a.outcome}`)).toEqual(['task:created', 'event:published', 'task:created']);
    expect(w.locks.size).toBe(0);
  });

  it('exits "recovered" once not red for 7 days', async () => {
    const { w, step, run } = await save();
    await step('watch');
    w.clock.set(at(T0, 9));
    w.setScore('acme', 'green', { recent: ['red', 'yellow', 'yellow', 'yellow', 'green', 'green', 'green', 'green', 'green'] });
    expect(await step('watch')).toEqual({ route: 'exit', reason: 'recovered' });
    expect(run()).toMatchObject({ status: 'exited', reason: 'recovered' });
    expect(titles(w).some((t) => t.startsWith('Not recovered'))).toBe(false);
  });

  it('is not recovered with a red day in the last 7', async () => {
    const { w, step } = await save();
    w.setScore('acme', 'green', { recent: ['green', 'green', 'green', 'red', 'green', 'green', 'green', 'green'] });
    expect((await step('watch')).route).toBe('wait');
  });
});

describe('completeRun and failRun', () => {
  it('completeRun finishes the run and releases the lock', async () => {
    const { w, executionName, cycle, run } = await onboarding();
    w.clock.set('2026-03-02T00:00:00.000Z');
    expect(await completeRun(w.deps, { play: 'onboarding', accountId: 'acme', cycle, executionName })).toEqual({ status: 'completed' });
    expect(run()).toMatchObject({ status: 'completed', finishedAt: '2026-03-02T00:00:00.000Z' });
    expect(w.locks.size).toBe(0);
  });

  it('failRun marks the step being run as failed, with the error, and fails the run', async () => {
    const { w, executionName, cycle, step, run } = await onboarding();
    w.clock.set('2026-01-02T00:00:00.000Z');
    await step('welcome');
    w.clock.set('2026-01-08T00:05:00.000Z');
    expect(
      await failRun(w.deps, {
        play: 'onboarding',
        accountId: 'acme',
        cycle,
        executionName,
        error: { Error: 'Error', Cause: 'template "checkin-inactive" failed' },
      }),
    ).toEqual({ status: 'failed' });
    expect(run().steps['day-7']).toEqual({ outcome: 'failed', at: '2026-01-08T00:05:00.000Z', detail: 'Error: template "checkin-inactive" failed' });
    expect(run().steps.welcome!.outcome).toBe('done');
    expect(run()).toMatchObject({ status: 'failed', reason: 'Error: template "checkin-inactive" failed', finishedAt: '2026-01-08T00:05:00.000Z', next: null });
    expect(w.locks.size).toBe(0);
  });

  it('failRun without an error still says failed, and cuts a long cause to 1000 characters', async () => {
    const { w, executionName, cycle, run } = await onboarding();
    await failRun(w.deps, { play: 'onboarding', accountId: 'acme', cycle, executionName });
    expect(run().steps.welcome).toMatchObject({ outcome: 'failed', detail: 'failed' });
    expect(run().reason).toBe('failed');
    const other = await onboarding();
    await failRun(other.w.deps, {
      play: 'onboarding',
      accountId: 'acme',
      cycle: other.cycle,
      executionName: other.executionName,
      error: { Cause: 'x'.repeat(5000) },
    });
    expect(other.run().reason).toHaveLength(1000);
  });

  it('the first ending stands: a failure after an exit does not overwrite it', async () => {
    const { w, executionName, cycle, step, run } = await onboarding();
    w.accounts.get('acme')!.status = 'churned';
    await step('welcome');
    await failRun(w.deps, { play: 'onboarding', accountId: 'acme', cycle, executionName, error: { Error: 'late' } });
    expect(run()).toMatchObject({ status: 'exited', reason: 'churned' });
  });
});
