import { describe, expect, it } from 'vitest';
import type { Clock } from '../../functions/core/clock.ts';
import type { DirtyAccounts, EventPublisher, ScoreRepo, ScoringInputs, TendEvent } from '../../functions/core/ports.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';
import { explainScore, factsOf, type ScoreFacts } from '../../functions/core/score/explain.ts';
import { rescoreDirty, scoreAccount, scoreShards, type ScoringDeps } from '../../functions/core/scoring.ts';
import { stateOf } from '../../functions/core/metrics/score-states.ts';
import type { Account, StoredScore, UsageDay } from '../../functions/core/types.ts';

const DAY = 86_400_000;
const features = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];
const model = presetModel('seed-002');

/** The scoring use case over in-memory ports: what it stores and what it publishes, day by day. */
function world(put?: ScoreRepo['put']) {
  let now = Date.parse('2026-03-02T06:00:00Z');
  const account = {
    id: 'acme',
    name: 'Acme',
    seats: 4,
    arr: 60_000,
    paymentStatus: 'current',
    status: 'active',
    segment: 'high-touch',
    startDate: '2025-09-01T00:00:00Z',
    primaryContact: { email: 'ana@acme.example' },
  } as unknown as Account;
  const days: UsageDay[] = [];
  // Stored as the score item stores it: facts, no reasons.
  const stored = new Map<string, ScoreFacts>();
  const published: TendEvent[] = [];
  const loads: string[] = [];
  const clock: Clock = { now: () => new Date(now) };
  const inputs: ScoringInputs = {
    load: async (id, fromDay) => {
      loads.push(id);
      if (id === 'bad') throw new Error('boom');
      return { account: { ...account, id }, days: days.filter((d) => d.day >= fromDay), previous: stored.get(id), surveys: [], tickets: [], contacts: [] };
    },
  };
  const scores: ScoreRepo = {
    get: async (id) => (stored.has(id) ? explainScore(model, stored.get(id)!) : undefined),
    put: put ?? (async (s) => (stored.set(s.accountId, factsOf(s)), true)),
  };
  const milestones: string[] = [];
  const events: EventPublisher = { publish: async (e) => void published.push(...e) };
  const deps: ScoringDeps = {
    clock,
    modelFor: () => model,
    features,
    fallingFastPoints: 10,
    inputs,
    scores,
    accounts: {
      reachMilestone: async (id) => (milestones.push(id), true),
      listIds: async function* () {
        yield ['acme'];
      },
    },
    events,
  };
  const use = (users: number, n = 1) => {
    for (let i = 0; i < n; i++) {
      const day = new Date(now + i * DAY).toISOString().slice(0, 10);
      const u = Array.from({ length: users }, (_, k) => `u${k}`);
      days.push({ day, users: u, features, userFeatures: u.flatMap((x) => features.slice(0, 4).map((f) => `${x}|${f}`)) });
    }
  };
  return { deps, use, published, stored, loads, milestones, scores, nextDay: () => (now += DAY), later: (ms: number) => (now += ms) };
}

