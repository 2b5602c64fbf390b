import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { clockRequestSchema, parseDuration } from '../../local/clock-control.ts';

const DAY = 86_400_000;

describe('parseDuration (tend clock step)', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['6h', 6 * 3_600_000],
    ['1d', DAY],
    ['2w', 14 * DAY],
    [' 3d ', 3 * DAY],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '1', 'd', '1y', '1.5d', '-1d', '1d12h', '1 d'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('POST /local/clock bodies', () => {
  it.each([{ set: '2026-03-01' }, { set: '2026-03-01T09:00:00Z' }, { step: '1d' }, { pause: true }, { resume: true }, { speed: 3600 }])('takes %j', (body) =>
    expect(clockRequestSchema.safeParse(body).success).toBe(true),
  );

  it.each([
    [{}, 'body'],
    [{ step: '1d', pause: true }, 'body'],
    [{ jump: '1d' }, 'jump'],
    [{ set: 'tomorrow' }, 'set'],
    [{ set: '2026-03-01T09:00:00' }, 'set'],
    [{ step: '1y' }, 'step'],
    [{ speed: 0 }, 'speed'],
    [{ pause: false }, 'pause'],
  ])('refuses %j, naming %s', (body, field) => {
    const parsed = clockRequestSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    const named = parsed.error!.issues.map((i) => (i.code === 'unrecognized_keys' ? i.keys[0] : i.path.join('.') || 'body'));
    expect(named).toContain(field);
  });
});

describe('VirtualClock.nextWake', () => {
  it('is the earliest moment a sleeper waits for, and forgets sleepers once woken or aborted', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'), 1);
    clock.pause();
    const t0 = clock.nowMs();
    expect(clock.nextWake()).toBeUndefined();
    const stop = new AbortController();
    const late = clock.sleepUntil(t0 + 3 * DAY);
    const early = clock.sleepUntil(t0 + DAY);
    const aborted = clock.sleepUntil(t0 + DAY / 2, stop.signal);
    expect(clock.nextWake()).toBe(t0 + DAY / 2);
    stop.abort();
    await aborted;
    expect(clock.nextWake()).toBe(t0 + DAY);
    clock.advanceTo(t0 + DAY);
    await early;
    expect(clock.nextWake()).toBe(t0 + 3 * DAY);
    clock.advanceTo(t0 + 3 * DAY);
    await late;
    expect(clock.nextWake()).toBeUndefined();
  });
});
