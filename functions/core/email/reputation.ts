import { DAY_MS, dayOf } from '../clock.ts';
import type { ReputationRepo } from '../ports.ts';

/**
 * Tech-touch sending pauses itself before the SES account reaches the rates at which SES puts it
 * under review (docs/email.md, "Automatic pause"). The rates come from SES's own events, counted
 * per day as they arrive (functions/email-events): sends, hard bounces, complaints.
 */
export const SES_REVIEW = { bounce: 0.05, complaint: 0.001 } as const;

export interface PausePolicy {
  /** The fraction of SES's review thresholds at which sending pauses (0.8: bounce 4%, complaint 0.08%). */
  fraction: number;
  /** The rolling window, in days, the rates are computed over. */
  days: number;
  /** Below this many sends in the window the rates say too little to act on. */
  minSends: number;
}

export const DEFAULT_PAUSE_POLICY: PausePolicy = { fraction: 0.8, days: 7, minSends: 500 };

export function pausePolicy(config: { autoPause?: Partial<PausePolicy> } | undefined): PausePolicy {
  return { ...DEFAULT_PAUSE_POLICY, ...Object.fromEntries(Object.entries(config?.autoPause ?? {}).filter(([, v]) => v !== undefined)) };
}

export interface ReputationDay {
  day: string;
  sent: number;
  bounced: number;
  complained: number;
}

/** An operator's resume: sending goes on whatever the rates until `until`. */
export interface SendingOverride {
  until: string;
  by: string;
  at: string;
}

export type PauseState =
  | { paused: false; bounceRate: number; complaintRate: number; sent: number; detail?: string }
  | { paused: true; bounceRate: number; complaintRate: number; sent: number; reason: string };

/** The days (UTC) the window covers, oldest first, ending today. */
export function windowDays(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) => dayOf(new Date(now.getTime() - (days - 1 - i) * DAY_MS)));
}

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;

/** Whether new sends wait, from the window's counters and an operator's override. Pure. */
export function pauseState(days: ReputationDay[], override: SendingOverride | undefined, now: Date, policy: PausePolicy = DEFAULT_PAUSE_POLICY): PauseState {
  const wanted = new Set(windowDays(now, policy.days));
  const inWindow = days.filter((d) => wanted.has(d.day));
  const sent = inWindow.reduce((n, d) => n + d.sent, 0);
  const bounced = inWindow.reduce((n, d) => n + d.bounced, 0);
  const complained = inWindow.reduce((n, d) => n + d.complained, 0);
  const bounceRate = sent ? bounced / sent : 0;
  const complaintRate = sent ? complained / sent : 0;
  const rates = { bounceRate, complaintRate, sent };
  if (sent < policy.minSends) return { paused: false, ...rates };
  const bounceLimit = SES_REVIEW.bounce * policy.fraction;
  const complaintLimit = SES_REVIEW.complaint * policy.fraction;
  // In counts, not ratios: 0.05 * 0.8 is 0.04000000000000001 in floating point, and 40 of 1000 must pause.
  const reached = (count: number, limit: number) => count >= limit * sent - 1e-9;
  const over = [
    reached(bounced, bounceLimit) ? `bounce rate ${pct(bounceRate)} (${bounced} of ${sent}) ≥ ${pct(bounceLimit)}` : undefined,
    reached(complained, complaintLimit) ? `complaint rate ${pct(complaintRate)} (${complained} of ${sent}) ≥ ${pct(complaintLimit)}` : undefined,
  ].filter((s): s is string => !!s);
  if (!over.length) return { paused: false, ...rates };
  if (override && override.until > now.toISOString())
    return { paused: false, ...rates, detail: `${over.join(' and ')}, but ${override.by} resumed sending until ${override.until}` };
  return {
    paused: true,
    ...rates,
    reason:
      `sending paused: ${over.join(' and ')} over the last ${policy.days} days, ${policy.fraction * 100}% of SES's review thresholds ` +
      `(bounce 5%, complaint 0.1%); resumes when the rate falls or an operator runs \`tend email resume\``,
  };
}

/** How long a paused send waits before it asks again. */
export const PAUSE_RECHECK_MS = 60 * 60_000;

/** What `deliver` asks before claiming a send. */
export interface SendingPause {
  state(now: Date): Promise<PauseState>;
}

/**
 * The pause state from the counters, read at most once a minute per container (the window's days and
 * the override, in one BatchGetItem when the repository reads them together): a send wave of
 * thousands reads them once.
 */
export function sendingPause(repo: Pick<ReputationRepo, 'days' | 'override' | 'window'>, policy: PausePolicy, cacheMs = 60_000): SendingPause {
  let cached: { at: number; state: PauseState } | undefined;
  return {
    async state(now) {
      if (cached && Math.abs(now.getTime() - cached.at) < cacheMs) return cached.state;
      const wanted = windowDays(now, policy.days);
      const { days, override } = repo.window
        ? await repo.window(wanted)
        : await Promise.all([repo.days(wanted), repo.override()]).then(([d, o]) => ({ days: d, override: o }));
      cached = { at: now.getTime(), state: pauseState(days, override, now, policy) };
      return cached.state;
    },
  };
}

/** An operator's resume for `hours` (at most a week): sending goes on whatever the rates until then; recorded with who did it. */
export function operatorOverride(by: string, hours: number, now: Date): SendingOverride {
  if (!Number.isFinite(hours) || hours <= 0 || hours > 168) throw new Error('a resume lasts from 1 to 168 hours');
  return { by, at: now.toISOString(), until: new Date(now.getTime() + hours * 3_600_000).toISOString() };
}