describe('scoreAccount', () => {
  it('publishes a tier change and each flag start once, after storing the score', async () => {
    const w = world();
    for (let d = 0; d < 20; d++) {
      w.use(4);
      await scoreAccount(w.deps, 'acme');
      w.nextDay();
    }
    expect(w.stored.get('acme')?.tier).toBe('green');
    const greenEvents = w.published.length;
    // Usage stops: as the 30-day window empties the account falls out of green and is flagged.
    for (let d = 0; d < 30; d++) {
      await scoreAccount(w.deps, 'acme');
      // Reasons, rebuilt on read from the stored facts, say how a signal moved over the week.
      if (d === 8) expect((await w.scores.get('acme'))!.driversDown.map((x) => x.text).join(' | ')).toMatch(/a week ago\)/);
      w.nextDay();
    }
    const after = w.published.slice(greenEvents);
    const tierChanges = after.filter((e) => e.type === 'tier.changed');
    expect(tierChanges[0]?.detail).toMatchObject({ from: 'green' });
    expect(tierChanges.every((e) => e.detail.from !== e.detail.to)).toBe(true);
    const started = after.filter((e) => e.type === 'flag.started').map((e) => e.detail.flag);
    expect(started).toEqual(expect.arrayContaining(['no-login-7d', 'usage-drop', 'tier-dropped']));
    expect(new Set(started).size).toBe(started.length);
    const s = (await w.scores.get('acme'))!;
    expect(Object.keys(s.flags)).toContain('no-login-7d');
    expect(s.trend.change30d).toBeLessThan(0);
    expect(s.recent.length).toBeLessThanOrEqual(35);
  });

  it('writes once a day unless the score moves, and the daily run skips what was scored today', async () => {
    const w = world();
    w.use(4);
    expect(await scoreAccount(w.deps, 'acme')).toMatchObject({ written: true });
    w.later(3_600_000);
    expect(await scoreAccount(w.deps, 'acme')).toMatchObject({ written: false });
    expect(await scoreAccount(w.deps, 'acme', { oncePerDay: true })).toEqual({
      skipped: true,
      tier: w.stored.get('acme')!.tier,
      band: w.stored.get('acme')!.band,
      score: w.stored.get('acme')!.score,
      arr: 60_000,
      activation: { known: expect.any(Number), active: expect.any(Number) },
      // Its groups in the health series' cuts (health-days.ts): as the metric aggregates group it.
      groups: { segment: expect.any(String), plan: expect.stringMatching(/^(Starter|Pro|Enterprise)$/), owner: 'none' },
      // The score item as it stands, for the weekly review's score states (score-states.ts).
      // With the account's ARR, segment and owner as scoring read them (the review reads no book index).
      state: { ...stateOf(w.stored.get('acme')!), book: { arr: 60_000, segment: expect.any(String) } },
    });
    w.nextDay();
    expect(await scoreAccount(w.deps, 'acme', { oncePerDay: true })).toMatchObject({ written: true });
  });

  it('records first value once the usage shows it, and announces it after the score', async () => {
    const w = world();
    w.deps.firstValue = { activeUsers: 2, features: 2 };
    w.use(4);
    await scoreAccount(w.deps, 'acme');
    expect(w.milestones).toEqual(['acme']);
    expect(w.published.map((e) => e.type)).toContain('milestone.reached');
  });

  it('records first value on a rescoring that writes no score, not a day later', async () => {
    const w = world();
    w.use(4);
    expect(await scoreAccount(w.deps, 'acme')).toMatchObject({ written: true });
    expect(w.milestones).toEqual([]);
    // Within the hour nothing moved (no score write), but first value now holds under the criteria.
    w.later(3_600_000);
    w.deps.firstValue = { activeUsers: 2, features: 2 };
    expect(await scoreAccount(w.deps, 'acme')).toMatchObject({ written: false });
    expect(w.milestones).toEqual(['acme']);
  });
});

describe('scoreAccount and the metric aggregates', () => {
  it('moves the account in the aggregates when its band changes, never for a score that keeps it', async () => {
    const w = world();
    const moves: string[] = [];
    w.deps.bandChanged = async (id, band) => void moves.push(`${id}:${band}`);
    w.use(4, 3);
    await scoreAccount(w.deps, 'acme');
    const first = w.stored.get('acme')!.band;
    expect(moves).toEqual([`acme:${first}`]);
    w.nextDay();
    await scoreAccount(w.deps, 'acme');
    w.nextDay();
    await scoreAccount(w.deps, 'acme');
    expect(moves).toHaveLength(1);
    // No usage for weeks: the score falls and the band with it, counted once.
    for (let d = 0; d < 40; d++) {
      w.nextDay();
      await scoreAccount(w.deps, 'acme');
    }
    const bands = [first, ...moves.slice(1).map((m) => m.split(':')[1])];
    expect(bands.at(-1)).toBe(w.stored.get('acme')!.band);
    expect(moves.length).toBeGreaterThan(1);
    expect(new Set(moves).size).toBe(moves.length);
  });

  it('keeps the score when the upkeep fails, and reports the failure', async () => {
    const w = world();
    const errors: unknown[] = [];
    w.deps.bandChanged = async () => {
      throw new Error('table unavailable');
    };
    w.deps.onError = (_id, err) => errors.push(err);
    w.use(4);
    expect(await scoreAccount(w.deps, 'acme')).toMatchObject({ written: true });
    expect(w.stored.has('acme')).toBe(true);
    expect(String((errors[0] as Error).message)).toMatch(/rebuild/);
  });
});

