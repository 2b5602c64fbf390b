import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { churns, seeded } from '../../bench/holdout-simulation.ts';
import type { PlayLift } from '../../functions/core/lift/play-lift.ts';
import type { OutcomeLift } from '../../functions/core/lift/report.ts';
import { holdoutAssembly } from '../support/holdout-assembly.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** The runtime's helpers these tests share: accounts, an account turning red, time, and what each account got. */
function scene(rt: TestRuntime) {
  const bus = rt.events.rules[0]!.bus;
  return {
    async advance(toMs: number) {
      while (rt.clock.nowMs() < toMs) {
        rt.clock.advanceTo(Math.min(toMs, rt.clock.nowMs() + DAY));
        await rt.idle();
      }
    },
    async createAccount(id: string) {
      const res = await rt.request('POST', '/v1/accounts', {
        id,
        name: `${id} Inc`,
        seats: 10,
        arr: 12_000,
        startDate: iso(T0 - 400 * DAY),
        primaryContact: { email: `pat@${id}.example`, name: 'Pat Lee' },
      });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    },
    turnRed(id: string) {
      rt.events.put([
        {
          EventBusName: bus,
          Source: 'tend',
          DetailType: 'tier.changed',
          Detail: JSON.stringify({ accountId: id, at: iso(rt.clock.nowMs()), band: 'red', fromBand: 'yellow' }),
        },
      ]);
    },
    async run(id: string, play: string) {
      const [item] = await rt.items(id, `RUN#${play}#`);
      return item as
        { assignment?: { group: string }; steps: Record<string, { actions?: { outcome: string; detail?: string }[] }>; status: string } | undefined;
    },
    async sent(id: string, play: string) {
      return (await rt.items(id, 'SEND#')).filter((s) => s.play === play && s.status === 'sent');
    },
    tasks: (id: string) => rt.items(id, 'TASK#'),
  };
}

const churnOf = (lift: PlayLift) => lift.outcomes.find((o) => o.id === 'churned-within-30d') as Extract<OutcomeLift, { kind: 'rate' }>;

describe('holdouts on the local runtime: a play with a known effect on churn, and one with none', () => {
  const N = 60;
  // A large effect for a small population: 45% churn untreated, 10% treated (the bench calibrates 10 points on large ones).
  const model = { base: 0.45, effect: -0.35 };
  let rt: TestRuntime;
  let lift: { save: PlayLift; placebo: PlayLift };
  const groups = new Map<string, string>();
  const churned = new Set<string>();

  beforeAll(async () => {
    rt = await testRuntime({ assemblyDir: await holdoutAssembly(), start: new Date(T0), paused: true });
    const s = scene(rt);
    const ids = Array.from({ length: N }, (_, i) => `sim-${String(i).padStart(3, '0')}`);
    for (const id of ids) await s.createAccount(id);
    await rt.idle();
    for (const id of ids) s.turnRed(id);
    await rt.idle();
    await s.advance(T0 + 1 * DAY);
    // The simulated customers: churn depends only on whether the save play's email really reached them.
    // A fixed seed: over 1,000 seeds the calibration bench (bench/holdout-calibration.ts) gives the share of
    // populations of this size whose interval holds the true effect and excludes zero; this seed is one of those.
    const random = seeded(2);
    for (const id of ids) {
      groups.set(id, (await s.run(id, 'save'))!.assignment!.group);
      const treated = (await s.sent(id, 'save')).length > 0;
      const c = churns(model, treated, random);
      if (c) churned.add(id);
      if (c) {
        const res = await rt.request('POST', '/v1/accounts', { id, name: `${id} Inc`, status: 'churned', primaryContact: { email: `pat@${id}.example` } });
        expect(res.status).toBeLessThan(300);
      }
    }
    await s.advance(T0 + 31 * DAY);
    lift = {
      save: (await rt.request('GET', '/v1/plays/save/lift')).body as PlayLift,
      placebo: (await rt.request('GET', '/v1/plays/placebo/lift')).body as PlayLift,
    };
  }, 240_000);
  afterAll(() => rt?.stop());

  it('assigns about half of the runs to each group, and records the group on each run', () => {
    const held = [...groups.values()].filter((g) => g === 'held-out').length;
    expect(held).toBeGreaterThan(N * 0.3);
    expect(held).toBeLessThan(N * 0.7);
    expect(lift.save.runs).toMatchObject({ read: N, treated: N - held, heldOut: held, notRandomized: 0 });
  });

  it('held-out accounts got no email and no task of the save play; their runs say what they would have done', async () => {
    const s = scene(rt);
    for (const [id, group] of groups) {
      const run = (await s.run(id, 'save'))!;
      if (group === 'held-out') {
        expect(await s.sent(id, 'save')).toEqual([]);
        expect((await s.tasks(id)).filter((t) => t.play === 'save')).toEqual([]);
        expect(run.steps.outreach!.actions![0]!.detail).toMatch(/^held-out: would send (save-outreach|reengagement)$/);
      } else expect(await s.sent(id, 'save')).toHaveLength(1);
    }
    expect(rt.ses.outbox().length).toBeGreaterThan(0);
  });

  it('recovers the true effect on churn (−35 points) within its 95% interval, and finds it', () => {
    const churn = churnOf(lift.save);
    expect(churn.interval!.low).toBeLessThanOrEqual(model.effect);
    expect(churn.interval!.high).toBeGreaterThanOrEqual(model.effect);
    expect(churn.interval!.high).toBeLessThan(0);
    // The counts are the simulation's, account by account.
    const count = (group: string) => [...groups].filter(([id, g]) => g === group && churned.has(id)).length;
    expect(churn.treated).toMatchObject({ n: lift.save.runs.treated, count: count('treated') });
    expect(churn.heldOut).toMatchObject({ n: lift.save.runs.heldOut, count: count('held-out') });
    expect(churn.treated.pending + churn.heldOut.pending).toBe(0);
    expect(churn.verdict).toBe('treated-lower');
  });

  it('a play with no effect shows none: its interval holds zero', () => {
    const churn = churnOf(lift.placebo);
    expect(churn.interval!.low).toBeLessThanOrEqual(0);
    expect(churn.interval!.high).toBeGreaterThanOrEqual(0);
    expect(churn.verdict).not.toBe('treated-lower');
  });

  it('reports each email variant with its sends and the play outcome of its runs', () => {
    const variants = lift.save.variants;
    expect(variants.map((v) => v.template).sort()).toEqual(['reengagement', 'save-outreach']);
    expect(variants.reduce((n, v) => n + v.runs, 0)).toBe(lift.save.runs.treated);
    for (const v of variants) expect(v.email.sent).toBe(v.runs);
  });

  it('an admin ends the holdout early: recorded once, and runs that begin afterwards are all treated', async () => {
    const ended = await rt.request('POST', '/v1/plays/save/holdout/end', { reason: 'the effect is clear', by: 'lead@acme.example' });
    expect(ended).toMatchObject({ status: 200, body: { ended: true, end: { play: 'save', by: 'lead@acme.example', reason: 'the effect is clear' } } });
    const again = await rt.request('POST', '/v1/plays/save/holdout/end', { reason: 'twice' });
    expect(again.body).toMatchObject({ ended: false, end: { reason: 'the effect is clear' } });
    expect((await rt.request('POST', '/v1/plays/placebo/holdout/end', {})).status).toBe(400);
    const s = scene(rt);
    const heldBefore = [...groups]
      .filter(([, g]) => g === 'held-out')
      .map(([id]) => id)
      .filter((id) => !id.endsWith('x'));
    // Accounts that were held out, still active, turn red again after the cool-down: a new cycle, treated.
    const again2 = [];
    for (const id of heldBefore) if ((await rt.request('GET', `/v1/accounts/${id}`)).body?.account?.status !== 'churned') again2.push(id);
    await s.advance(T0 + 40 * DAY);
    for (const id of again2.slice(0, 3)) s.turnRed(id);
    await rt.idle();
    for (const id of again2.slice(0, 3)) {
      const runs = await rt.items(id, 'RUN#save#');
      const latest = runs.sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)))[0]!;
      expect(latest.assignment).toMatchObject({ group: 'treated', randomized: false });
      expect(await s.sent(id, 'save')).toHaveLength(1);
    }
    expect((await rt.request('GET', '/v1/plays/save/lift')).body?.holdout?.ended).toMatchObject({ by: 'lead@acme.example' });
  });

  it('a read key cannot end a holdout', async () => {
    const key = await rt.createKey(['read'], 'reader');
    expect((await rt.request('POST', '/v1/plays/save/holdout/end', { reason: 'x' }, undefined, { key })).status).toBe(403);
    expect((await rt.request('GET', '/v1/plays/save/lift', undefined, undefined, { key })).status).toBe(200);
  });
});

