import { DAY_MS } from './clock.ts';
import { FLAG_RULES } from './flags/rules.ts';
import { planOf, type Plan } from './plan.ts';
import type { Account, AccountNote, CsmTask, RunRecord, StoredScore } from './types.ts';

type HealthBand = 'green' | 'yellow' | 'red';

/**
 * The brief's account card (§8). Its TIER is the plan (`plan`); `tier` is only ever the health
 * model's named level, and `band` the health band green, yellow or red (docs/api.md "Names").
 */
export interface AccountCard {
  customer: { id: string; name: string };
  plan: Plan;
  healthScore: { score: number | null; tier: string | null; band: HealthBand | null; color: string | null };
  stage: 'Onboarding' | 'Adoption' | 'Retention' | 'Expansion' | 'At-Risk';
  lastContact: string | null;
  nextAction: string;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  notes: string[];
}

export interface CardThresholds {
  newAccountDays: number;
  renewalWithinDays: number;
}

const flagsOf = (score: StoredScore | undefined, kind: string) => Object.keys(score?.flags ?? {}).filter((f) => FLAG_RULES[f]?.kind === kind);
const daysUntil = (iso: string | undefined, now: Date) => (iso ? (Date.parse(iso) - now.getTime()) / DAY_MS : undefined);

const STAGE_NAMES: Record<NonNullable<Account['stage']>, AccountCard['stage']> = {
  onboarding: 'Onboarding',
  adoption: 'Adoption',
  retention: 'Retention',
  expansion: 'Expansion',
  'at-risk': 'At-Risk',
};

export function stageOf(
  account: Account,
  score: StoredScore | undefined,
  onboarding: RunRecord | undefined,
  now: Date,
  t: CardThresholds,
): AccountCard['stage'] {
  if (score?.band === 'red' || score?.tier === 'red' || flagsOf(score, 'risk').length > 0) return 'At-Risk';
  // The stage a play set (onboarding, adoption, retention...) stands unless the account is at risk now.
  if (account.stage) return STAGE_NAMES[account.stage];
  const age = (now.getTime() - Date.parse(account.startDate)) / DAY_MS;
  if (onboarding?.status === 'running' || age < t.newAccountDays) return 'Onboarding';
  if (flagsOf(score, 'expansion').length > 0) return 'Expansion';
  const renewal = daysUntil(account.renewalDate, now);
  if (renewal !== undefined && renewal >= 0 && renewal <= t.renewalWithinDays) return 'Retention';
  return 'Adoption';
}

/** The card reads an open task's status as of now (a snoozed task whose date passed is open again). */
const openNow = (t: CsmTask, now: Date) => t.status === 'open' || (t.status === 'snoozed' && (!t.snoozedUntil || Date.parse(t.snoozedUntil) <= now.getTime()));

/**
 * What happens next for the account: the earliest of its open tasks (a snoozed one waits) and
 * the next steps of its live plays (from the run records); else what its stage calls for. The one
 * place that reads run records and tasks for the card.
 */
export function nextAction(runs: RunRecord[], stage: AccountCard['stage'], account: Account, now: Date, tasks: CsmTask[] = []): string {
  const next = runs.filter((r) => (r.status === 'running' || r.status === 'paused') && r.next).sort((a, b) => a.next!.at.localeCompare(b.next!.at))[0];
  const task = tasks.filter((t) => openNow(t, now)).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id))[0];
  if (task && (!next || task.dueAt <= next.next!.at)) {
    const overdue = Date.parse(task.dueAt) < now.getTime();
    return `task: ${task.title} (${task.priority}, ${overdue ? 'overdue since' : 'due'} ${task.dueAt.slice(0, 10)}${task.owner ? `, ${task.owner}` : ', unassigned'})`;
  }
  if (next) return `${next.play} step ${next.next!.step} on ${next.next!.at.slice(0, 10)}${next.status === 'paused' ? ' (paused)' : ''}`;
  switch (stage) {
    case 'At-Risk':
      return 'reach the champion within 24 hours and agree a recovery plan';
    case 'Expansion':
      return 'start an expansion conversation';
    case 'Retention':
      return account.renewalDate ? `value review before the renewal on ${account.renewalDate.slice(0, 10)}` : 'value review with the champion';
    case 'Onboarding':
      return 'check first value is reached';
    default:
      return daysUntil(account.renewalDate, now) !== undefined
        ? `renewal on ${account.renewalDate!.slice(0, 10)}; keep adoption growing`
        : 'keep adoption growing';
  }
}

/** A note as one short line of the card. */
const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
};

