import { describe, expect, it } from 'vitest';
import { SettlePulse } from '../../local/settle-pulse.ts';

describe('SettlePulse', () => {
  it('wakes every waiter at the next fire, long before the safety net', async () => {
    const pulse = new SettlePulse();
    const started = performance.now();
    const woke: number[] = [];
    const waits = [1, 2, 3].map((n) => pulse.next(60_000).then(() => woke.push(n)));
    expect(woke).toEqual([]);
    pulse.fire();
    await Promise.all(waits);
    expect(woke).toEqual([1, 2, 3]);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('wakes a waiter after its safety net when nothing fires, and a later fire finds no stale waiter', async () => {
    const pulse = new SettlePulse();
    let woke = 0;
    await pulse.next(5).then(() => woke++);
    expect(woke).toBe(1);
    // The timed-out waiter left the set: a fire now wakes only the new one, once.
    let later = 0;
    const wait = pulse.next(60_000).then(() => later++);
    pulse.fire();
    pulse.fire();
    await wait;
    expect(later).toBe(1);
    expect(woke).toBe(1);
  });

  it('a fire with nobody waiting is remembered by no one: the next wait waits for the next fire', async () => {
    const pulse = new SettlePulse();
    pulse.fire();
    let woke = false;
    const wait = pulse.next(60_000).then(() => (woke = true));
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    pulse.fire();
    await wait;
    expect(woke).toBe(true);
  });
});
