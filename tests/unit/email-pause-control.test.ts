import { describe, expect, it } from 'vitest';
import { changePause, pauseActionSchema, pauseStatus, type PauseControlDeps } from '../../functions/core/email/pause-control.ts';
import { DEFAULT_PAUSE_POLICY, type ReputationDay, type SendingOverride } from '../../functions/core/email/reputation.ts';

const now = new Date('2026-03-09T12:00:00Z');

/** The reputation in memory: 1,000 sends and 50 bounces today (5%: paused by the rates). */
function deps(): PauseControlDeps & { stored: () => SendingOverride | undefined } {
  let override: SendingOverride | undefined;
  const days: ReputationDay[] = [{ day: '2026-03-09', sent: 1000, bounced: 50, complained: 0 }];
  return {
    policy: DEFAULT_PAUSE_POLICY,
    reputation: {
      days: async (wanted) => days.filter((d) => wanted.includes(d.day)),
      override: async () => override,
      setOverride: async (o) => void (override = o),
    },
    stored: () => override,
  };
}

describe('the pause control shared by `tend email` and /v1/email/pause', () => {
  it.each([
    [{ action: 'resume' }, { by: 'ops', until: '2026-03-10T12:00:00.000Z' }],
    [
      { action: 'resume', hours: 2 },
      { by: 'ops', until: '2026-03-09T14:00:00.000Z' },
    ],
    [
      { action: 'resume', hours: 168, by: 'pat' },
      { by: 'pat', until: '2026-03-16T12:00:00.000Z' },
    ],
    [{ action: 'cancel-resume' }, undefined],
  ] as const)('%j sets the override %j and the status follows', async (action, expected) => {
    const d = deps();
    expect((await pauseStatus(d, now)).state.paused).toBe(true);
    const override = await changePause(d, pauseActionSchema.parse(action), 'ops', now);
    expect(override).toEqual(expected && { ...expected, at: now.toISOString() });
    expect(d.stored()).toEqual(override);
    expect((await pauseStatus(d, now)).state.paused).toBe(expected === undefined);
  });

  it.each([
    { action: 'resume', hours: 0 },
    { action: 'resume', hours: 169 },
    { action: 'resume', hours: 1.5 },
    { action: 'resume', by: '' },
    { action: 'stop' },
    {},
  ])('refuses %j', (action) => expect(pauseActionSchema.safeParse(action).success).toBe(false));
});
