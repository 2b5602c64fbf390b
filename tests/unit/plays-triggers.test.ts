import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../functions/core/clock.ts';
import { controlRun } from '../../functions/core/plays/control.ts';
import { playSchema, type PlayDefinition } from '../../functions/core/plays/definition.ts';
import { completeRun, runStep } from '../../functions/core/plays/engine.ts';
import { resolvePlays } from '../../functions/core/plays/resolve.ts';
import { executionName } from '../../functions/core/plays/schedule.ts';
import { onEvent, playsFor, startPlay, stopAll, sweepDue, sweepShard, sweepShards, SWEEP_BATCH } from '../../functions/core/plays/triggers.ts';
import type { TendEvent } from '../../functions/core/ports.ts';
import { makeAccount, playsWorld } from './support/plays-world.ts';

const plays = resolvePlays({});
const T0 = '2026-03-01T08:00:00.000Z';
const at = (iso: string, days: number) => new Date(new Date(iso).getTime() + days * DAY_MS).toISOString();
const event = (type: TendEvent['type'], detail: Record<string, unknown> = {}, when = T0): TendEvent => ({ type, accountId: 'acme', at: when, detail });

describe('playsFor: the plays an event starts', () => {
  it.each<[string, TendEvent['type'], Record<string, unknown>, string[]]>([
    ['account created', 'account.created', {}, ['onboarding']],
    ['turned red from yellow', 'tier.changed', { fromBand: 'yellow', band: 'red' }, ['save']],
    ['turned red, first score', 'tier.changed', { fromBand: null, band: 'red' }, ['save']],
    ['a tier change inside red (no change of band)', 'tier.changed', { fromBand: 'red', band: 'red' }, []],
    ['turned yellow', 'tier.changed', { fromBand: 'green', band: 'yellow' }, []],
    ['recovered to green', 'tier.changed', { fromBand: 'red', band: 'green' }, []],
    ['promoter', 'flag.started', { flag: 'promoter' }, ['advocacy']],
    ['near the seat limit', 'flag.started', { flag: 'near-seat-limit' }, ['expansion']],
    ['premium interest', 'flag.started', { flag: 'premium-interest' }, ['expansion']],
    ['low adoption', 'flag.started', { flag: 'low-adoption' }, ['adoption']],
    ['no login for 7 days', 'flag.started', { flag: 'no-login-7d' }, ['reengagement']],
    ['a flag no play starts on', 'flag.started', { flag: 'usage-drop' }, []],
    ['a flag that stopped', 'flag.stopped', { flag: 'promoter' }, []],
    ['a task created', 'task.created', {}, []],
  ])('%s', (_name, type, detail, expected) => {
    expect(playsFor(plays, { type, detail }).map((p) => p.id)).toEqual(expected);
  });

  it('starts every play that names the flag', () => {
    const second = playSchema.parse({ ...plays.advocacy!, id: 'promoter-thanks', steps: [{ id: 'thanks', day: 0, do: { event: 'thanks' } }] });
    expect(playsFor({ ...plays, 'promoter-thanks': second }, { type: 'flag.started', detail: { flag: 'promoter' } }).map((p) => p.id)).toEqual([
      'advocacy',
      'promoter-thanks',
    ]);
  });
});

