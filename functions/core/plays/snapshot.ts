import { DAY_MS, dayOf, type Clock } from '../clock.ts';
import { emailUsageFrom, type LoadedUsage } from '../email/context.ts';
import { NotFoundError } from '../errors.ts';
import { firstValueReached, type FirstValueCriteria } from '../first-value.ts';
import type { AccountRepo, RunRef, ScoreRepo, UsageRepo } from '../ports.ts';
import type { Account, Contact, RunRecord, StoredScore, UsageDay } from '../types.ts';
import { bandOf } from '../score/compute.ts';
import { summariseUsage, WINDOW_DAYS } from '../score/derive.ts';
import type { ScoreModel } from '../score/model.ts';
import type { TemplateLibrary } from '../templates/render.ts';
import { readsUsage, type AccountSnapshot } from './conditions.ts';
import { asList } from './as-list.ts';
import type { PlayAction, PlayDefinition, PlayStep } from './definition.ts';

// Kept importable from here for callers written before first value got its own module.
export { firstValueReached, type FirstValueCriteria } from '../first-value.ts';

export interface SnapshotDeps {
  clock: Clock;
  accounts: AccountRepo;
  usage: UsageRepo;
  scores: ScoreRepo;
  features: string[];
  modelFor: (segment: string) => ScoreModel;
  firstValue: FirstValueCriteria;
  templates: TemplateLibrary;
}

/** What a step reads of its score: its band, its recent daily scores and its flags. */
type StepScore = Pick<StoredScore, 'score' | 'band' | 'recent' | 'flags'>;

/** A step's run, account and score read together (functions/data/step-items.ts: one request for the three). */
export interface StepItems {
  get(ref: RunRef): Promise<{ run?: RunRecord; account?: Account; score?: StepScore }>;
  /** A run's first task: the account and the play's live-run lock, in one read. Optional (the account read alone, the lock claimed). */
  forBegin?(accountId: string, play: string): Promise<{ account?: Account; lock?: { executionName: string; cycle: string } }>;
}

/** What a step loaded: the snapshot its conditions read (with the account), and the usage window its emails reuse. */
export interface LoadedStep {
  snapshot: AccountSnapshot;
  usage: LoadedUsage;
  /** The account's people, when read with the usage (`loadSnapshot`'s `people`): its emails need not list them again. */
  people?: Contact[];
}

/** Every action a step may take, whichever option or branch runs (its emails decide how much usage to load). */
function possibleActions(step: PlayStep): PlayAction[] {
  return [
    ...asList(step.do),
    ...(step.choose ?? []).flatMap((o) => asList(o.do)),
    ...asList(step.highTouch),
    ...asList(step.watch?.escalate),
    ...asList(step.watch?.giveUp),
  ];
}

/**
 * The first usage day a step needs: the snapshot's 30-day window, 60 days when it may send an
 * email, a year when one of its templates quotes the year. One Query reads the largest.
 */
export function usageFromFor(step: PlayStep, templates: TemplateLibrary, now: Date): string {
  const snapshotFrom = dayOf(now.getTime() - WINDOW_DAYS * DAY_MS);
  const emails = possibleActions(step).filter((a): a is Extract<PlayAction, { email: string }> => 'email' in a);
  if (emails.length === 0) return snapshotFrom;
  const withYear = emails.some((e) => templates.get(e.email)?.needs.includes('year'));
  const emailFrom = emailUsageFrom(now, withYear);
  return emailFrom < snapshotFrom ? emailFrom : snapshotFrom;
}

/** Whether any of a step's actions, whichever runs, is an email. */
export const stepMayEmail = (step: PlayStep) => possibleActions(step).some((a) => 'email' in a);

/**
 * Whether a step reads usage whatever the account: one of its emails quotes it, or a condition it
 * checks (its own, its options', its play's exits) does. A step that does not reads usage only for
 * an account without first value (`recordFirstValue` looks whether it is reached now).
 */
export function stepReadsUsage(play: Pick<PlayDefinition, 'exitWhen'>, step: PlayStep): boolean {
  if (stepMayEmail(step)) return true;
  return [step.when, step.waitFor?.until, ...(step.choose ?? []).map((o) => o.when), ...play.exitWhen.map((e) => e.when)].some(readsUsage);
}

/**
 * The account as a step sees it when it is due: read then, never when the run started. One
 * account read, one score read and one usage Query (from `usageFrom`, the step's largest need);
 * it writes nothing (first value is recorded by `recordFirstValue`, from what this loaded).
 */
export async function loadSnapshot(
  deps: SnapshotDeps,
  accountId: string,
  cycle: string,
  usageFrom?: string,
  /** The account and score when the caller read them already (with its run: `StepItems`). */
  read?: { account?: Account; score?: StepScore },
  wanted: {
    /**
     * `unless-activated`: the step reads no usage itself (`stepReadsUsage` is false), so an account
     * with first value recorded is not queried (its summary is of no days, and nothing reads it).
     */
    usage?: 'always' | 'unless-activated';
    /** The account's people too, in the usage Query (a step that may email: its recipients), when the repository can. */
    people?: boolean;
  } = {},
): Promise<LoadedStep> {
  const now = deps.clock.now();
  const from = usageFrom ?? dayOf(now.getTime() - WINDOW_DAYS * DAY_MS);
  const withPeople = wanted.people ? deps.usage.daysWithPeople?.bind(deps.usage) : undefined;
  const query = async (): Promise<{ days: UsageDay[]; people?: Contact[] }> =>
    withPeople ? withPeople(accountId, from, dayOf(now)) : { days: await deps.usage.days(accountId, from, dayOf(now)) };
  const [account, score, queried] = await Promise.all([
    read ? read.account : deps.accounts.get(accountId),
    read ? read.score : deps.scores.get(accountId),
    wanted.usage !== 'unless-activated' ? query() : undefined,
  ]);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);
  const { days, people } = queried ?? (account.milestones?.firstValue ? { days: [] } : await query());
  // summariseUsage keeps its own 30-day window out of the larger one.
  const usage = summariseUsage(account, days, deps.features, now);
  const model = deps.modelFor(account.segment);
  const snapshot: AccountSnapshot = {
    account,
    now,
    band: score ? (score.band ?? bandOf(model, score.score)) : null,
    recentBands: (score?.recent ?? []).map((d) => ({ day: d.day, band: bandOf(model, d.score) })),
    flags: Object.keys(score?.flags ?? {}),
    usage,
    activated: !!account.milestones?.firstValue || firstValueReached(usage, deps.firstValue),
    cycle,
  };
  return { snapshot, usage: { from, days }, ...(people ? { people } : {}) };
}
