import { describe, expect, it } from 'vitest';
import { emailEngagement } from '../../functions/core/score/email-engagement.ts';
import { deriveSignals } from '../../functions/core/score/derive.ts';
import type { Account, UsageDay } from '../../functions/core/types.ts';

const day = (d: string, e: Partial<UsageDay>): UsageDay => ({ day: d, users: [], features: [], userFeatures: [], ...e });

describe('email engagement signal', () => {
  it('is the share of sent emails opened or clicked, each message once', () => {
    const days = [
      day('2026-03-01', { emailsSent: ['m1', 'm2'], emailsOpened: ['m1'] }),
      day('2026-03-08', { emailsSent: ['m3', 'm4'], emailsOpened: ['m1', 'm3'], emailsClicked: ['m3'] }),
    ];
    expect(emailEngagement(days)).toBe(0.5);
  });

  it('ignores opens of emails sent before the window, and is missing with too few emails', () => {
    expect(emailEngagement([day('2026-03-01', { emailsSent: ['m1', 'm2', 'm3'], emailsOpened: ['old'] })])).toBe(0);
    expect(emailEngagement([day('2026-03-01', { emailsSent: ['m1', 'm2'], emailsOpened: ['m1'] })])).toBeUndefined();
  });

  it('feeds deriveSignals from the usage days', () => {
    const account = { id: 'a', seats: 5, startDate: '2026-01-01T00:00:00Z' } as Account;
    const days = [day('2026-03-10', { users: ['u1'], emailsSent: ['m1', 'm2', 'm3', 'm4'], emailsClicked: ['m2'] })];
    expect(deriveSignals(account, days, ['reports'], new Date('2026-03-20T06:00:00Z')).emailEngagement).toBe(0.25);
    expect(deriveSignals(account, [day('2026-03-10', { users: ['u1'] })], ['reports'], new Date('2026-03-20T06:00:00Z')).emailEngagement).toBeUndefined();
  });
});
