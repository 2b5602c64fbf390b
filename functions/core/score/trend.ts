import { DAY_MS, dayOf } from '../clock.ts';

export interface DailyScore {
  day: string;
  score: number;
}

export interface Trend {
  /** Points gained (positive) or lost since the score 7 and 30 days ago; null without a score then. */
  change7d: number | null;
  change30d: number | null;
  /** Lost at least `fallingFastPoints` in 7 days: a warning even while the tier is still green. */
  fallingFast: boolean;
}

/** Days of daily scores kept: 30 for the monthly change, plus slack for missed runs. */
export const TREND_DAYS = 35;

/** The last TREND_DAYS days of daily scores, with today's replacing any earlier score of today. */
export function recordDaily(recent: DailyScore[] | undefined, today: DailyScore): DailyScore[] {
  const oldest = dayOf(new Date(`${today.day}T00:00:00Z`).getTime() - (TREND_DAYS - 1) * DAY_MS);
  return [...(recent ?? []).filter((d) => d.day >= oldest && d.day < today.day), today].sort((a, b) => a.day.localeCompare(b.day));
}

/** The score on a day, or the last one before it (a missed run should not erase the trend). */
function scoreOnOrBefore(recent: DailyScore[], day: string, notBefore: string): number | null {
  const earlier = recent.filter((d) => d.day <= day && d.day >= notBefore);
  return earlier.length ? earlier[earlier.length - 1]!.score : null;
}

export function trendOf(recent: DailyScore[], today: DailyScore, fallingFastPoints: number): Trend {
  const t = new Date(`${today.day}T00:00:00Z`).getTime();
  const back = (days: number, slack: number) => scoreOnOrBefore(recent, dayOf(t - days * DAY_MS), dayOf(t - (days + slack) * DAY_MS));
  const week = back(7, 2);
  const month = back(30, 3);
  const change7d = week === null ? null : today.score - week;
  return { change7d, change30d: month === null ? null : today.score - month, fallingFast: change7d !== null && change7d <= -fallingFastPoints };
}