describe('startPlay', () => {
  const trigger = (on = 'account.created', when = T0) => ({ on, at: when });

  it('starts a run once: the execution is named by play, account and cycle, and Begin records it', async () => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount({ startDate: T0 });
    const name = executionName('onboarding', 'acme', '2026-03-01');
    expect(await startPlay(w.deps, plays.onboarding!, account, trigger())).toEqual({ play: 'onboarding', outcome: 'started', executionName: name });
    expect(w.started).toEqual([
      { play: 'onboarding', executionName: name, input: { accountId: 'acme', play: 'onboarding', cycle: '2026-03-01', anchor: T0, trigger: trigger() } },
    ]);
    expect(w.run('acme', 'onboarding', '2026-03-01')?.status).toBe('running');
    expect(await startPlay(w.deps, plays.onboarding!, account, trigger())).toEqual({
      play: 'onboarding',
      outcome: 'already-started',
      detail: 'cycle 2026-03-01 has a run',
    });
    expect(w.started).toHaveLength(1);
  });

  it('before Begin has run, a second start names the same execution (Step Functions keeps one)', async () => {
    const w = playsWorld({ now: T0, autoBegin: false });
    const account = w.addAccount({ startDate: T0 });
    const first = await startPlay(w.deps, plays.onboarding!, account, trigger());
    const second = await startPlay(w.deps, plays.onboarding!, account, trigger());
    expect(first).toEqual(second);
    expect(w.started).toHaveLength(1);
  });

  it("retries a start that failed: the lock is its own execution's, so the retry starts it", async () => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount({ startDate: T0 });
    const start = w.deps.runner.start;
    w.deps.runner.start = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    await expect(startPlay(w.deps, plays.onboarding!, account, trigger())).rejects.toThrow('Rate exceeded');
    w.deps.runner.start = start;
    expect((await startPlay(w.deps, plays.onboarding!, account, trigger())).outcome).toBe('started');
  });

  it('holds back a run inside the cool-down, and starts it after', async () => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount();
    const first = await startPlay(w.deps, plays.advocacy!, account, trigger('flag.started'));
    expect(first.outcome).toBe('started');
    await completeRun(w.deps, { play: 'advocacy', accountId: 'acme', cycle: '2026-03-01', executionName: (first as { executionName: string }).executionName });
    w.clock.set(at(T0, 100));
    expect(await startPlay(w.deps, plays.advocacy!, account, trigger('flag.started', at(T0, 100)))).toEqual({
      play: 'advocacy',
      outcome: 'cooling-down',
      detail: `last run started ${T0}; cool-down 180 days`,
    });
    w.clock.set(at(T0, 181));
    expect(await startPlay(w.deps, plays.advocacy!, account, trigger('flag.started', at(T0, 181)))).toMatchObject({
      outcome: 'started',
      executionName: executionName('advocacy', 'acme', '2026-08-29'),
    });
  });

  it('does not start a second run while one of another cycle is live', async () => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount();
    w.setScore('acme', 'red');
    const first = await startPlay(w.deps, plays.save!, account, trigger('tier.changed'));
    expect(first.outcome).toBe('started');
    w.clock.set(at(T0, 10)); // past the 7-day cool-down, the first run still watching
    expect(await startPlay(w.deps, plays.save!, account, trigger('tier.changed', at(T0, 10)))).toEqual({
      play: 'save',
      outcome: 'live-run',
      detail: `${(first as { executionName: string }).executionName} is live`,
    });
    expect(w.started).toHaveLength(1);
  });

  it('takes over a stale lock: the holder is no longer running, so its run is recorded failed and the new run starts', async () => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount();
    w.setScore('acme', 'red');
    const first = await startPlay(w.deps, plays.save!, account, trigger('tier.changed'));
    expect(first).toEqual({ play: 'save', outcome: 'started', executionName: executionName('save', 'acme', '2026-03-01') });
    expect(w.run('acme', 'save', '2026-03-01')?.status).toBe('running');
    // The first execution timed out (or was stopped in the console): nothing recorded its end, its lock stayed.
    const asked: [string, string][] = [];
    w.deps.runner.isRunning = async (play, name) => (asked.push([play, name]), name !== executionName('save', 'acme', '2026-03-01'));
    w.clock.set(at(T0, 10)); // past the 7-day cool-down
    const second = await startPlay(w.deps, plays.save!, account, trigger('tier.changed', at(T0, 10)));
    expect(second).toEqual({ play: 'save', outcome: 'started', executionName: executionName('save', 'acme', '2026-03-11') });
    expect(asked).toEqual([['save', executionName('save', 'acme', '2026-03-01')]]);
    expect(w.run('acme', 'save', '2026-03-01')).toMatchObject({
      status: 'failed',
      finishedAt: at(T0, 10),
      reason: 'its execution ended without recording an end (timed out or stopped outside Tend)',
    });
    expect(w.run('acme', 'save', '2026-03-11')?.status).toBe('running');
    expect([...w.locks.values()].map((l) => l.executionName)).toEqual([executionName('save', 'acme', '2026-03-11')]);
    expect(w.started.map((s) => s.executionName)).toEqual([executionName('save', 'acme', '2026-03-01'), executionName('save', 'acme', '2026-03-11')]);
  });

  it('leaves a lock whose holder is still running alone: the run it holds is not touched', async () => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount();
    w.setScore('acme', 'red');
    await startPlay(w.deps, plays.save!, account, trigger('tier.changed'));
    const asked: string[] = [];
    w.deps.runner.isRunning = async (_play, name) => (asked.push(name), true);
    w.clock.set(at(T0, 10));
    expect((await startPlay(w.deps, plays.save!, account, trigger('tier.changed', at(T0, 10)))).outcome).toBe('live-run');
    expect(asked).toEqual([executionName('save', 'acme', '2026-03-01')]);
    expect(w.run('acme', 'save', '2026-03-01')?.status).toBe('running');
    expect(w.run('acme', 'save', '2026-03-11')).toBeUndefined();
    expect([...w.locks.values()].map((l) => l.executionName)).toEqual([executionName('save', 'acme', '2026-03-01')]);
  });

  it('a start that throws releases the lock, so a later trigger (another execution) starts without a takeover', async () => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount();
    w.setScore('acme', 'red');
    const start = w.deps.runner.start;
    w.deps.runner.start = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };
    await expect(startPlay(w.deps, plays.save!, account, trigger('tier.changed'))).rejects.toThrow('Rate exceeded');
    expect(w.locks.size).toBe(0);
    expect(w.run('acme', 'save', '2026-03-01')).toBeUndefined();
    w.deps.runner.start = start;
    const asked: string[] = [];
    w.deps.runner.isRunning = async (_play, name) => (asked.push(name), false);
    w.clock.set(at(T0, 1));
    expect(await startPlay(w.deps, plays.save!, account, trigger('tier.changed', at(T0, 1)))).toEqual({
      play: 'save',
      outcome: 'started',
      executionName: executionName('save', 'acme', '2026-03-02'),
    });
    expect(asked).toEqual([]); // the lock was free: nothing stale to take over
    expect(w.run('acme', 'save', '2026-03-01')).toBeUndefined(); // no failed run recorded for the start that never happened
    expect(w.run('acme', 'save', '2026-03-02')?.status).toBe('running');
    expect([...w.locks.values()].map((l) => l.executionName)).toEqual([executionName('save', 'acme', '2026-03-02')]);
  });

  it.each<[string, Parameters<typeof makeAccount>[0], string, string]>([
    ['a churned account', { status: 'churned' }, 'onboarding', 'account churned'],
    ['a renewal without a renewal date', {}, 'renewal', 'no renewalDate'],
    [
      'an imported customer (every onboarding step long past)',
      { startDate: '2024-01-01T00:00:00.000Z' },
      'onboarding',
      'every step of the play is past (its startDate is 2024-01-01T00:00:00.000Z)',
    ],
    [
      'a renewal date already past',
      { renewalDate: '2026-02-01T00:00:00.000Z' },
      'renewal',
      'every step of the play is past (its renewalDate is 2026-02-01T00:00:00.000Z)',
    ],
  ])('does not start for %s', async (_name, over, play, detail) => {
    const w = playsWorld({ now: T0 });
    const account = w.addAccount({ startDate: T0, ...over });
    expect(await startPlay(w.deps, plays[play]!, account, trigger())).toEqual({ play, outcome: 'not-eligible', detail });
    expect(w.started).toEqual([]);
    expect(w.locks.size).toBe(0);
  });

  it("keeps to the play's segments", async () => {
    const play: PlayDefinition = playSchema.parse({ ...plays.advocacy!, id: 'reference', segments: ['high-touch'] });
    const w = playsWorld({ now: T0, plays: { ...plays, reference: play } });
    expect(await startPlay(w.deps, play, w.addAccount(), trigger('flag.started'))).toEqual({
      play: 'reference',
      outcome: 'not-eligible',
      detail: 'segment tech-touch',
    });
    expect((await startPlay(w.deps, play, w.addAccount({ id: 'big', segment: 'high-touch' }), trigger('flag.started'))).outcome).toBe('started');
  });
});