const PRIORITY_ORDER: AccountCard['priority'][] = ['low', 'medium', 'high', 'urgent'];

/**
 * How soon the account needs a person: from its stage, health and renewal, raised by overdue open
 * tasks: an overdue urgent task makes it urgent, an overdue high one at least high, any other overdue task at least medium.
 */
export function priorityOf(
  stage: AccountCard['stage'],
  score: StoredScore | undefined,
  account: Account,
  now: Date,
  tasks: CsmTask[] = [],
): AccountCard['priority'] {
  const renewal = daysUntil(account.renewalDate, now);
  const renewsSoon = renewal !== undefined && renewal >= 0 && renewal <= 30;
  let base: AccountCard['priority'];
  if (stage === 'At-Risk') base = renewsSoon || (score?.score ?? 100) < 30 || account.paymentStatus === 'failed' ? 'urgent' : 'high';
  else if (renewsSoon || score?.tier === 'yellow' || stage === 'Expansion') base = 'medium';
  else base = 'low';
  const overdue = tasks.filter((t) => openNow(t, now) && Date.parse(t.dueAt) < now.getTime());
  const raised = overdue.map((t): AccountCard['priority'] => (t.priority === 'urgent' ? 'urgent' : t.priority === 'high' ? 'high' : 'medium'));
  return [base, ...raised].reduce((a, b) => (PRIORITY_ORDER.indexOf(b) > PRIORITY_ORDER.indexOf(a) ? b : a));
}

/** The last time Tend reached the account: the latest step in which a play sent an email. */
export function lastContactOf(runs: RunRecord[]): string | null {
  const sent = runs
    .flatMap((r) => Object.values(r.steps ?? {}))
    .filter((s) => s.actions?.some((a) => a.kind === 'email' && a.outcome === 'sent'))
    .map((s) => s.at);
  return sent.sort().at(-1) ?? null;
}

export function accountCard(input: {
  account: Account;
  score: StoredScore | undefined;
  runs: RunRecord[];
  /** The account's tasks: the earliest open one can be the next action, overdue ones raise the priority. */
  tasks?: CsmTask[];
  /** Pinned notes lead the card's NOTES (the latest first). */
  pinnedNotes?: AccountNote[];
  now: Date;
  thresholds: CardThresholds;
  onboardingPlay: string;
}): AccountCard {
  const { account, score, runs, now, tasks = [] } = input;
  const stage = stageOf(
    account,
    score,
    runs.find((r) => r.play === input.onboardingPlay),
    now,
    input.thresholds,
  );
  const flags = Object.keys(score?.flags ?? {});
  // A reason the score gives for a signal an active flag already says is left out ("payment is
  // late or failed" says what "payment status late" would), and each line is said once.
  const covered = new Set(flags.flatMap((f) => FLAG_RULES[f]?.covers ?? []));
  const notes = [
    ...new Set([
      ...(input.pinnedNotes ?? []).map((n) => `pinned: ${oneLine(n.text)} (${n.author})`),
      ...flags.map((f) => FLAG_RULES[f]?.describe ?? f),
      ...(score?.driversDown ?? [])
        .filter((d) => !covered.has(d.signal))
        .slice(0, 2)
        .map((d) => d.text),
      ...(score ? [] : ['not scored yet']),
    ]),
  ];
  return {
    customer: { id: account.id, name: account.name },
    plan: planOf(account),
    healthScore: { score: score?.score ?? null, tier: score?.tier ?? null, band: score?.band ?? null, color: score?.color ?? null },
    stage,
    lastContact: lastContactOf(runs),
    nextAction: nextAction(runs, stage, account, now, tasks),
    priority: priorityOf(stage, score, account, now, tasks),
    notes,
  };
}

/** The card as the brief writes it: one `FIELD: value` line each. */
export function cardText(card: AccountCard): string {
  const { score, tier, band } = card.healthScore;
  // The model's level, and the band when it says something the level does not (`at risk, yellow`).
  const health = score === null ? 'not scored yet' : `${score} (${[tier, band !== tier ? band : null].filter(Boolean).join(', ')})`;
  return (
    [
      `CUSTOMER: ${card.customer.name} (${card.customer.id})`,
      `PLAN: ${card.plan}`,
      `HEALTH_SCORE: ${health}`,
      `STAGE: ${card.stage}`,
      `LAST_CONTACT: ${card.lastContact?.slice(0, 10) ?? 'none yet'}`,
      `NEXT_ACTION: ${card.nextAction}`,
      `PRIORITY: ${card.priority}`,
      `NOTES: ${card.notes.join('; ') || '-'}`,
    ].join('\n') + '\n'
  );
}
