import { ValidationError } from '../errors.ts';
import { onboardingCompletion, ONBOARDING_PLAY, type OnboardingCompletion } from './activation.ts';
import { addEmailCounts, emailFigures, type EmailCounts, type EmailFigures } from './email-outcomes.ts';
import { periodOf, type Period } from './period.ts';
import { type OutcomeCounts, type OutcomeCut } from './outcome-cuts.ts';
import { addPlayCounts, playFigures, type PlayCounts, type PlayFigures } from './plays.ts';
import { outcomesQuerySchema, type OutcomesQuery } from './outcomes-query.ts';
export { outcomesQuerySchema, type OutcomesQuery };

/** At most three years of months in one request (36 partition reads). */
const MAX_MONTHS = 36;

/** The months a period is made of; outcome counts are kept by month, so the period must be whole months. */
export function wholeMonths(name: string): { period: Period; months: string[] } {
  const invalid = (message: string) => new ValidationError(`period: ${message}`, [{ field: 'period', message }]);
  let period: Period;
  try {
    period = periodOf(name);
  } catch (err) {
    throw invalid((err as Error).message);
  }
  if (!period.from.endsWith('-01') || !period.to.endsWith('-01')) throw invalid('outcomes are kept by month: the period must start and end on the 1st');
  const months: string[] = [];
  for (let m = period.from.slice(0, 7); m < period.to.slice(0, 7);) {
    months.push(m);
    if (months.length > MAX_MONTHS) throw invalid(`at most ${MAX_MONTHS} months`);
    const [y, mo] = m.split('-').map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  return { period, months };
}

export interface OutcomeFigures {
  period: Period;
  months: string[];
  plays: PlayFigures[];
  email: EmailFigures[];
  onboarding: OnboardingCompletion;
  /** With `cut`: the cut, and each group's figures (they add up to the whole, count by count). */
  cut?: OutcomeCut;
  groups?: Record<string, GroupOutcomeFigures>;
}

/** One group's figures: the whole book's, each play's `query` listing the group's runs. */
export interface GroupOutcomeFigures {
  plays: PlayFigures[];
  email: EmailFigures[];
  onboarding: OnboardingCompletion;
}

/** Months of counts, summed (every count is additive by month), into the period's figures. */
export function outcomeFigures(
  period: Period,
  months: string[],
  counts: { plays: Record<string, PlayCounts>[]; email: Record<string, EmailCounts>[] },
): OutcomeFigures {
  const plays: Record<string, PlayCounts> = {};
  for (const month of counts.plays) for (const [play, c] of Object.entries(month)) plays[play] = plays[play] ? addPlayCounts(plays[play], c) : c;
  const email: Record<string, EmailCounts> = {};
  for (const month of counts.email) for (const [t, c] of Object.entries(month)) email[t] = email[t] ? addEmailCounts(email[t], c) : c;
  const byName = <T>(r: Record<string, T>) => Object.entries(r).sort(([a], [b]) => a.localeCompare(b));
  return {
    period,
    months,
    plays: byName(plays).map(([play, c]) => playFigures(play, c)),
    email: byName(email).map(([t, c]) => emailFigures(t, c)),
    onboarding: onboardingCompletion(plays[ONBOARDING_PLAY]),
  };
}

/** Each group's figures for the period, from its counts month by month (`byMonth[i][group]`). */
export function groupOutcomeFigures(
  period: Period,
  months: string[],
  cut: OutcomeCut,
  byMonth: Record<string, OutcomeCounts>[],
): Record<string, GroupOutcomeFigures> {
  const names = [...new Set(byMonth.flatMap((m) => Object.keys(m)))].sort((a, b) => a.localeCompare(b));
  return Object.fromEntries(
    names.map((g) => {
      const f = outcomeFigures(period, months, { plays: byMonth.map((m) => m[g]?.plays ?? {}), email: byMonth.map((m) => m[g]?.email ?? {}) });
      // The runs that began in the group (runs from before groups were recorded are not listed: docs/metrics.md).
      const plays = f.plays.map((p) => (p.query ? { ...p, query: `${p.query}?${new URLSearchParams({ cut, group: g })}` } : p));
      return [g, { plays, email: f.email, onboarding: f.onboarding }];
    }),
  );
}
