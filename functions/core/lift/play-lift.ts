import { DAY_MS, dayOf } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { noEmailCounts, type EmailCounts } from '../metrics/email-outcomes.ts';
import { stateAt } from '../metrics/revenue.ts';
import type { PlayDefinition } from '../plays/definition.ts';
import type { AccountRepo, HoldoutEnd, HoldoutRepo, RevenueRepo, RunRepo, ScoreRepo, VariantEmailCounts } from '../ports.ts';
import { arrHistoryOf, revenueHistory } from '../revenue-history.ts';
import type { RunRecord } from '../types.ts';
import { observe, type Observation, type RunFacts } from './observations.ts';
import { liftOutcomes, type OutcomeLift } from './report.ts';
import { playById } from '../plays/play-by-id.ts';
import { MAX_RUNS_READ, newestRuns } from '../plays/newest-runs.ts';

export interface LiftDeps {
  clock: { now(): Date };
  plays: Record<string, PlayDefinition>;
  runs: Pick<RunRepo, 'listByPlay'>;
  accounts: Pick<AccountRepo, 'read'>;
  revenue: Pick<RevenueRepo, 'points'>;
  scores: Pick<ScoreRepo, 'get'>;
  holdouts: Pick<HoldoutRepo, 'ended'>;
  variantEmail?: VariantEmailCounts;
}

/** Runs read for one answer at most: the route answers within API Gateway's 30 s (docs/holdouts.md, "Cost"). */
export const MAX_RUNS = MAX_RUNS_READ;
/** Without a holdout, per-variant churn still needs a window. */
const DEFAULT_DAYS = 90;

export interface VariantLift {
  step: string;
  template: string;
  /** Treated runs that drew this variant. */
  runs: number;
  ended: number;
  /** Ended runs by ending (`completed` or the exit reason). */
  endings: Record<string, number>;
  churned: { n: number; count: number; rate: number | null };
  /** Its sends' outcomes from the variant counters (all months the runs span). */
  email: EmailCounts;
}

export interface PlayLift {
  play: string;
  asOf: string;
  holdout: (NonNullable<PlayDefinition['holdout']> & { ended: HoldoutEnd | null }) | null;
  runs: { read: number; truncated: boolean; treated: number; heldOut: number; notRandomized: number };
  outcomes: OutcomeLift[];
  variants: VariantLift[];
}

/** What the lift needs of one account, read once however many runs it has. */
async function factsOf(deps: LiftDeps, accountId: string) {
  const [read, score, points] = await Promise.all([deps.accounts.read(accountId), deps.scores.get(accountId), deps.revenue.points(accountId)]);
  if (!read) return undefined;
  return { account: read.account, score, history: arrHistoryOf(accountId, revenueHistory(read.account, points, read.lastPoint)) };
}

function runFacts(run: RunRecord, loaded: Awaited<ReturnType<typeof factsOf>>, days: number, now: Date): RunFacts {
  const after = Date.parse(run.startedAt) + days * DAY_MS;
  if (!loaded || now.getTime() < after) return { run, account: loaded?.account };
  const day = dayOf(after);
  const scoreAfter = loaded.score?.recent?.find((d) => d.day === day)?.score ?? undefined;
  // The state in force at the end of that day: what the account pays N days on (0 once churned or in trial).
  const state = stateAt(loaded.history, dayOf(after + DAY_MS));
  return { run, account: loaded.account, scoreAfter: scoreAfter ?? undefined, arrAfter: state?.status === 'active' ? state.arr : 0 };
}

/**
 * A play's lift as of now (docs/holdouts.md): reads its runs (newest first, at most MAX_RUNS),
 * each account once (its item, score and revenue history), and the variant counters.
 */