describe('scoreAccount races and failures', () => {
  it('publishes nothing when another run wrote the score first', async () => {
    const w = world(async () => false);
    w.use(4);
    const s = await scoreAccount(w.deps, 'acme');
    expect(s).toMatchObject({ written: false });
    expect(w.published).toEqual([]);
  });

  it('scores the rest of a shard when one account fails, and reports it', async () => {
    const w = world();
    const errors: string[] = [];
    const deps = {
      ...w.deps,
      accounts: {
        ...w.deps.accounts,
        listIds: async function* () {
          yield ['a', 'bad', 'c'];
        },
      },
      onError: (id: string) => void errors.push(id),
    };
    expect(await scoreShards(deps, [0])).toMatchObject({ scored: 2, failed: 1 });
    expect(errors).toEqual(['bad']);
  });

  it('sets one health tally per shard and day, so a retried batch overwrites its items', async () => {
    const w = world();
    w.use(4);
    const puts = new Map<string, Record<string, number>>();
    const deps = {
      ...w.deps,
      accounts: {
        ...w.deps.accounts,
        listIds: async function* (shard: number) {
          yield shard === 0 ? ['a', 'b'] : ['c'];
        },
      },
      healthDays: { put: async (day: string, shard: number, tally: Record<string, number>) => void puts.set(`${day}#${shard}`, { ...tally }) },
    };
    await scoreShards(deps, [0, 1]);
    const first = new Map(puts);
    // The retry finds the accounts scored today: the same tallies, set again.
    await scoreShards(deps, [0, 1]);
    expect([...puts.keys()]).toEqual(['2026-03-02#0', '2026-03-02#1']);
    expect(puts).toEqual(first);
    const band = w.stored.get('a')!.band ?? 'unscored';
    expect(puts.get('2026-03-02#0')).toMatchObject({ accounts: 2, [`${band}Accounts`]: 2, [`${band}Arr`]: 120_000 });
    expect(puts.get('2026-03-02#0')!.scoreSum).toBe(2 * (w.stored.get('a')!.score ?? 0));
  });
});

/** Dirty marks in memory (closed buckets only), recording the calls the rescoring makes. */
function marks(initial: Record<number, string[]>) {
  const shards = new Set(Object.keys(initial).map(Number));
  const byShard = new Map(Object.entries(initial).map(([s, ids]) => [Number(s), new Set(ids)]));
  const calls: string[] = [];
  const dirty: DirtyAccounts = {
    mark: async () => {},
    closed: async (wanted) => {
      calls.push('closed');
      return wanted
        .filter((s) => shards.has(s))
        .map((shard) => {
          const ids = [...(byShard.get(shard) ?? [])];
          return { shard, accountIds: ids, marks: ids.map((accountId) => ({ accountId, sk: `2026-03-02T05#${accountId}` })), flags: ['2026-03-02T05'] };
        });
    },
    clear: async (read, kept) => {
      calls.push('clear');
      for (const { shard, accountIds } of read) {
        for (const id of accountIds) if (!kept.has(id)) byShard.get(shard)?.delete(id);
        if (!accountIds.some((id) => kept.has(id))) shards.delete(shard);
      }
    },
    list: async (shard) => [...(byShard.get(shard) ?? [])],
  };
  return { dirty, calls, shards, byShard };
}

