import { DAY_MS, type Clock } from '../clock.ts';
import type { DeliveryRequest, DeliveryResult, LoadedAccount } from '../email/deliver.ts';
import { fnv1a } from '../hash.ts';
import type { AccountRepo, Counter, Counters, EventPublisher, TaskRepo } from '../ports.ts';
import type { ActionOutcome } from '../types.ts';
import type { AccountSnapshot } from './conditions.ts';
import { holds } from './conditions.ts';
import type { LoadedStep } from './snapshot.ts';
import { asList } from './as-list.ts';
import type { PlayAction, PlayStep } from './definition.ts';
import { HeldOutLeakError, rehearse } from './held-out.ts';
import { pickVariant } from './holdout.ts';
import { outcomeGroupsOf } from '../metrics/outcome-cuts.ts';

/** Sends one email a step asks for (`deliver` of core/email/deliver.ts over its ports), reusing what the step loaded. */
export type EmailDelivery = (req: DeliveryRequest, loaded: LoadedAccount) => Promise<DeliveryResult>;

export interface ActionDeps {
  clock: Clock;
  /**
   * Email delivery, asked for by a step's first email: a Lambda builds it then (SES, the send ledger,
   * consent, templates), from a chunk of its own, so a step that sends none neither loads nor builds it.
   */
  emailDelivery: () => Promise<EmailDelivery>;
  accounts: Pick<AccountRepo, 'setStage'>;
  tasks: Pick<TaskRepo, 'create' | 'forAccount'>;
  events: EventPublisher;
  counters?: Counters;
}

// By outcome name, so an outcome added to delivery later is simply not counted until it is named here.
const COUNTED: Record<string, Counter | undefined> = { sent: 'EmailsSent', deferred: 'EmailsDeferred', skipped: 'EmailsSkipped', failed: 'EmailsFailed' };

/** `deliver`, its outcome counted (a duplicate was counted by the attempt that sent it; a throw is a failed send). */
async function deliverCounted(deps: ActionDeps, ...args: Parameters<EmailDelivery>) {
  try {
    const r = await (await deps.emailDelivery())(...args);
    const counted = COUNTED[r.outcome];
    if (counted) deps.counters?.count(counted);
    return r;
  } catch (err) {
    deps.counters?.count('EmailsFailed');
    throw err;
  }
}

type EmailAction = Extract<PlayAction, { email: string }>;
const isEmail = (a: PlayAction): a is EmailAction => 'email' in a;

/**
 * The actions a step takes for this account: its `do`, or the first `choose` option that
 * holds; for a high-touch account, emails give way to the step's `highTouch` actions (by
 * default a task to write that email personally): the brief's "the same triggers create CSM
 * tasks instead of emails".
 */
export function resolveActions(step: Pick<PlayStep, 'do' | 'choose' | 'highTouch'>, snapshot: AccountSnapshot): { actions: PlayAction[]; option?: number } {
  let option: number | undefined;
  let actions: PlayAction[];
  if (step.choose) {
    option = step.choose.findIndex((o) => holds(o.when, snapshot));
    actions = option < 0 ? [] : asList(step.choose[option]!.do);
  } else actions = asList(step.do);
  if (snapshot.account.segment === 'high-touch' && actions.some(isEmail)) {
    const personal = step.highTouch
      ? asList(step.highTouch)
      : actions.filter(isEmail).map((e): PlayAction => ({
          task: { title: `Write to the customer personally (instead of the "${e.email}" email)`, priority: 'medium', dueDays: 2 },
        }));
    actions = [...actions.filter((a) => !isEmail(a)), ...personal];
  }
  return { actions, option: option !== undefined && option >= 0 ? option : undefined };
}

export interface ActionContext {
  accountId: string;
  play: string;
  step: string;
  day: number;
  executionName: string;
  /** The run's cycle, kept on its tasks so a retried run (a new execution) still finds them. */
  cycle?: string;
  /** Distinguishes repeated action lists of one step (a watch's escalation). */
  label?: string;
  /** The run is held out (docs/holdouts.md): read from the run record, never from the machine's input. */
  heldOut?: boolean;
  /** The run's variant of each email step that has variants (`RunRecord.variants`). */
  variants?: Record<string, string>;
}

/** The key of an email action's variant on the run: its step and the email it stands for. */
export const variantKey = (step: string, email: string) => `${step}:${email}`;

/** The template an email action sends in this run: its variant when it has variants, else its template. */
export function templateFor(ctx: Pick<ActionContext, 'accountId' | 'play' | 'step' | 'cycle' | 'variants'>, action: EmailAction): string {
  if (!action.variants) return action.email;
  return ctx.variants?.[variantKey(ctx.step, action.email)] ?? pickVariant(action.variants, { ...ctx, cycle: ctx.cycle ?? '' });
}

