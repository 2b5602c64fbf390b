import { describe, expect, it } from 'vitest';
import type { Clock } from '../../functions/core/clock.ts';
import type { AccountRepo, EventPublisher, ScoreRepo, TendEvent, UsageRepo } from '../../functions/core/ports.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';
import { scoreAccount, type ScoringDeps } from '../../functions/core/scoring.ts';
import type { Account, StoredScore, UsageDay } from '../../functions/core/types.ts';

const DAY = 86_400_000;
const features = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];

/** The scoring use case over in-memory ports: what it stores and what it publishes, day by day. */
function world(put?: ScoreRepo['put']) {
  let now = Date.parse('2026-03-02T06:00:00Z');
  const account = { id: 'acme', name: 'Acme', seats: 4, arr: 60_000, paymentStatus: 'current', status: 'active', segment: 'high-touch', startDate: '2025-09-01T00:00:00Z', primaryContact: { email: 'ana@acme.example' } } as unknown as Account;
  const days: UsageDay[] = [];
  const stored = new Map<string, StoredScore>();
  const published: TendEvent[] = [];
  const clock: Clock = { now: () => new Date(now) };
  const accounts = { get: async () => account } as unknown as AccountRepo;
  const usage: UsageRepo = { record: async () => [], days: async () => days };
  const history = new Map<string, StoredScore['signals']>();
  const scores: ScoreRepo = {
    get: async (id) => stored.get(id),
    signalsOn: async (id, day) => history.get(`${id}#${day}`),
    put: put ?? (async (s) => (stored.set(s.accountId, s), history.set(`${s.accountId}#${s.computedAt.slice(0, 10)}`, s.signals), true)),
  };
  const events: EventPublisher = { publish: async (e) => void published.push(...e) };
  const feedback = { recent: async () => ({ surveys: [], tickets: [] }), putSurveys: async () => {}, putTickets: async () => {} };
  const deps: ScoringDeps = { clock, modelFor: () => presetModel('seed-002'), features, fallingFastPoints: 10, accounts, usage, feedback, contacts: { list: async () => [], upsert: async () => {} }, scores, events };
  const use = (users: number, n = 1) => {
    for (let i = 0; i < n; i++) {
      const day = new Date(now + i * DAY).toISOString().slice(0, 10);
      const u = Array.from({ length: users }, (_, k) => `u${k}`);
      days.push({ day, users: u, features, userFeatures: u.flatMap((x) => features.slice(0, 4).map((f) => `${x}|${f}`)) });
    }
  };
  return { deps, use, published, stored, nextDay: () => (now += DAY) };
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
      w.nextDay();
    }
    const after = w.published.slice(greenEvents);
    const tierChanges = after.filter((e) => e.type === 'tier.changed');
    expect(tierChanges[0]?.detail).toMatchObject({ from: 'green' });
    expect(tierChanges.every((e) => e.detail.from !== e.detail.to)).toBe(true);
    const started = after.filter((e) => e.type === 'flag.started').map((e) => e.detail.flag);
    expect(started).toEqual(expect.arrayContaining(['no-login-7d', 'usage-drop', 'tier-dropped']));
    expect(new Set(started).size).toBe(started.length);
    const s = w.stored.get('acme')!;
    expect(Object.keys(s.flags)).toContain('no-login-7d');
    expect(s.trend.change30d).toBeLessThan(0);
    expect(s.recent.length).toBeLessThanOrEqual(35);
    // Reasons say how a signal moved over the week.
    expect(s.driversDown.map((d) => d.text).join(' | ')).toMatch(/a week ago\)/);
  });
});

describe('scoreAccount races and failures', () => {
  it('publishes nothing when another run wrote the score first', async () => {
    const w = world(async () => false);
    w.use(4);
    const s = await scoreAccount(w.deps, 'acme');
    expect(s?.written).toBe(false);
    expect(w.published).toEqual([]);
  });

  it('scores the rest of a shard when one account fails, and reports it', async () => {
    const w = world();
    const errors: string[] = [];
    const ids = ['a', 'bad', 'c'];
    const deps = {
      ...w.deps,
      accounts: { ...w.deps.accounts, get: async (id: string) => (id === 'bad' ? Promise.reject(new Error('boom')) : w.deps.accounts.get(id)), listIds: async function* () { yield ids; } } as unknown as AccountRepo,
      onError: (id: string) => void errors.push(id),
    };
    const { scoreShards } = await import('../../functions/core/scoring.ts');
    expect(await scoreShards(deps, [0])).toMatchObject({ scored: 2, failed: 1 });
    expect(errors).toEqual(['bad']);
  });
});
