import { describe, expect, it } from 'vitest';
import type { CloudAssembly } from '../../local/assembly.ts';
import { VirtualClock } from '../../local/clock.ts';
import { LocalEventBridge, LOG_KEEP } from '../../local/eventbridge.ts';

/** A bus with no rules: what it keeps of the events put on it. */
const bus = () =>
  new LocalEventBridge(
    { resources: () => [] } as unknown as CloudAssembly,
    undefined as never,
    undefined as never,
    new VirtualClock(new Date('2026-01-05T00:00:00Z')),
  );

describe("LocalEventBridge's log is bounded by a count; observers see every event", () => {
  it.each([10, LOG_KEEP, 2 * LOG_KEEP + 5, 5 * LOG_KEEP])(
    '%i events put: the log keeps the newest (at most twice LOG_KEEP), `logged` and an observer count them all',
    (n) => {
      const events = bus();
      let seen = 0;
      events.observe(() => seen++);
      for (let i = 0; i < n; i++) events.put([{ Source: 'tend', DetailType: 'flag.started', Detail: JSON.stringify({ i }) }]);
      expect(events.logged).toBe(n);
      expect(seen).toBe(n);
      expect(events.log.length).toBeLessThan(2 * LOG_KEEP);
      expect(events.log.length).toBeGreaterThanOrEqual(Math.min(n, LOG_KEEP));
      expect(events.log.at(-1)!.detail.i).toBe(n - 1);
      expect(events.log[0]!.detail.i).toBe(n - events.log.length);
    },
  );

  it('an observer unsubscribed sees nothing more', () => {
    const events = bus();
    let seen = 0;
    const stop = events.observe(() => seen++);
    events.put([{ Source: 'tend', DetailType: 'x', Detail: '{}' }]);
    stop();
    events.put([{ Source: 'tend', DetailType: 'x', Detail: '{}' }]);
    expect(seen).toBe(1);
  });
});
