import { DAY_MS } from '../clock.ts';
import type { Survey, Ticket } from '../types.ts';

/** How long an answer speaks for an account: a six-month-old NPS still counts, an older one does not. */
export const NPS_DAYS = 180;
export const CSAT_DAYS = 90;
export const FEEDBACK_DAYS = NPS_DAYS;

const within = (at: string, now: Date, days: number) => now.getTime() - new Date(at).getTime() <= days * DAY_MS && new Date(at).getTime() <= now.getTime();
const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : undefined);

/** Sentiment signals and facts from survey answers and support tickets. */
export function feedbackFacts(surveys: Survey[], tickets: Ticket[], now: Date) {
  const nps = surveys.filter((s) => s.kind === 'nps' && within(s.answeredAt, now, NPS_DAYS)).sort((a, b) => a.answeredAt.localeCompare(b.answeredAt));
  const csat = surveys.filter((s) => s.kind === 'csat' && within(s.answeredAt, now, CSAT_DAYS));
  const opened = (days: number) => tickets.filter((t) => within(t.openedAt, now, days));
  const latestNps = nps[nps.length - 1]?.score;
  return {
    signals: {
      nps: latestNps,
      csat: mean(csat.map((s) => s.score)),
      ticketsLast30Days: opened(30).length,
      ticketSentiment: mean(opened(90).flatMap((t) => (t.sentiment === undefined ? [] : [t.sentiment]))),
    },
    latestNps,
    ticketsLast7Days: opened(7).length,
    /** Open tickets of high or urgent priority: the "unresolved complaints" that block an upsell. */
    openComplaints: tickets.filter((t) => t.status !== 'closed' && (t.priority === 'high' || t.priority === 'urgent')).length,
  };
}