describe('sweepDue', () => {
  const now = new Date(T0);
  const inDays = (d: number) => new Date(now.getTime() + d * DAY_MS).toISOString();
  it.each<[string, string | undefined, boolean]>([
    ['90 days ahead', inDays(90), true],
    ['90 days and an hour ahead', inDays(90 + 1 / 24), false],
    ['30 days ahead', inDays(30), true],
    ['an hour ahead', inDays(1 / 24), true],
    ['today, now', inDays(0), false],
    ['yesterday', inDays(-1), false],
    ['no renewal date', undefined, false],
  ])('renewal: renewal date %s -> %s', (_name, renewalDate, expected) => {
    expect(sweepDue(plays.renewal!, makeAccount({ renewalDate }), now)).toBe(expected);
  });

  it.each<[string, number, boolean]>([
    ['started today', 0, true],
    ['started 60 days ago (the last step)', 60, true],
    ['started 61 days ago', 61, false],
    ['starting tomorrow', -1, false],
  ])('onboarding: %s -> %s', (_name, age, expected) => {
    expect(sweepDue(plays.onboarding!, makeAccount({ startDate: inDays(-age) }), now)).toBe(expected);
  });

  it('never sweeps an event-anchored play', () => {
    for (const id of ['save', 'adoption', 'expansion', 'advocacy', 'reengagement'])
      expect(sweepDue(plays[id]!, makeAccount({ startDate: T0, renewalDate: inDays(10) }), now), id).toBe(false);
  });
});

