import { describe, expect, it } from 'vitest';
import { feedbackFacts } from '../../functions/core/score/feedback.ts';
import type { Survey, Ticket } from '../../functions/core/types.ts';

const now = new Date('2026-06-30T06:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const survey = (kind: 'nps' | 'csat', score: number, days: number): Survey => ({ id: `${kind}-${days}`, accountId: 'a', kind, score, answeredAt: ago(days) });
const ticket = (days: number, over: Partial<Ticket> = {}): Ticket => ({
  id: `t-${days}-${over.priority ?? ''}`,
  accountId: 'a',
  status: 'closed',
  priority: 'normal',
  openedAt: ago(days),
  ...over,
});

describe('feedback signals', () => {
  it('takes the latest NPS of six months, the CSAT mean of three, and counts tickets by window', () => {
    const f = feedbackFacts(
      [survey('nps', 3, 200), survey('nps', 9, 100), survey('nps', 7, 20), survey('csat', 5, 10), survey('csat', 3, 80), survey('csat', 1, 120)],
      [
        ticket(2, { sentiment: -0.5 }),
        ticket(5, { sentiment: 0.1 }),
        ticket(20),
        ticket(60, { sentiment: 0.9 }),
        ticket(100),
        ticket(3, { status: 'open', priority: 'urgent' }),
      ],
      now,
    );
    expect(f.signals).toEqual({ nps: 7, csat: 4, ticketsLast30Days: 4, ticketSentiment: (-0.5 + 0.1 + 0.9) / 3 });
    expect(f.latestNps).toBe(7);
    expect(f.ticketsLast7Days).toBe(3);
    expect(f.openComplaints).toBe(1);
  });

  it('leaves NPS and CSAT missing without answers, and counts no tickets as zero', () => {
    const f = feedbackFacts([], [], now);
    expect(f.signals).toEqual({ nps: undefined, csat: undefined, ticketsLast30Days: 0, ticketSentiment: undefined });
  });
});