export async function playLift(deps: LiftDeps, playId: string): Promise<PlayLift> {
  const play = playById(deps.plays, playId);
  if (!play) throw new NotFoundError(`play "${playId}" is not configured; plays: ${Object.keys(deps.plays).join(', ')}`);
  const now = deps.clock.now();
  const days = play.holdout?.days ?? DEFAULT_DAYS;
  const { runs, truncated } = await newestRuns(deps.runs, play.id, MAX_RUNS);

  const accounts = new Map<string, Awaited<ReturnType<typeof factsOf>>>();
  const ids = [...new Set(runs.map((r) => r.accountId))];
  // 25 accounts at a time: a steady request rate, not a burst of thousands.
  for (let i = 0; i < ids.length; i += 25) {
    const batch = ids.slice(i, i + 25);
    const loaded = await Promise.all(batch.map((id) => factsOf(deps, id)));
    batch.forEach((id, j) => accounts.set(id, loaded[j]));
  }
  const facts = runs.map((run) => runFacts(run, accounts.get(run.accountId), days, now));
  const observations = facts.map((f) => observe(f, days, now)).filter((o): o is Observation => o !== undefined);

  const ended = play.holdout ? ((await deps.holdouts.ended(play.id)) ?? null) : null;
  const months = monthsOf(runs, now);
  const email = deps.variantEmail && runs.some((r) => r.variants) ? await deps.variantEmail.read(play.id, months) : {};
  return {
    play: play.id,
    asOf: now.toISOString(),
    holdout: play.holdout ? { ...play.holdout, ended } : null,
    runs: {
      read: runs.length,
      truncated,
      treated: observations.filter((o) => o.group === 'treated').length,
      heldOut: observations.filter((o) => o.group === 'held-out').length,
      notRandomized: runs.length - observations.length,
    },
    outcomes: play.holdout ? liftOutcomes(observations, play.holdout, ['completed', ...play.exitWhen.map((e) => e.reason)]) : [],
    variants: variantLifts(facts, days, now, email),
  };
}

/** The months from the oldest run read to now: where its sends' variant counters are. */
function monthsOf(runs: RunRecord[], now: Date): string[] {
  if (!runs.length) return [];
  const first = runs.reduce((m, r) => (r.startedAt < m ? r.startedAt : m), runs[0]!.startedAt).slice(0, 7);
  const out: string[] = [];
  for (
    let [y, m] = first.split('-').map(Number) as [number, number];
    `${y}-${String(m).padStart(2, '0')}` <= now.toISOString().slice(0, 7);
    m === 12 ? (y++, (m = 1)) : m++
  )
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
}

/** Per variant: the play's outcome over the treated runs that drew it (randomized or not: variants are drawn for every treated run). */
function variantLifts(facts: RunFacts[], days: number, now: Date, email: Record<string, EmailCounts>): VariantLift[] {
  const out = new Map<string, VariantLift>();
  for (const f of facts) {
    if (!f.run.variants || f.run.assignment?.group === 'held-out') continue;
    for (const [key, template] of Object.entries(f.run.variants)) {
      const step = key.slice(0, key.indexOf(':'));
      const v = out.get(`${step}/${template}`) ?? {
        step,
        template,
        runs: 0,
        ended: 0,
        endings: {},
        churned: { n: 0, count: 0, rate: null },
        email: email[`${step}/${template}`] ?? noEmailCounts(),
      };
      v.runs++;
      const ending = f.run.status === 'completed' ? 'completed' : f.run.status === 'exited' ? (f.run.reason ?? 'exited') : undefined;
      if (ending) {
        v.ended++;
        v.endings[ending] = (v.endings[ending] ?? 0) + 1;
      }
      const start = Date.parse(f.run.startedAt);
      const churnedAt = f.account?.churnedAt ? Date.parse(f.account.churnedAt) : undefined;
      const churned = churnedAt !== undefined && churnedAt >= start && churnedAt <= start + days * DAY_MS;
      if (churned || now.getTime() >= start + days * DAY_MS) {
        v.churned.n++;
        if (churned) v.churned.count++;
        v.churned.rate = Math.round((v.churned.count / v.churned.n) * 10_000) / 10_000;
      }
      out.set(`${step}/${template}`, v);
    }
  }
  return [...out.values()].sort((a, b) => `${a.step}/${a.template}`.localeCompare(`${b.step}/${b.template}`));
}
