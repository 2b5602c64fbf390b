import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf } from '../../functions/core/clock.ts';
import { emailUsage } from '../../functions/core/email/context.ts';
import { firstValueDue, firstValueReached, recordFirstValue } from '../../functions/core/first-value.ts';
import { runStep } from '../../functions/core/plays/engine.ts';
import { loadSnapshot, stepReadsUsage, usageFromFor } from '../../functions/core/plays/snapshot.ts';
import type { PlayStep } from '../../functions/core/plays/definition.ts';
import type { UsageSummary } from '../../functions/core/score/derive.ts';
import type { Account } from '../../functions/core/types.ts';
import { playsWorld, type World } from './support/plays-world.ts';

const CRITERIA = { activeUsers: 3, features: 2 };
const summary = (activeUsers: number, features: number, seats = 10): UsageSummary =>
  ({
    seats,
    activeUsers,
    featuresUsed: ['dashboards', 'reports', 'alerts'].slice(0, features),
    featuresAvailable: [],
    activeInLast7Days: true,
  }) as unknown as UsageSummary;

describe('firstValueReached / firstValueDue (pure)', () => {
  it.each<[string, UsageSummary, Record<string, string> | undefined, boolean, boolean]>([
    ['3 users on 2 features', summary(3, 2), undefined, true, true],
    ['2 users on 2 features', summary(2, 2), undefined, false, false],
    ['3 users on 1 feature', summary(3, 1), undefined, false, false],
    ['a 2-seat account: both seats active is enough', summary(2, 2, 2), undefined, true, true],
    ['reached, already recorded', summary(5, 3), { firstValue: '2026-01-03T00:00:00.000Z' }, true, false],
    ['not reached, recorded before (usage fell since)', summary(0, 0), { firstValue: '2026-01-03T00:00:00.000Z' }, false, false],
  ])('%s', (_name, usage, milestones, reached, due) => {
    expect(firstValueReached(usage, CRITERIA)).toBe(reached);
    expect(firstValueDue({ milestones }, usage, CRITERIA)).toBe(due);
  });
});

/** A world with one account whose usage meets first value on 2026-01-05. */
function reachedWorld() {
  const w = playsWorld({ now: '2026-01-01T00:00:00.000Z' });
  w.addAccount({ startDate: '2026-01-01T00:00:00.000Z' });
  w.addUsage('acme', '2026-01-05', ['u1', 'u2', 'u3'], ['dashboards', 'reports']);
  return w;
}
const milestoneEvents = (w: World) => w.events.filter((e) => e.type === 'milestone.reached');

describe('recordFirstValue', () => {
  it('records and announces first value once, with the days from the start date', async () => {
    const w = reachedWorld();
    w.clock.set('2026-01-08T12:00:00.000Z');
    const { snapshot } = await loadSnapshot(w.deps, 'acme', '2026-01-01');
    expect(await recordFirstValue(w.deps, snapshot.account, snapshot.usage, snapshot.now)).toBe(true);
    // A replay with the same (now stale) account: the conditional write refuses, nothing announced.
    expect(await recordFirstValue(w.deps, snapshot.account, snapshot.usage, snapshot.now)).toBe(false);
    expect(w.accounts.get('acme')!.milestones).toEqual({ firstValue: '2026-01-08T12:00:00.000Z' });
    expect(milestoneEvents(w)).toEqual([
      { type: 'milestone.reached', accountId: 'acme', at: '2026-01-08T12:00:00.000Z', detail: { milestone: 'firstValue', daysFromStart: 7 } },
    ]);
  });

  it('not reached: nothing written, nothing announced', async () => {
    const w = playsWorld({ now: '2026-01-08T00:00:00.000Z' });
    w.addAccount();
    const { snapshot } = await loadSnapshot(w.deps, 'acme', '2026-01-01');
    expect(await recordFirstValue(w.deps, snapshot.account, snapshot.usage, snapshot.now)).toBe(false);
    expect(w.accounts.get('acme')!.milestones).toBeUndefined();
    expect(w.events).toEqual([]);
  });

  // Scoring and the play steps both call recordFirstValue with what they loaded: whichever runs first records it.
  it.each([
    ['scoring first, then the step', ['scoring', 'step']],
    ['the step first, then scoring', ['step', 'scoring']],
    ['both at once', ['both']],
  ])('%s: recorded once, announced once', async (_name, order) => {
    const w = reachedWorld();
    const { executionName, cycle } = await w.begin('onboarding', 'acme', '2026-01-01T00:00:00.000Z');
    w.clock.set('2026-01-08T00:00:00.000Z');
    const scoring = async () => {
      const account = (await w.deps.accounts.get('acme'))!;
      const { snapshot } = await loadSnapshot(w.deps, 'acme', cycle);
      return recordFirstValue(w.deps, account, snapshot.usage, w.clock.now());
    };
    const step = () => runStep(w.deps, { play: 'onboarding', accountId: 'acme', cycle, executionName, step: 'day-7' });
    for (const who of order) {
      if (who === 'scoring') await scoring();
      else if (who === 'step') await step();
      else await Promise.all([scoring(), step()]);
    }
    expect(w.accounts.get('acme')!.milestones).toEqual({ firstValue: '2026-01-08T00:00:00.000Z' });
    expect(milestoneEvents(w)).toHaveLength(1);
  });
});

