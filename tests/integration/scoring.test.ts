import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { readHistory } from '../../cli/score/history.ts';
import { backtest } from '../../functions/core/score/backtest.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { dailyUsage } from '../support/daily-usage.ts';

const DAY = 86_400_000;
const start = Date.parse('2026-04-06T00:00:00Z');

describe('daily scoring on the local runtime', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true, schedules: true });
  });
  afterAll(() => rt?.stop());

  /** Moves the paused clock to a day's 07:00, after the 06:00 scoring run, and lets the work finish. */
  async function morningOf(day: number) {
    for (let d = 0; d <= day; d++) {
      rt.clock.advanceTo(start + d * DAY + 7 * 3_600_000);
      await rt.idle();
    }
  }

  it('scores every morning and shows the trend: falling fast once usage stops', async () => {
    const accounts = ['busy', 'quitting'];
    for (const id of accounts) {
      await rt.request('POST', '/v1/accounts', {
        id,
        name: id,
        seats: 4,
        arr: 8000,
        paymentStatus: 'current',
        startDate: new Date(start).toISOString(),
        primaryContact: { email: `cs@${id}.example` },
      });
    }
    const events = (id: string, fromDay: number, toDay: number) => dailyUsage(id, start, fromDay, toDay);
    // Both accounts use the product fully for two weeks; then one stops.
    await rt.request('POST', '/v1/events', { events: [...events('busy', 0, 27), ...events('quitting', 0, 13)] });

    await morningOf(14);
    const before = await rt.request('GET', '/v1/accounts/quitting');
    await morningOf(27);
    const busy = await rt.request('GET', '/v1/accounts/busy');
    const quitting = await rt.request('GET', '/v1/accounts/quitting');

    expect(busy.body?.health.trend).toMatchObject({ fallingFast: false });
    expect(busy.body?.health.trend.change7d).toBeGreaterThanOrEqual(0);
    expect(quitting.body?.health.score).toBeLessThan(before.body?.health.score);
    expect(quitting.body?.health.trend.change7d).toBeLessThanOrEqual(-10);
    expect(quitting.body?.health.trend.fallingFast).toBe(true);
    expect(quitting.body?.health.driversDown.join(' ')).toMatch(/logged in \d(\.\d)? days a week/);
    expect(rt.scheduler.schedules.find((s) => s.expression.startsWith('cron'))!.fired).toBe(28);

    // Flags: raised once when they start to hold, on Tend's bus, and shown on the account.
    const raised = (id: string) => rt.events.log.filter((e) => e.detail.accountId === id && e['detail-type'] === 'flag.started').map((e) => e.detail.flag);
    expect(raised('quitting')).toEqual(expect.arrayContaining(['no-login-7d', 'usage-drop', 'falling-fast']));
    expect(new Set(raised('quitting')).size).toBe(raised('quitting').length);
    expect(raised('busy')).not.toContain('no-login-7d');
    expect(quitting.body?.health.flags.map((f: { name: string }) => f.name)).toContain('no-login-7d');
    expect(rt.events.log.every((e) => e.source === 'tend' && e.bus.includes('Events'))).toBe(true);
    for (const e of rt.events.log.filter((x) => x['detail-type'] === 'tier.changed')) expect(e.detail.from).not.toBe(e.detail.to);

    // The stored history backtests: one daily score per account and day, re-scored under another preset.
    const history = await readHistory(rt.dynamo.client, rt.tableName);
    expect(history.filter((h) => h.accountId === 'busy').map((h) => h.day)).toHaveLength(28);
    expect(history.every((h) => h.segment === 'tech-touch' && typeof h.signals.loginDaysPerWeek === 'number')).toBe(true);
    const same = backtest(history, modelResolver('seed-002'));
    expect(same.changes).toEqual([]);
    const other = backtest(history, modelResolver('seed-004'));
    expect(other.accounts).toBe(2);
    expect(Object.values(other.latest.candidate).reduce((a, b) => a + b, 0)).toBe(2);
  });
});
