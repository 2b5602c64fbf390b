import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-07-06T00:00:00Z');
const DAYS = 20;
const features = ['dashboards', 'reports', 'alerts', 'integrations'];
const groups = { steady: 70, quitter: 70, detractor: 70 } as const;
type Group = keyof typeof groups;

describe('the daily scoring run over a few hundred accounts', () => {
  let rt: TestRuntime;
  const accounts: { id: string; group: Group }[] = [];
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
    for (const [group, n] of Object.entries(groups) as [Group, number][]) for (let i = 0; i < n; i++) accounts.push({ id: `${group}-${i}`, group });
    const post = async (path: string, body: unknown) => {
      const res = await rt.request('POST', path, body);
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    for (let i = 0; i < accounts.length; i += 25) {
      await Promise.all(
        accounts.slice(i, i + 25).map((a) =>
          post('/v1/accounts', {
            id: a.id,
            name: a.id,
            seats: 4,
            arr: 20_000,
            paymentStatus: 'current',
            startDate: new Date(start - 120 * DAY).toISOString(),
            primaryContact: { email: `cs@${a.id}.example` },
          }),
        ),
      );
    }
    // Usage for the whole period up front (the run only counts days up to its own); quitters stop after day 10.
    const events = accounts.flatMap((a) =>
      Array.from({ length: a.group === 'quitter' ? 11 : DAYS + 1 }, (_, d) => d).flatMap((d) =>
        ['u1', 'u2', 'u3', 'u4'].map((u, k) => ({
          id: `${a.id}-${d}-${u}`,
          accountId: a.id,
          userId: u,
          name: 'used',
          timestamp: new Date(start + d * DAY + (9 + k) * 3_600_000).toISOString(),
          properties: { feature: features[(d + k) % features.length] },
        })),
      ),
    );
    for (let i = 0; i < events.length; i += 500) await post('/v1/events', { events: events.slice(i, i + 500) });
    await post('/v1/surveys', {
      surveys: accounts
        .filter((a) => a.group === 'detractor')
        .map((a) => ({ id: `nps-${a.id}`, accountId: a.id, kind: 'nps', score: 3, answeredAt: new Date(start + 5 * DAY).toISOString() })),
    });
    for (let d = 0; d <= DAYS; d++) {
      rt.clock.advanceTo(start + d * DAY + 7 * 3_600_000);
      await rt.idle();
    }
  }, 240_000);
  afterAll(() => rt?.stop());

  const starts = (flag: string) => rt.events.log.filter((e) => e['detail-type'] === 'flag.started' && e.detail.flag === flag);

  it('raises each flag once per account, when it starts to hold', () => {
    const noLogin = starts('no-login-7d');
    expect(noLogin.map((e) => e.detail.accountId).sort()).toEqual(
      accounts
        .filter((a) => a.group === 'quitter')
        .map((a) => a.id)
        .sort(),
    );
    // Last use on day 10; from day 17 nobody has used it for 7 days.
    expect(new Set(noLogin.map((e) => e.time.slice(0, 10)))).toEqual(new Set([new Date(start + 17 * DAY).toISOString().slice(0, 10)]));
    const detractors = starts('nps-detractor');
    expect(detractors.map((e) => e.detail.accountId).sort()).toEqual(
      accounts
        .filter((a) => a.group === 'detractor')
        .map((a) => a.id)
        .sort(),
    );
    const perAccountFlag = rt.events.log.filter((e) => e['detail-type'] === 'flag.started').map((e) => `${e.detail.accountId}/${e.detail.flag}`);
    expect(new Set(perAccountFlag).size).toBe(perAccountFlag.length);
    expect(starts('usage-drop').every((e) => String(e.detail.accountId).startsWith('quitter'))).toBe(true);
  });

  it('moves steady accounts only up as their usage accumulates, and every quitter down in the end', async () => {
    const rank = { green: 0, yellow: 1, red: 2 } as Record<string, number>;
    const tierChanges = rt.events.log.filter((e) => e['detail-type'] === 'tier.changed');
    expect(tierChanges.every((e) => e.detail.from !== e.detail.to)).toBe(true);
    // A first score already red is announced too (from: null), for the save play; moves are the others.
    const of = (group: Group) => tierChanges.filter((e) => String(e.detail.accountId).startsWith(group) && e.detail.from !== null);
    expect(of('steady').every((e) => rank[String(e.detail.to)]! < rank[String(e.detail.from)]!)).toBe(true);
    const lastChange = new Map(of('quitter').map((e) => [e.detail.accountId, e]));
    expect(lastChange.size).toBe(groups.quitter);
    expect([...lastChange.values()].every((e) => rank[String(e.detail.to)]! > rank[String(e.detail.from)]!)).toBe(true);
    const view = await rt.request('GET', '/v1/accounts/quitter-0');
    const steady = await rt.request('GET', '/v1/accounts/steady-0');
    expect(view.body?.health.score).toBeLessThan(steady.body?.health.score);
    expect(view.body?.health.flags.map((f: { name: string }) => f.name)).toContain('no-login-7d');
  });
});