describe('sweepShard', () => {
  it('starts the renewals entering their window and the onboarding a missed event left out, once', async () => {
    const w = playsWorld({ now: T0 });
    w.addAccount({ id: 'renews-soon', startDate: '2025-01-01T00:00:00.000Z', renewalDate: at(T0, 60) });
    w.addAccount({ id: 'new', startDate: at(T0, -10) });
    w.addAccount({ id: 'renews-later', startDate: '2025-01-01T00:00:00.000Z', renewalDate: at(T0, 200) });
    w.addAccount({ id: 'gone', startDate: at(T0, -5), renewalDate: at(T0, 30), status: 'churned' });
    expect(await sweepShard(w.deps, 0)).toEqual({ 'renewal:started': 1, 'onboarding:started': 1, 'renewal:not-eligible': 1, 'onboarding:not-eligible': 1 });
    expect(w.started.map((s) => `${s.play}:${String(s.input['accountId'])}:${(s.input['trigger'] as { on: string }).on}`).sort()).toEqual([
      'onboarding:new:sweep',
      'renewal:renews-soon:date',
    ]);
    expect(w.run('renews-soon', 'renewal', at(T0, 60).slice(0, 10))?.schedule).toMatchObject({ health_review: at(T0, -30), close: at(T0, 46) });
    w.clock.set(at(T0, 1));
    expect(await sweepShard(w.deps, 0)).toEqual({
      'renewal:already-started': 1,
      'onboarding:already-started': 1,
      'renewal:not-eligible': 1,
      'onboarding:not-eligible': 1,
    });
    expect(w.started).toHaveLength(2);
  });

  it("reads the due accounts' runs in one batch per page, not one read each", async () => {
    const w = playsWorld({ now: T0 });
    for (const id of ['a', 'b', 'c']) w.addAccount({ id, startDate: at(T0, -3) });
    const reads = { get: 0, getMany: 0 };
    const runs = w.deps.runs;
    w.deps.runs = {
      ...runs,
      get: (ref) => (reads.get++, runs.get(ref)),
      getMany: (refs) => (reads.getMany++, runs.getMany(refs)),
    };
    expect(await sweepShard(w.deps, 0)).toEqual({ 'onboarding:started': 3 });
    w.clock.set(at(T0, 1));
    expect(await sweepShard(w.deps, 0)).toEqual({ 'onboarding:already-started': 3 });
    expect(reads).toEqual({ get: 0, getMany: 2 });
  });
});

