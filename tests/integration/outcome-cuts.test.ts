import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outcomesCommand } from '../../cli/metrics/outcomes.ts';
import { countSends } from '../../functions/core/metrics/email-outcomes.ts';
import { NO_GROUP, OUTCOME_CUTS, outcomeGroupsOf, recordedGroups, type OutcomeCut } from '../../functions/core/metrics/outcome-cuts.ts';
import { outcomeFigures, type GroupOutcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { countPlays } from '../../functions/core/metrics/plays.ts';
import { loadOutcomeFigures, readOutcomeSources, rebuildOutcomeCounters, type OutcomeSources } from '../../functions/data/outcome-figures.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { advanceTo, sesEvent, until, welcomeOf } from '../support/play-scene.ts';

const DAY = 86_400_000;
// Monday 5 January 2026, 09:00 UTC.
const T0 = Date.parse('2026-01-05T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
/** Tech-touch (email), medium-touch and high-touch (tasks instead of email) accounts over three plans and owners, one with neither (its plan follows from its segment). */
const ACCOUNTS = [
  { id: 'cu-a1', arr: 6000, plan: 'starter', owner: 'alex' },
  { id: 'cu-a2', arr: 6000, plan: 'starter', owner: 'sam' },
  { id: 'cu-a3', arr: 20_000, plan: 'Pro annual', owner: 'sam' },
  { id: 'cu-a4', arr: 80_000, plan: 'enterprise', owner: 'dana' },
  { id: 'cu-a5', arr: 6000 },
];

/**
 * The group cut of the outcomes on the local runtime: plays run for two months of a paused clock
 * while an account changes hands, one churns, SES events arrive twice, a task is done, and a run
 * and a send lose their recorded groups (items from before groups were kept). For every cut, each
 * group's figures equal a brute force over the raw run, send and task items (the whole book's
 * definitions applied to the items of the group), and a rebuild gives the same counters.
 */
describe('outcomes by segment, plan and owner on the local runtime', () => {
  let rt: TestRuntime;
  const advance = (toMs: number) => advanceTo(rt, toMs);

  /** The brute force: the items of each group (recorded groups, else the account's now), counted by the whole book's definitions. */
  const bruteForce = (sources: OutcomeSources, period: string, cut: OutcomeCut): Record<string, GroupOutcomeFigures> => {
    const p = periodOf(period);
    const groupOf = (item: { accountId: string; groups?: unknown }) =>
      (recordedGroups(item) ?? sources.accounts[item.accountId] ?? outcomeGroupsOf(undefined))[cut];
    const names = new Set([...sources.runs, ...sources.sends, ...sources.tasks].map(groupOf));
    const out: Record<string, GroupOutcomeFigures> = {};
    for (const g of [...names].sort()) {
      const mine = <T extends { accountId: string; groups?: unknown }>(items: T[]) => items.filter((i) => groupOf(i) === g);
      const f = outcomeFigures(p, [], { plays: [countPlays(mine(sources.runs), mine(sources.tasks), p)], email: [countSends(mine(sources.sends), p)] });
      const plays = f.plays.map((x) => (x.query ? { ...x, query: `${x.query}?cut=${cut}&group=${encodeURIComponent(g)}` } : x));
      if (f.plays.length || f.email.length) out[g] = { plays, email: f.email, onboarding: f.onboarding };
    }
    return out;
  };

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(T0), speed: 86_400, paused: true });
  }, 60_000);
  afterAll(() => rt?.stop());

  it(
    'each group equals the brute force over the raw items, through replays, a change of owner and older items; a rebuild agrees',
    { timeout: 240_000 },
    async () => {
      for (const a of ACCOUNTS) {
        const res = await rt.request('POST', '/v1/accounts', {
          id: a.id,
          name: `${a.id} Inc`,
          seats: 10,
          arr: a.arr,
          ...(a.plan ? { plan: a.plan } : {}),
          ...(a.owner ? { owner: a.owner } : {}),
          startDate: iso(T0),
          primaryContact: { email: `pat@${a.id}.example`, name: 'Pat Lee' },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      await rt.idle();
      await advance(T0 + 2 * DAY);
      const welcome = Object.fromEntries(await Promise.all(['cu-a1', 'cu-a2', 'cu-a3', 'cu-a5'].map(async (id) => [id, await welcomeOf(rt, id)] as const)));
      expect(welcome['cu-a1']).toMatchObject({ status: 'sent', groups: { segment: 'tech-touch', plan: 'Starter', owner: 'alex' } });
      const [run1] = await rt.items('cu-a1', 'RUN#onboarding');
      expect(run1).toMatchObject({ groups: { segment: 'tech-touch', plan: 'Starter', owner: 'alex' } });

      // a1 changes hands (alex to dana); its run and its email stay alex's.
      const moved = await rt.request('POST', '/v1/accounts', { id: 'cu-a1', name: 'cu-a1 Inc', owner: 'dana', primaryContact: { email: 'pat@cu-a1.example' } });
      expect(moved.status).toBe(200);
      // A redrive of a1's begin and a retry of its welcome step, now that dana owns it: the groups recorded first stand.
      const steps = rt.lambdas.byLogicalId('PlaysSteps');
      const exec = [...rt.sfn.executions.values()].find((e) => e.name.startsWith('onboarding-cu-a1-'))!;
      const input = JSON.parse(exec.input) as Record<string, unknown>;
      await rt.lambdas.invoke(steps.arn, { action: 'begin', ...input, executionName: exec.name });
      await rt.lambdas.invoke(steps.arn, { action: 'step', ...input, executionName: exec.name, step: 'welcome' });
      expect((await rt.items('cu-a1', 'RUN#onboarding'))[0]).toMatchObject({ groups: { owner: 'alex' } });
      expect(await welcomeOf(rt, 'cu-a1')).toMatchObject({ groups: { owner: 'alex' } });
      // a5's run and email lose their groups, as items written before groups were kept.
      const [run5] = await rt.items('cu-a5', 'RUN#onboarding');
      for (const item of [run5!, welcome['cu-a5']!])
        await rt.db.send(
          new UpdateCommand({
            TableName: rt.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'REMOVE #g',
            ExpressionAttributeNames: { '#g': 'groups' },
          }),
        );

      const bounce = { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'pat@cu-a2.example' }] };
      const events = [
        sesEvent('Email Opened', 'Open', welcome['cu-a1']!, { open: {} }),
        sesEvent('Email Clicked', 'Click', welcome['cu-a1']!, { click: {} }),
        sesEvent('Email Bounced', 'Bounce', welcome['cu-a2']!, { bounce }),
        sesEvent('Email Opened', 'Open', welcome['cu-a3']!, { open: {} }),
        sesEvent('Email Opened', 'Open', welcome['cu-a5']!, { open: {} }),
      ];
      rt.events.put(events);
      rt.events.put(events);
      await rt.idle();
      expect(await until(async () => (await welcomeOf(rt, 'cu-a1')).clickedAt !== undefined && (await welcomeOf(rt, 'cu-a5')).openedAt !== undefined)).toBe(
        true,
      );
      expect(await until(async () => (await welcomeOf(rt, 'cu-a2')).bouncedAt !== undefined && (await welcomeOf(rt, 'cu-a3')).openedAt !== undefined)).toBe(
        true,
      );

      // a4 (high-touch) got a task instead of the welcome: done by dana.
      const [task] = await rt.items('cu-a4', 'TASK#');
      expect(task).toMatchObject({ play: 'onboarding', groups: { segment: 'high-touch', plan: 'Enterprise', owner: 'dana' } });
      expect((await rt.request('POST', `/v1/tasks/cu-a4/${String(task!.id)}/complete`, {})).status).toBe(200);

      // a2 churns: its onboarding exits, under sam.
      await rt.request('POST', '/v1/accounts', { id: 'cu-a2', name: 'cu-a2 Inc', status: 'churned', primaryContact: { email: 'pat@cu-a2.example' } });
      await rt.idle();
      // Through the 60-day review: the other runs complete in March (a5's, an older run, counted under its account's groups).
      await advance(T0 + 62 * DAY);

      const sources = await readOutcomeSources(rt.db, rt.tableName);
      const counted = Object.fromEntries(
        await Promise.all(OUTCOME_CUTS.map(async (cut) => [cut, await loadOutcomeFigures(rt.db, rt.tableName, '2026-Q1', cut)] as const)),
      );
      const whole = await loadOutcomeFigures(rt.db, rt.tableName, '2026-Q1');
      for (const cut of OUTCOME_CUTS) {
        expect(counted[cut]!.cut).toBe(cut);
        expect(counted[cut]!.groups, cut).toEqual(bruteForce(sources, '2026-Q1', cut));
        // The whole book beside the groups is the figures without a cut.
        const { cut: _c, groups: _g, ...rest } = counted[cut]!;
        expect(rest).toEqual(whole);
      }

      // Worked out from the scene: a1's run and email stay alex's after the handover; dana has a4's run and task.
      const byOwner = counted.owner!.groups!;
      expect(Object.keys(byOwner)).toEqual(['alex', 'dana', NO_GROUP, 'sam']);
      expect(byOwner.alex!.onboarding).toMatchObject({ started: 1, completed: 1 });
      expect(byOwner.alex!.email.find((e) => e.template === 'welcome')).toMatchObject({ sent: 1, opened: 1, clicked: 1 });
      expect(byOwner.dana!.plays.find((p) => p.play === 'onboarding')).toMatchObject({ started: 1, tasksDone: 1, tasksOnTime: 1 });
      expect(byOwner.sam!.onboarding).toMatchObject({ started: 2, completed: 1, endedEarly: 1, exits: { churned: 1 }, rate: 0.5 });
      expect(byOwner.sam!.email.find((e) => e.template === 'welcome')).toMatchObject({ sent: 2, opened: 1, bounced: 1 });
      expect(byOwner[NO_GROUP]!.email.find((e) => e.template === 'welcome')).toMatchObject({ sent: 1, opened: 1 });
      expect(counted.segment!.groups!['high-touch']!.email).toEqual([]);
      // Plans as every figure names them (plan.ts): 'Pro annual' is Pro, cu-a5 without a plan is a tech-touch Starter.
      expect(Object.keys(counted.plan!.groups!)).toEqual(['Enterprise', 'Pro', 'Starter']);

      // Each group's play figures list its runs: the runs that began in it (a5's older run recorded no group: listed by none).
      const alexRuns = await rt.request('GET', byOwner.alex!.plays.find((p) => p.play === 'onboarding')!.query!);
      expect(alexRuns.status).toBe(200);
      expect((alexRuns.body as { runs: { accountId: string }[] }).runs.map((r) => r.accountId)).toEqual(['cu-a1']);
      const samRuns = await rt.request('GET', '/v1/plays/onboarding/runs?cut=owner&group=sam&status=completed');
      expect((samRuns.body as { runs: { accountId: string }[] }).runs.map((r) => r.accountId)).toEqual(['cu-a3']);
      const half = await rt.request('GET', '/v1/plays/onboarding/runs?cut=owner');
      expect(half.status).toBe(400);
      expect(half.body).toMatchObject({ details: [expect.objectContaining({ field: 'group' })] });

      // The route and `tend metrics outcomes --cut` serve the same.
      const res = await rt.request('GET', '/v1/metrics/outcomes?period=2026-Q1&cut=owner');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(counted.owner)));
      const bad = await rt.request('GET', '/v1/metrics/outcomes?period=2026-Q1&cut=cohort');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ details: [expect.objectContaining({ field: 'cut' })] });
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
      try {
        await outcomesCommand({ url: rt.url, key: rt.adminKey, data: '.tend-none', period: '2026-Q1', cut: 'plan', json: true });
      } finally {
        log.mockRestore();
      }
      expect(JSON.parse(printed.join('\n'))).toEqual(JSON.parse(JSON.stringify(counted.plan)));

      // A rebuild from the items gives the same counters for every cut.
      await rebuildOutcomeCounters(rt.db, rt.tableName);
      for (const cut of OUTCOME_CUTS) expect(await loadOutcomeFigures(rt.db, rt.tableName, '2026-Q1', cut)).toEqual(counted[cut]);
    },
  );
});