describe('loadSnapshot only reads', () => {
  it('reached first value is seen (activated) but not recorded by the load', async () => {
    const w = reachedWorld();
    w.clock.set('2026-01-08T00:00:00.000Z');
    const writes: string[] = [];
    const accounts = {
      ...w.deps.accounts,
      reachMilestone: async (...args: unknown[]) => (writes.push(`reachMilestone ${JSON.stringify(args)}`), false),
      setStage: async () => void writes.push('setStage'),
    };
    const { snapshot, usage } = await loadSnapshot({ ...w.deps, accounts }, 'acme', '2026-01-01');
    expect(writes).toEqual([]);
    expect(w.events).toEqual([]);
    expect(snapshot.activated).toBe(true);
    expect(w.accounts.get('acme')!.milestones).toBeUndefined();
    // 30 days back by default: the snapshot's own window.
    expect(usage.from).toBe('2025-12-09');
  });

  it('reads the account once and the usage once, from the first day asked for', async () => {
    const w = reachedWorld();
    w.clock.set('2026-01-08T00:00:00.000Z');
    const calls: string[] = [];
    const accounts = { ...w.deps.accounts, get: (id: string) => (calls.push(`account ${id}`), w.deps.accounts.get(id)) };
    const usage = { ...w.deps.usage, days: (id: string, from: string, to: string) => (calls.push(`usage ${from}..${to}`), w.deps.usage.days(id, from, to)) };
    const loaded = await loadSnapshot({ ...w.deps, accounts, usage }, 'acme', '2026-01-01', '2025-01-09');
    expect(calls).toEqual(['account acme', 'usage 2025-01-09..2026-01-08']);
    expect(loaded.usage).toEqual({ from: '2025-01-09', days: w.usageDays.get('acme') });
  });
});

describe('runStep: one account read and one usage read per step, shared with its emails', () => {
  it("onboarding's welcome: the account once, usage once over the 60 days its email quotes", async () => {
    const from = dayOf(Date.parse('2026-01-02T00:00:00.000Z') - 59 * DAY_MS);
    const w = playsWorld({ now: '2026-01-01T00:00:00.000Z' });
    w.addAccount({ startDate: '2026-01-01T00:00:00.000Z' });
    const { executionName, cycle } = await w.begin('onboarding', 'acme', '2026-01-01T00:00:00.000Z');
    w.clock.set('2026-01-02T00:00:00.000Z');
    const calls: string[] = [];
    const deps = {
      ...w.deps,
      accounts: { ...w.deps.accounts, get: (id: string) => (calls.push('account'), w.deps.accounts.get(id)) },
      usage: { ...w.deps.usage, days: (id: string, f: string, t: string) => (calls.push(`usage ${f}..${t}`), w.deps.usage.days(id, f, t)) },
    };
    expect(await runStep(deps, { play: 'onboarding', accountId: 'acme', cycle, executionName, step: 'welcome' })).toEqual({ route: 'next' });
    expect(w.sent).toHaveLength(1);
    expect(calls).toEqual(['account', `usage ${from}..2026-01-02`]);
  });
});

