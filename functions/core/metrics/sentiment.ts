import { ratio, within, type Period } from './period.ts';
import type { Survey } from '../types.ts';

export interface NpsFigures {
  /** Promoters' share minus detractors' share, in points (-100 to 100); null without answers. */
  nps: number | null;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  accounts: { promoters: string[]; detractors: string[] };
}

/**
 * NPS over the answers given in the period: 9-10 promote, 0-6 detract. A person who answered
 * twice counts once, by their latest answer; answers without an email count each.
 */
export function nps(surveys: Survey[], period: Period): NpsFigures {
  const latest = new Map<string, Survey>();
  for (const s of surveys) {
    if (s.kind !== 'nps' || !within(s.answeredAt, period)) continue;
    const who = s.contactEmail ? `${s.accountId}\u0000${s.contactEmail.toLowerCase()}` : `\u0001${s.accountId}\u0000${s.id}`;
    const seen = latest.get(who);
    if (!seen || seen.answeredAt < s.answeredAt) latest.set(who, s);
  }
  const answers = [...latest.values()];
  const promoters = answers.filter((s) => s.score >= 9);
  const detractors = answers.filter((s) => s.score <= 6);
  const share = (n: number) => ratio(n, answers.length);
  return {
    nps: answers.length ? 100 * (share(promoters.length)! - share(detractors.length)!) : null,
    responses: answers.length,
    promoters: promoters.length,
    passives: answers.length - promoters.length - detractors.length,
    detractors: detractors.length,
    accounts: { promoters: [...new Set(promoters.map((s) => s.accountId))], detractors: [...new Set(detractors.map((s) => s.accountId))] },
  };
}

export interface CsatFigures {
  /** Mean score (1-5); null without answers. */
  average: number | null;
  /** Share of answers scoring 4 or 5. */
  satisfied: number | null;
  responses: number;
  accounts: { dissatisfied: string[] };
}

/** CSAT over the answers given in the period; each answer counts (CSAT rates an interaction, not a person). */
export function csat(surveys: Survey[], period: Period): CsatFigures {
  const answers = surveys.filter((s) => s.kind === 'csat' && within(s.answeredAt, period));
  return {
    average: answers.length ? answers.reduce((t, s) => t + s.score, 0) / answers.length : null,
    satisfied: ratio(answers.filter((s) => s.score >= 4).length, answers.length),
    responses: answers.length,
    accounts: { dissatisfied: [...new Set(answers.filter((s) => s.score <= 2).map((s) => s.accountId))] },
  };
}