/**
 * Does a step's actions, each idempotently: emails through the send ledger, tasks by a
 * deterministic id, stage changes as a set. Emails go first, so a send window that holds the
 * step back does so before anything else happened. Emails reuse the account and usage the step
 * loaded: delivery reads neither again.
 */
export async function perform(
  deps: ActionDeps,
  loaded: LoadedStep,
  ctx: ActionContext,
  actions: PlayAction[],
): Promise<{ outcomes: ActionOutcome[]; deferred?: { until: string; reason: string } }> {
  // A held-out run records what it would have done; `rehearse` is given no port to do it with.
  if (ctx.heldOut) return { outcomes: rehearse(actions, (a) => templateFor(ctx, a)) };
  const { snapshot } = loaded;
  const outcomes: ActionOutcome[] = [];
  const now = deps.clock.now();
  for (const action of actions.filter(isEmail)) {
    const template = templateFor(ctx, action);
    const r = await deliverCounted(
      deps,
      {
        accountId: ctx.accountId,
        runKey: ctx.executionName,
        play: ctx.play,
        step: ctx.step,
        day: ctx.day,
        template,
        category: action.category,
        contactRole: action.to,
        priority: action.priority,
        ...(action.variants ? { variantOf: `${ctx.play}/${ctx.step}` } : {}),
        heldOut: ctx.heldOut,
      },
      { account: snapshot.account, usage: loaded.usage, ...(loaded.people ? { people: loaded.people } : {}) },
    );
    if (r.outcome === 'deferred') return { outcomes, deferred: { until: r.until, reason: r.reason } };
    if (r.outcome === 'sent') outcomes.push({ kind: 'email', template, outcome: 'sent', messageId: r.messageId });
    else if (r.outcome === 'duplicate')
      outcomes.push({
        kind: 'email',
        template,
        outcome: r.previous === 'sent' ? 'sent' : 'unknown',
        messageId: r.messageId ?? undefined,
        detail: r.previous === 'sent' ? undefined : 'an earlier attempt claimed this send and did not confirm it',
      });
    else outcomes.push({ kind: 'email', template, outcome: 'skipped', detail: r.reason });
  }
  let i = 0;
  for (const action of actions) {
    i++;
    if ('task' in action) {
      // The other side-effect boundary of holdouts (the send's is in deliver): never a task for a held-out run.
      if (ctx.heldOut) throw new HeldOutLeakError(`a held-out ${ctx.play} run asked to create the task "${action.task.title}"`);
      const id = `${ctx.play}-${ctx.step}-${fnv1a(`${ctx.executionName}#${ctx.step}#${ctx.label ?? ''}#${i}`).toString(36)}`;
      const task = {
        id,
        accountId: ctx.accountId,
        title: action.task.title,
        priority: action.task.priority,
        status: 'open' as const,
        dueAt: new Date(now.getTime() + action.task.dueDays * DAY_MS).toISOString(),
        createdAt: now.toISOString(),
        // The account's owner's queue, or the team's (`unassigned`) when it has none.
        owner: snapshot.account.owner,
        play: ctx.play,
        step: ctx.step,
        executionName: ctx.executionName,
        ...(ctx.cycle ? { cycle: ctx.cycle } : {}),
        // Counted when done under the account's groups now (docs/metrics.md, outcomes by group).
        groups: outcomeGroupsOf(snapshot.account),
      };
      const created = await deps.tasks.create(task);
      // Announced once, when created: a CRM or Slack rule on the bus picks it up.
      if (created) await deps.events.publish([{ type: 'task.created', accountId: ctx.accountId, at: task.createdAt, detail: { task } }]);
      outcomes.push({ kind: 'task', outcome: created ? 'created' : 'existed', taskId: id, detail: action.task.title });
    } else if ('event' in action) {
      await deps.events.publish([
        {
          type: `play.${action.event}`,
          accountId: ctx.accountId,
          at: now.toISOString(),
          detail: { play: ctx.play, step: ctx.step, executionName: ctx.executionName, band: snapshot.band },
        },
      ]);
      outcomes.push({ kind: 'event', outcome: 'published', detail: `play.${action.event}` });
    } else if ('stage' in action) {
      // Already at that stage as the step read the account (strongly consistent): the write would be
      // refused (the first date stands), and its list-entry refresh would rewrite them unchanged.
      if (snapshot.account.stage !== action.stage) await deps.accounts.setStage(ctx.accountId, action.stage, now);
      outcomes.push({ kind: 'stage', outcome: 'set', detail: action.stage });
    }
  }
  return { outcomes };
}