describe('sweepShards', () => {
  /** Accounts a..f over three shards of two, the runs' reads counted. */
  function sharded() {
    const w = playsWorld({ now: T0 });
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const id of ids) w.addAccount({ id, startDate: at(T0, -3) });
    const list = w.deps.accounts.list.bind(w.deps.accounts);
    w.deps.accounts = {
      ...w.deps.accounts,
      async *list(shard) {
        for await (const page of list(shard)) yield page.filter((a) => Math.floor(ids.indexOf(a.id) / 2) === shard);
      },
    };
    const reads: number[] = [];
    const runs = w.deps.runs;
    w.deps.runs = { ...runs, getMany: (refs) => (reads.push(refs.length), runs.getMany(refs)) };
    return { w, reads };
  }

  it("reads the due accounts' runs across shards in one batch, and starts the same as one shard at a time", async () => {
    const one = sharded();
    expect(await sweepShards(one.w.deps, [0, 1, 2])).toEqual({ 'onboarding:started': 6 });
    expect(one.reads).toEqual([6]);
    const apart = sharded();
    for (const shard of [0, 1, 2]) await sweepShard(apart.w.deps, shard);
    expect(apart.reads).toEqual([2, 2, 2]);
    expect(one.w.started.map((s) => s.executionName)).toEqual(apart.w.started.map((s) => s.executionName));
    one.w.clock.set(at(T0, 1));
    expect(await sweepShards(one.w.deps, [0, 1, 2])).toEqual({ 'onboarding:already-started': 6 });
  });

  it(`reads the runs once a batch (${SWEEP_BATCH}) of planned starts has gathered: at most a batch and a page held`, async () => {
    const w = playsWorld({ now: T0 });
    for (let i = 0; i < SWEEP_BATCH + 30; i++) w.addAccount({ id: `acc-${i}`, startDate: at(T0, -3) });
    const list = w.deps.accounts.list.bind(w.deps.accounts);
    // Pages of 40 accounts.
    w.deps.accounts = {
      ...w.deps.accounts,
      async *list(shard) {
        for await (const page of list(shard)) for (let i = 0; i < page.length; i += 40) yield page.slice(i, i + 40);
      },
    };
    const reads: number[] = [];
    const runs = w.deps.runs;
    w.deps.runs = { ...runs, getMany: (refs) => (reads.push(refs.length), runs.getMany(refs)) };
    expect(await sweepShards(w.deps, [0])).toEqual({ 'onboarding:started': SWEEP_BATCH + 30 });
    expect(reads).toEqual([120, 10]);
  });
});

describe('onEvent', () => {
  it('starts the plays an event triggers', async () => {
    const w = playsWorld({ now: T0 });
    w.addAccount();
    expect(await onEvent(w.deps, event('flag.started', { flag: 'promoter' }))).toEqual([
      { play: 'advocacy', outcome: 'started', executionName: executionName('advocacy', 'acme', '2026-03-01') },
    ]);
    expect(await onEvent(w.deps, event('flag.started', { flag: 'usage-drop' }))).toEqual([]);
  });

  it('reports an unknown account as not eligible', async () => {
    const w = playsWorld({ now: T0 });
    expect(await onEvent(w.deps, event('flag.started', { flag: 'near-seat-limit' }))).toEqual([
      { play: 'expansion', outcome: 'not-eligible', detail: 'account not found' },
    ]);
  });

  it('account.churned stops every live run of the account, records why and releases the locks', async () => {
    const w = playsWorld({ now: T0 });
    w.addAccount({ startDate: T0 });
    w.addAccount({ id: 'other', startDate: T0 });
    w.setScore('acme', 'red');
    await onEvent(w.deps, event('account.created'));
    await onEvent(w.deps, event('tier.changed', { fromBand: 'yellow', band: 'red' }));
    await onEvent(w.deps, { ...event('account.created'), accountId: 'other' });
    expect(w.locks.size).toBe(3);
    w.clock.set(at(T0, 2));
    expect(await onEvent(w.deps, event('account.churned'))).toEqual([]);
    expect(w.stopped.map((s) => [s.play, s.executionName, s.cause]).sort()).toEqual([
      ['onboarding', executionName('onboarding', 'acme', '2026-03-01'), 'churned'],
      ['save', executionName('save', 'acme', '2026-03-01'), 'churned'],
    ]);
    for (const play of ['onboarding', 'save'])
      expect(w.run('acme', play, '2026-03-01'), play).toMatchObject({ status: 'exited', reason: 'churned', finishedAt: at(T0, 2) });
    expect([...w.locks.keys()]).toEqual(['other|onboarding']);
    expect(w.run('other', 'onboarding', '2026-03-01')!.status).toBe('running');
  });

  it('stopAll on an account with nothing live stops nothing', async () => {
    const w = playsWorld({ now: T0 });
    expect(await stopAll(w.deps, 'acme', 'churned')).toBe(0);
    expect(w.stopped).toEqual([]);
  });
});