describe('rescoreDirty', () => {
  it('queries no shard when none has marks', async () => {
    const w = world();
    const m = marks({});
    expect(await rescoreDirty({ ...w.deps, dirty: m.dirty }, [0, 1, 2])).toEqual({ rescored: 0, written: 0 });
    expect(m.calls).toEqual(['closed']);
    expect(w.loads).toEqual([]);
  });

  it('rescores the marked accounts of the marked shards and clears their marks', async () => {
    const w = world();
    w.use(4);
    const m = marks({ 3: ['acme', 'globex'] });
    expect(await rescoreDirty({ ...w.deps, dirty: m.dirty }, [0, 3])).toEqual({ rescored: 2, written: 2 });
    expect(m.calls).toEqual(['closed', 'clear']);
    expect(m.byShard.get(3)?.size).toBe(0);
    expect(m.shards.has(3)).toBe(false);
  });

  it('keeps the mark of an account that failed, and its shard for the next run', async () => {
    const w = world();
    const m = marks({ 5: ['bad', 'acme'] });
    await rescoreDirty({ ...w.deps, dirty: m.dirty }, [5]);
    expect([...m.byShard.get(5)!]).toEqual(['bad']);
    expect(m.shards.has(5)).toBe(true);
  });

  it('keeps every mark it read when the record of today was not written', async () => {
    const w = world();
    w.use(4);
    const m = marks({ 3: ['acme'] });
    const errors: unknown[] = [];
    await rescoreDirty(
      {
        ...w.deps,
        dirty: m.dirty,
        onError: (_id, err) => errors.push(err),
        scoredToday: { record: () => Promise.reject(new Error('throttled')), read: async () => new Map() },
      },
      [3],
    );
    expect([...m.byShard.get(3)!]).toEqual(['acme']);
    expect(m.shards.has(3)).toBe(true);
    expect(errors).toHaveLength(1);
  });
});

it('a stored score keeps no text: its facts rebuild the same reasons', async () => {
  const w = world();
  w.use(4, 1);
  const s = (await scoreAccount(w.deps, 'acme')) as StoredScore;
  const facts = factsOf(s);
  expect(JSON.stringify(facts)).not.toMatch(/licensed seats/);
  const { components, driversDown, driversUp, color } = explainScore(model, facts);
  const withoutText = (xs: { text: string }[]) => xs.map((x) => ({ ...x, text: '' }));
  expect({
    components: components.map((c) => ({ ...c, signals: withoutText(c.signals) })),
    driversDown: withoutText(driversDown),
    driversUp: withoutText(driversUp),
    color,
  }).toEqual({ components: s.components, driversDown: s.driversDown, driversUp: s.driversUp, color: s.color });
  expect(driversDown.every((d) => d.text.length > 0)).toBe(true);
});

describe('a run flushes what its repositories buffered', () => {
  it('once at the end of the daily run and of a rescoring, after every account', async () => {
    const w = world();
    const log: string[] = [];
    w.deps.flush = async () => void log.push('flush');
    const load = w.deps.inputs.load;
    w.deps.inputs = { load: (id, from) => (log.push(`load ${id}`), load(id, from)) };
    w.use(4);
    await scoreShards(w.deps, [0, 1]);
    expect(log).toEqual(['load acme', 'load acme', 'flush']);
    log.length = 0;
    const dirty = marks({ 3: ['acme'] }).dirty;
    await rescoreDirty({ ...w.deps, dirty }, [3]);
    expect(log).toEqual(['load acme', 'flush']);
  });

  /** A world whose buffered writes' flush fails, and the errors it reports. */
  const withFailingFlush = () => {
    const w = world();
    const errors: unknown[] = [];
    w.deps.onError = (_id, err) => errors.push(err);
    w.deps.flush = async () => {
      throw new Error('table unavailable');
    };
    w.use(4);
    return { w, errors };
  };

  it('a rescoring keeps the scores when the flush fails, and reports it', async () => {
    const { w, errors } = withFailingFlush();
    expect(await rescoreDirty({ ...w.deps, dirty: marks({ 3: ['acme'] }).dirty }, [3])).toMatchObject({ rescored: 1 });
    expect(w.stored.has('acme')).toBe(true);
    expect(String((errors[0] as Error).message)).toMatch(/rebuild/);
  });

  it('the daily run keeps the scores when the flush fails, reports it and fails, so its retry writes the tallies and states', async () => {
    const { w, errors } = withFailingFlush();
    await expect(scoreShards(w.deps, [0])).rejects.toThrow('table unavailable');
    expect(w.stored.has('acme')).toBe(true);
    expect(String((errors[0] as Error).message)).toMatch(/retried/);
  });
});
