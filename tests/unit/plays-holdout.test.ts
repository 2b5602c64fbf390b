import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../functions/core/clock.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { deliver } from '../../functions/core/email/deliver.ts';
import { HeldOutLeakError } from '../../functions/core/plays/held-out.ts';
import { assign } from '../../functions/core/plays/holdout.ts';
import { holdoutSchema } from '../../functions/core/plays/holdout-schema.ts';
import { beginRun, runStep, type Route } from '../../functions/core/plays/engine.ts';
import type { PlayDefinition } from '../../functions/core/plays/definition.ts';
import { cycleOf } from '../../functions/core/plays/schedule.ts';
import userConfig from '../../tend.config.ts';
import { playsWorld } from './support/plays-world.ts';

const T0 = '2026-02-01T10:00:00.000Z';
const at = (days: number, hours = 0) => new Date(Date.parse(T0) + days * DAY_MS + hours * 3_600_000).toISOString();
const builtinSave = parseConfig(userConfig).plays.save!;
const holdout = holdoutSchema.parse({ share: 50 });
/** The save play with half its runs held out, and its outreach email split between two templates. */
const save: PlayDefinition = {
  ...builtinSave,
  holdout,
  steps: builtinSave.steps.map((s) =>
    s.id === 'outreach'
      ? {
          ...s,
          do: [
            {
              email: 'save-outreach',
              category: 'success',
              priority: 'critical',
              variants: [
                { template: 'save-outreach', share: 1 },
                { template: 'reengagement', share: 1 },
              ],
            },
            { stage: 'at-risk' },
          ],
        }
      : s,
  ),
};
/** The first account id whose save run of T0's cycle draws `group`. */
const accountIn = (group: 'held-out' | 'treated') => {
  for (let i = 0; ; i++) {
    const id = `acct-${i}`;
    if (assign(holdout, { accountId: id, play: 'save', cycle: cycleOf(T0) }, { segment: 'tech-touch' }, new Date(T0)).group === group) return id;
  }
};

/** A red account's save run, begun at T0, with every step run to the end (60 days of watching, or an exit). */
async function saveRun(group: 'held-out' | 'treated') {
  const w = playsWorld({ now: T0, plays: { save } });
  const id = accountIn(group);
  w.addAccount({ id, primaryContact: { email: `ana@${id}.example`, name: 'Ana' } });
  w.setScore(id, 'red', { recent: ['yellow', 'red'] });
  const { executionName, cycle } = await w.begin('save', id, T0);
  const step = (s: string) => runStep(w.deps, { play: 'save', accountId: id, cycle, executionName, step: s });
  const runToEnd = async () => {
    for (const s of save.steps) {
      let route: Route;
      do {
        route = await step(s.id);
        if (route.route === 'wait') w.clock.set(route.until);
      } while (route.route === 'wait');
      if (route.route === 'exit') break;
      const next = w.run(id, 'save', cycle)!.next;
      if (next) w.clock.set(next.at > w.clock.now().toISOString() ? next.at : w.clock.now().toISOString());
    }
  };
  return { w, id, cycle, executionName, step, runToEnd, run: () => w.run(id, 'save', cycle)! };
}

