import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inWindow, localTime, nextSendTime, zonedInstant, type SendWindow } from '../../functions/core/email/window.ts';

const WORKDAYS: SendWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], startHour: 9, endHour: 17 };
// Zones with DST both ways, half-hour and 45-minute offsets, the date line, and no DST at all.
const ZONES = [
  'UTC',
  'Europe/Paris',
  'America/New_York',
  'America/Santiago',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Apia',
];
const HOUR = 3_600_000;

const windows = fc
  .record({
    days: fc.uniqueArray(fc.constantFrom('sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' as const), { minLength: 1, maxLength: 7 }),
    startHour: fc.integer({ min: 0, max: 22 }),
    length: fc.integer({ min: 1, max: 12 }),
  })
  .map((w): SendWindow => ({ days: w.days, startHour: w.startHour, endHour: Math.min(24, w.startHour + w.length) }));
const instants = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) });

describe('send windows', () => {
  it('a time inside the window is sent now', () => {
    // Tuesday 10:30 in Paris (09:30 UTC in winter).
    const now = new Date('2026-01-06T09:30:00Z');
    expect(nextSendTime(now, 'Europe/Paris', WORKDAYS)).toEqual(now);
  });

  it('Friday evening waits for Monday 09:00 local', () => {
    expect(nextSendTime(new Date('2026-01-09T22:00:00Z'), 'America/New_York', WORKDAYS).toISOString()).toBe('2026-01-12T14:00:00.000Z');
  });

  it('early morning waits for 09:00 the same day, across the spring-forward change', () => {
    // 29 March 2026, clocks in Paris go from 02:00 to 03:00 (a Sunday); Monday 30 opens at 07:00 UTC.
    expect(nextSendTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Paris', WORKDAYS).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // Before the change (Friday 27 March, 05:00 UTC = 06:00 local) the window opens at 08:00 UTC.
    expect(nextSendTime(new Date('2026-03-27T05:00:00Z'), 'Europe/Paris', WORKDAYS).toISOString()).toBe('2026-03-27T08:00:00.000Z');
  });

  it('a wall-clock time that occurs twice (fall-back) is its first occurrence, and the window opens then', () => {
    // 28 October 2029, Paris goes from 03:00 CEST back to 02:00 CET: 02:00 local is 00:00Z, then again 01:00Z.
    expect(new Date(zonedInstant(2029, 10, 28, 2, 'Europe/Paris')).toISOString()).toBe('2029-10-28T00:00:00.000Z');
    const sunday2am = { days: ['sun' as const], startHour: 2, endHour: 3 };
    expect(nextSendTime(new Date(1887238800000), 'Europe/Paris', sunday2am).toISOString()).toBe('2029-10-28T00:00:00.000Z');
  });

  it('a wall-clock time that does not exist lands just after the gap', () => {
    // New York skips 02:00-03:00 on 8 March 2026.
    const at = zonedInstant(2026, 3, 8, 2, 'America/New_York');
    expect(localTime(at, 'America/New_York').hour).toBe(3);
  });

  it('property: the answer is never before now, always inside the window, and the earliest such minute', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), windows, (ms, zone, w) => {
        const now = new Date(ms);
        const until = nextSendTime(now, zone, w);
        expect(until.getTime()).toBeGreaterThanOrEqual(ms);
        expect(inWindow(until.getTime(), zone, w)).toBe(true);
        if (until.getTime() > ms) {
          // Nothing between now and then was open: check every half hour, and the minute before.
          for (let t = ms; t < until.getTime() - 60_000; t += HOUR / 2) expect(inWindow(t, zone, w), new Date(t).toISOString()).toBe(false);
          expect(inWindow(until.getTime() - 60_000, zone, w)).toBe(false);
          // At most a week and a day away.
          expect(until.getTime() - ms).toBeLessThanOrEqual(8 * 24 * HOUR);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('property: the opening is at the start hour on the local clock (or just after a DST gap)', () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), (ms, zone) => {
        const until = nextSendTime(new Date(ms), zone, WORKDAYS);
        if (until.getTime() === ms) return;
        const t = localTime(until.getTime(), zone);
        expect([t.hour, t.minute]).toEqual([9, 0]);
        expect(['mon', 'tue', 'wed', 'thu', 'fri']).toContain(t.weekday);
      }),
      { numRuns: 300 },
    );
  });
});
