import type { UsageEvent } from '../../../functions/core/types.ts';

/** A usage event of account `acme` on 2026-03-02, with what a test changes. */
export const usageEvent = (id: string, over: Partial<UsageEvent> = {}): UsageEvent => ({
  id,
  accountId: 'acme',
  userId: 'u1',
  name: 'feature_used',
  timestamp: '2026-03-02T10:00:00Z',
  properties: { feature: 'reports' },
  ...over,
});