describe('a held-out run', () => {
  it('goes through every step and records what it would have done, sending nothing, creating no task, announcing nothing', async () => {
    const { w, runToEnd, run } = await saveRun('held-out');
    expect(run().assignment).toMatchObject({ group: 'held-out', randomized: true, reason: 'drawn', share: 50, baseline: { score: 20 } });
    await runToEnd();
    expect(w.sent).toEqual([]);
    expect(w.tasks.size).toBe(0);
    expect(w.events.filter((e) => e.type !== 'milestone.reached')).toEqual([]);
    expect(w.accounts.get(run().accountId)!.stage).toBeUndefined();
    expect(run()).toMatchObject({ status: 'exited', reason: 'gave-up' });
    const outreach = run().steps.outreach!.actions!;
    expect(outreach.map((a) => [a.outcome, a.detail])).toEqual([
      ['held-out', `held-out: would send ${run().variants!['outreach:save-outreach']}`],
      ['held-out', 'held-out: would set stage at-risk'],
    ]);
    expect(run().steps.review!.actions!.map((a) => a.detail)).toEqual([
      'held-out: would create task "Urgent review: diagnose (days 1-3), plan (days 4-7), execute (days 8-30)"',
      'held-out: would publish play.save-started',
    ]);
    // No task was created, so the review is "not done" after 3 days: the escalation is rehearsed too.
    expect(run().steps['review-check']!.actions!.map((a) => a.detail)).toContain(
      'held-out: would create task "Save review not done in 3 days: escalate to the CS lead"',
    );
    expect(run().steps.watch!.actions!.every((a) => a.outcome === 'held-out')).toBe(true);
  });

  it('stays held out through retried steps and a redrive of Begin, even if the holdout ended meanwhile', async () => {
    const { w, id, cycle, executionName, step, run } = await saveRun('held-out');
    await step('outreach');
    await step('outreach'); // a retry
    w.deps.holdouts = { ended: async () => ({ play: 'save', endedAt: at(0, 1), by: 'admin' }) };
    w.clock.set(at(0, 2));
    await beginRun(w.deps, { play: 'save', accountId: id, cycle, executionName, anchor: T0, trigger: { on: 'tier.changed', at: T0 } });
    expect(run().assignment!.group).toBe('held-out');
    await step('review');
    await step('review');
    expect(w.sent).toEqual([]);
    expect(w.tasks.size).toBe(0);
  });

  it('a treated run sends its variant, recorded on the run and the send, and creates its tasks', async () => {
    const { w, step, run } = await saveRun('treated');
    await step('outreach');
    const variant = run().variants!['outreach:save-outreach']!;
    expect(['save-outreach', 'reengagement']).toContain(variant);
    expect(w.sent.map((e) => e.tags.template ?? e.subject)).toHaveLength(1);
    const [send] = [...w.ledger.values()];
    expect(send).toMatchObject({ template: variant, variantOf: 'save/outreach', status: 'sent' });
    expect(run().steps.outreach!.actions![0]).toMatchObject({ kind: 'email', template: variant, outcome: 'sent' });
    w.clock.set(at(0, 1));
    await step('review');
    expect(w.tasks.size).toBe(1);
  });

  it('a run begun after an admin ended the holdout is treated, not randomized', async () => {
    const w = playsWorld({ now: T0, plays: { save } });
    w.deps.holdouts = { ended: async () => ({ play: 'save', endedAt: at(-1), by: 'admin' }) };
    const id = accountIn('held-out');
    w.addAccount({ id });
    w.setScore(id, 'red');
    const { cycle } = await w.begin('save', id, T0);
    expect(w.run(id, 'save', cycle)!.assignment).toMatchObject({ group: 'treated', randomized: false, reason: `holdout ended ${at(-1)}` });
  });

  it('at the boundary: delivery refuses a held-out request before any read or send', async () => {
    const { w, id } = await saveRun('held-out');
    const account = w.accounts.get(id)!;
    await expect(
      deliver(
        w.deps,
        { accountId: id, runKey: 'x', play: 'save', step: 'outreach', day: 0, template: 'save-outreach', category: 'success', heldOut: true },
        { account, usage: { days: [], from: '2026-01-01' } as never },
      ),
    ).rejects.toThrow(HeldOutLeakError);
    expect(w.sent).toEqual([]);
    expect(w.ledger.size).toBe(0);
  });
});

describe('holdout and variants in tend.config.ts', () => {
  const withSave = (over: object) => ({ ...userConfig, plays: { save: { ...builtinSave, ...over } } });

  it('names an unknown variant template and a bad share by their path', () => {
    const steps = [
      {
        id: 'outreach',
        day: 0,
        do: {
          email: 'save-outreach',
          variants: [
            { template: 'save-outreach', share: 1 },
            { template: 'no-such-template', share: 1 },
          ],
        },
      },
    ];
    expect(() => parseConfig(withSave({ steps }))).toThrow(/plays\.save\.steps\[0\]\.do\.variants\[1\]\.template: unknown template "no-such-template"/);
    expect(() => parseConfig(withSave({ holdout: { share: 75 } }))).toThrow(/plays\.save\.holdout\.share/);
    expect(() => parseConfig(withSave({ holdout: { share: 10, exclude: [{ segment: ['vip'] }] } }))).toThrow(/plays\.save\.holdout\.exclude\[0\]/);
  });

  it('accepts a holdout with its defaults and variants of known templates', () => {
    const config = parseConfig(withSave({ holdout: { share: 10, exclude: [{ renewalWithinDays: 30 }] } }));
    expect(config.plays.save!.holdout).toEqual({ share: 10, salt: '', exclude: [{ renewalWithinDays: 30 }], days: 90, minimumEffect: 10 });
  });
});
