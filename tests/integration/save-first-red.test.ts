import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-03-02T00:00:00Z');
const DAYS = 33;

/**
 * Accounts that start red (docs/plays.md): an imported customer red on its first score enters the
 * save play at once; a new account red from its first score is onboarding's for its 30-day grace,
 * then enters save on its first score past it if it never left red (unit cases: tests/unit/score-decide.test.ts).
 */
describe('save for accounts whose first score is red', () => {
  let rt: TestRuntime;
  /** The day (from the start) each account's first save run appeared. */
  const saveDay = new Map<string, number>();

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
    const post = async (path: string, body: unknown) => {
      const res = await rt.request('POST', path, body);
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const account = (id: string, startDate: number) =>
      post('/v1/accounts', { id, name: id, seats: 4, arr: 8_000, startDate: new Date(startDate).toISOString(), primaryContact: { email: `cs@${id}.example` } });
    await account('imported-red', start - 200 * DAY);
    await account('new-red', start);
    for (let d = 0; d <= DAYS; d++) {
      rt.clock.advanceTo(start + d * DAY + 7 * 3_600_000);
      await rt.idle();
      for (const e of rt.sfn.executions.values()) {
        const [play, ...rest] = e.name.split('-');
        const id = ['imported-red', 'new-red'].find((a) => rest.join('-').startsWith(`${a}-`));
        if (play === 'save' && id && !saveDay.has(id)) saveDay.set(id, d);
      }
    }
  }, 240_000);
  afterAll(() => rt?.stop());

  const firstScoreBand = async (id: string) => (await rt.request('GET', `/v1/accounts/${id}`)).body?.health;

  it('an imported customer red on its first score enters save on that first day', async () => {
    expect(saveDay.get('imported-red')).toBe(0);
    expect((await firstScoreBand('imported-red'))?.tier).toBe('red');
  });

  it('a new account red from its first score enters save when its onboarding grace ends, not before', async () => {
    // Created at the start, first scored red on day 0; its score on day 30 (06:00) is the first past 30 days.
    expect(saveDay.get('new-red')).toBe(30);
    const entered = rt.events.log.filter((e) => e['detail-type'] === 'tier.changed' && e.detail.accountId === 'new-red');
    expect(entered.map((e) => [e.time.slice(0, 10), e.detail.from, e.detail.band])).toEqual([
      [new Date(start + 30 * DAY).toISOString().slice(0, 10), null, 'red'],
    ]);
    const view = (await rt.request('GET', '/v1/accounts/new-red')).body!;
    expect(view.plays.map((p: { play: string }) => p.play)).toEqual(expect.arrayContaining(['onboarding', 'save']));
  });
});