describe('a held-out run through retries and a restart of the local runtime', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tend-holdout-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('never sends or creates a task: its step retried, then its runtime stopped and started again', async () => {
    const assemblyDir = await holdoutAssembly();
    const ids = Array.from({ length: 8 }, (_, i) => `hold-${i}`);
    const first = await testRuntime({ assemblyDir, dataDir, start: new Date(T0), paused: true });
    let held: string[];
    try {
      const s = scene(first);
      for (const id of ids) await s.createAccount(id);
      await first.idle();
      for (const id of ids) s.turnRed(id);
      await first.idle();
      held = [];
      for (const id of ids) if ((await s.run(id, 'save'))!.assignment!.group === 'held-out') held.push(id);
      expect(held.length).toBeGreaterThan(0);
      expect(held.length).toBeLessThan(ids.length);
      // A retry of the outreach step of each held-out run, as Step Functions would after a timeout.
      const steps = first.lambdas.byLogicalId('PlaysSteps').arn;
      for (const id of held) {
        const run = (await first.items(id, 'RUN#save#'))[0]!;
        await first.lambdas.invoke(steps, {
          action: 'step',
          play: 'save',
          accountId: id,
          cycle: run.cycle,
          executionName: run.executionName,
          step: 'outreach',
        });
      }
      await s.advance(T0 + DAY); // the review (day 2) is still ahead: every run waits
      for (const id of held) expect(await s.sent(id, 'save')).toEqual([]);
    } finally {
      await first.stop();
    }

    const second = await testRuntime({ assemblyDir, dataDir, speed: 86_400, paused: true });
    try {
      const s = scene(second);
      await s.advance(T0 + 4 * DAY);
      for (const id of ids) {
        const run = (await s.run(id, 'save'))!;
        expect(run.status).toBe('completed');
        const isHeld = held!.includes(id);
        expect(run.assignment!.group).toBe(isHeld ? 'held-out' : 'treated');
        expect(await s.sent(id, 'save')).toHaveLength(isHeld ? 0 : 1);
        expect((await s.tasks(id)).filter((t) => t.play === 'save')).toHaveLength(isHeld ? 0 : 1);
        if (isHeld) expect(run.steps.review!.actions![0]!.detail).toBe('held-out: would create task "Urgent review: diagnose, plan, execute"');
      }
    } finally {
      await second.stop();
    }
  }, 180_000);
});