describe('runStep: a step that reads no usage queries none once first value is recorded', () => {
  /** Save's watch (exits on band and renewal outcome, sends no email) on a red account, its usage Queries counted. */
  async function watchCheck(milestones: Account['milestones']) {
    const w = playsWorld({ now: '2026-01-01T00:00:00.000Z' });
    w.addAccount({ milestones });
    w.setScore('acme', 'red');
    const { executionName, cycle } = await w.begin('save', 'acme', '2026-01-01T00:00:00.000Z');
    w.clock.set('2026-01-02T00:00:00.000Z');
    const queried: string[] = [];
    const deps = {
      ...w.deps,
      usage: { ...w.deps.usage, days: (id: string, f: string, t: string) => (queried.push(`${f}..${t}`), w.deps.usage.days(id, f, t)) },
    };
    const route = await runStep(deps, { play: 'save', accountId: 'acme', cycle, executionName, step: 'watch' });
    return { route, queried, w };
  }
  it.each<[string, Account['milestones'], number]>([
    ['first value recorded: no usage Query', { firstValue: '2025-12-01T00:00:00.000Z' }, 0],
    ['first value not recorded: one Query (it may be reached now)', undefined, 1],
  ])('%s', async (_name, milestones, queries) => {
    const { route, queried } = await watchCheck(milestones);
    expect(route).toMatchObject({ route: 'wait', reason: 'watching' });
    expect(queried).toHaveLength(queries);
  });
  it('reached now by a step that reads no usage: still recorded and announced', async () => {
    const w = playsWorld({ now: '2026-01-01T00:00:00.000Z' });
    w.addAccount();
    w.setScore('acme', 'red');
    w.addUsage('acme', '2026-01-01', ['u1', 'u2', 'u3'], ['dashboards', 'reports']);
    const { executionName, cycle } = await w.begin('save', 'acme', '2026-01-01T00:00:00.000Z');
    w.clock.set('2026-01-02T00:00:00.000Z');
    await runStep(w.deps, { play: 'save', accountId: 'acme', cycle, executionName, step: 'watch' });
    expect(w.accounts.get('acme')!.milestones?.firstValue).toBe('2026-01-02T00:00:00.000Z');
    expect(milestoneEvents(w)).toHaveLength(1);
  });
  it.each<[string, string, string, boolean]>([
    ["save's watch: band and renewal outcome", 'save', 'watch', false],
    ["save's review-check: a task", 'save', 'review-check', false],
    ["adoption's training: adoption", 'adoption', 'training', true],
    ["reengagement's check-in: its play exits when active", 'reengagement', 'check-in', true],
    ["expansion's offer: an email", 'expansion', 'offer', true],
  ])('stepReadsUsage, %s', (_name, playId, stepId, reads) => {
    const w = playsWorld({ now: '2026-01-01T00:00:00.000Z' });
    const play = w.config.plays[playId]!;
    expect(
      stepReadsUsage(
        play,
        play.steps.find((s) => s.id === stepId)!,
      ),
    ).toBe(reads);
  });
});

describe("usageFromFor: the step's largest need", () => {
  const w = playsWorld({ now: '2026-03-02T00:00:00.000Z' });
  const now = new Date('2026-03-02T00:00:00.000Z');
  const yearTemplate = Object.values(w.config.plays)
    .flatMap((p) => p.steps.flatMap((s) => [s.do, ...(s.choose ?? []).map((o) => o.do)].flat()))
    .flatMap((a) => (a && 'email' in a ? [a.email] : []))
    .find((t) => w.deps.templates.get(t)?.needs.includes('year'));
  it.each<[string, Partial<PlayStep>, string]>([
    ["no email: the snapshot's 30 days", { do: { task: { title: 't', priority: 'low', dueDays: 1 } } }, '2026-01-31'],
    ['an email: 60 days', { do: { email: 'welcome', category: 'onboarding' } }, '2026-01-02'],
    [
      'an email in one option of a choose',
      { choose: [{ when: { active: true }, do: { task: { title: 't', priority: 'low', dueDays: 1 } } }, { do: { email: 'welcome', category: 'onboarding' } }] },
      '2026-01-02',
    ],
    [
      "an email in a watch's escalation",
      { watch: { everyDays: 1, giveUpAfterDays: 10, escalate: { email: 'welcome', category: 'onboarding' } } },
      '2026-01-02',
    ],
  ] as never)('%s', (_name, step, from) => {
    expect(usageFromFor(step as PlayStep, w.deps.templates, now)).toBe(from);
  });
  it('a template that quotes the year: 365 days', () => {
    expect(yearTemplate, 'a built-in template quotes the year').toBeDefined();
    expect(usageFromFor({ do: { email: yearTemplate!, category: 'renewal' } } as PlayStep, w.deps.templates, now)).toBe('2025-03-03');
  });
});

describe("emailUsage: an email's days cut from the step's window", () => {
  const now = new Date('2026-03-02T10:00:00.000Z');
  const days = ['2025-03-03', '2025-12-31', '2026-01-01', '2026-01-02', '2026-03-02'].map((day) => ({ day, users: ['u'], features: [], userFeatures: [] }));
  it.each<[string, boolean, string[]]>([
    ['60 days', false, ['2026-01-02', '2026-03-02']],
    ['a year', true, ['2025-03-03', '2025-12-31', '2026-01-01', '2026-01-02', '2026-03-02']],
  ])('%s', (_name, withYear, expected) => {
    expect(emailUsage({ from: '2025-03-03', days }, now, withYear).map((d) => d.day)).toEqual(expected);
  });
  it('refuses a window that starts later than the email needs', () => {
    expect(() => emailUsage({ from: '2026-02-01', days }, now, false)).toThrow('the email needs usage from 2026-01-02; the step loaded it from 2026-02-01');
  });
});