describe('controlRun', () => {
  async function live() {
    const w = playsWorld({ now: T0 });
    w.addAccount({ startDate: T0 });
    await onEvent(w.deps, event('account.created'));
    const name = executionName('onboarding', 'acme', '2026-03-01');
    return { w, name, run: () => w.run('acme', 'onboarding', '2026-03-01')! };
  }

  it('pauses, then resumes the live run', async () => {
    const { w, run, name } = await live();
    w.clock.set(at(T0, 1));
    expect(await controlRun(w.deps, { accountId: 'acme', play: 'onboarding', action: 'pause', by: 'cy@tend.example' })).toMatchObject({
      status: 'paused',
      pausedAt: at(T0, 1),
      pausedBy: 'cy@tend.example',
    });
    expect((await runStep(w.deps, { play: 'onboarding', accountId: 'acme', cycle: '2026-03-01', executionName: name, step: 'welcome' })).route).toBe('wait');
    const resumed = await controlRun(w.deps, { accountId: 'acme', play: 'onboarding', action: 'resume' });
    expect(resumed.status).toBe('running');
    expect(resumed).not.toHaveProperty('pausedAt');
    expect(run().status).toBe('running');
    expect(w.stopped).toEqual([]);
  });

  it('cancel stops the execution, records the run cancelled and releases the lock', async () => {
    const { w, run, name } = await live();
    expect(await controlRun(w.deps, { accountId: 'acme', play: 'onboarding', action: 'cancel', by: 'cy@tend.example' })).toMatchObject({
      status: 'cancelled',
      reason: 'cancelled by cy@tend.example',
    });
    expect(w.stopped).toEqual([{ play: 'onboarding', executionName: name, cause: 'cancelled by cy@tend.example' }]);
    expect(run().status).toBe('cancelled');
    expect(w.locks.size).toBe(0);
  });

  it('cancel without a name says "api"', async () => {
    const { w } = await live();
    expect((await controlRun(w.deps, { accountId: 'acme', play: 'onboarding', action: 'cancel' })).reason).toBe('cancelled by api');
  });

  it.each<[string, { play: string; accountId: string }, string]>([
    ['a play not in the configuration', { play: 'winback', accountId: 'acme' }, 'play "winback" is not in the configuration'],
    ['no live run of the play', { play: 'save', accountId: 'acme' }, 'no live save run for account "acme"'],
    ['another account', { play: 'onboarding', accountId: 'other' }, 'no live onboarding run for account "other"'],
  ])('refuses %s', async (_name, input, message) => {
    const { w } = await live();
    const err = await controlRun(w.deps, { ...input, action: 'pause' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('NotFoundError');
    expect((err as Error).message).toBe(message);
  });

  it('refuses to pause a run that ended while its lock was still held', async () => {
    const { w } = await live();
    await w.deps.runs.finish({ accountId: 'acme', play: 'onboarding', cycle: '2026-03-01' }, 'completed', w.clock.now());
    const err = await controlRun(w.deps, { accountId: 'acme', play: 'onboarding', action: 'pause' }).catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('ConflictError');
    expect((err as Error).message).toBe('the onboarding run of "acme" is not live');
  });
});
