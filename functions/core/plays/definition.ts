import * as z from '../zod.ts';
import { FLAG_RULES } from '../flags/rules.ts';
import { holdoutSchema, variantSchema } from './holdout-schema.ts';

/**
 * A play as configuration: what starts it, the date its steps count from, its steps (each with
 * a condition on the account at that moment and the actions to take) and when it stops early.
 * CDK compiles each play into its own Standard state machine (workflows/play.ts); the play's
 * Lambda reads the same definition to decide each step.
 */

const name = (what: string) => z.string().check(z.regex(/^[a-z0-9-]{1,24}$/, `a ${what} is lowercase letters, digits and - (it names states and keys)`));
const flagName = z.enum(Object.keys(FLAG_RULES) as [string, ...string[]], {
  error: (i) => `unknown flag "${String(i.input)}"; known: ${Object.keys(FLAG_RULES).join(', ')}`,
});
/** Checked against the built-in and configured templates by the config (plays may send either). */
const templateName = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'a template id is lowercase letters, digits and -'));
const tier = z.enum(['green', 'yellow', 'red']);
const segment = z.enum(['high-touch', 'medium-touch', 'tech-touch']);
const percent = z.number().check(z.gte(0), z.lte(100));

export const STAGES = ['onboarding', 'adoption', 'retention', 'expansion', 'at-risk'] as const;

/** Facts about the account when a step is due; every field given must hold (AND). */
export const conditionSchema = z.object({
  tier: z.optional(z.array(tier).check(z.minLength(1))),
  segment: z.optional(z.array(segment).check(z.minLength(1))),
  /** Someone used the product in the last 7 days. */
  active: z.optional(z.boolean()),
  /** The first-value milestone has been reached (config `milestones.firstValue`). */
  activated: z.optional(z.boolean()),
  flag: z.optional(flagName),
  noFlag: z.optional(flagName),
  /** Share of the product's features used in the last 30 days, in percent. */
  adoptionBelow: z.optional(percent),
  adoptionAtLeast: z.optional(percent),
  /** Not red on every scored day of the last N days (and at least N of them, counting today's if computed). */
  notRedForDays: z.optional(z.int().check(z.positive(), z.lte(30))),
  /** The account's renewal date moved past the date this run was started for. */
  renewed: z.optional(z.literal(true)),
  /**
   * The account's latest renewal outcome (POST /v1/accounts/{id}/renewals) is one of these, for
   * this run: its renewal date is on or after the run's cycle, or it was recorded on or after it.
   */
  renewalOutcome: z.optional(z.array(z.enum(['renewed', 'churned'])).check(z.minLength(1))),
  /** A checklist milestone (config `milestones.checklist`) has been recorded, or not yet. */
  milestone: z.optional(z.string().check(z.minLength(1))),
  noMilestone: z.optional(z.string().check(z.minLength(1))),
  /** Every task the named step of this run created is done (POST /v1/tasks/{accountId}/{taskId}/complete). */
  taskDone: z.optional(name('step id')),
  /** A task the named step of this run created is not done yet, `days` (default 0) or more after it was created. */
  taskNotDone: z.optional(z.object({ step: name('step id'), days: z._default(z.number().check(z.gte(0), z.lte(365)), 0) })),
});

export const actionSchema = z.union([
  z.object({
    email: templateName,
    /** Consent category: a contact can opt out of onboarding, tips and success emails; renewal notices are transactional. */
    category: z._default(z.enum(['onboarding', 'tips', 'renewal', 'success']), 'success'),
    /** Who gets it: a contact of that role when the account has one, else the primary contact. */
    to: z.optional(z.enum(['primary', 'champion', 'executive-sponsor', 'admin'])),
    /** Under the frequency cap: `critical` is never held back (default: from the category). */
    priority: z.optional(z.enum(['critical', 'normal', 'low'])),
    /** An A/B test: the template sent is one of these, chosen per account and run in proportion to the shares (docs/holdouts.md). */
    variants: z.optional(z.array(variantSchema).check(z.minLength(2))),
  }),
  z.object({
    task: z.object({
      title: z.string().check(z.minLength(1), z.maxLength(200)),
      priority: z._default(z.enum(['low', 'medium', 'high', 'urgent']), 'medium'),
      /** Days the CSM has to do it. */
      dueDays: z._default(z.int().check(z.gte(0), z.lte(90)), 3),
    }),
  }),
  /** An event on Tend's bus (detail-type `play.<name>`), for a CRM, Slack or your own rules. */
  z.object({ event: name('event name') }),
  z.object({ stage: z.enum(STAGES) }),
]);

const actions = z.union([actionSchema, z.array(actionSchema).check(z.minLength(1))]);

const stepSchema = z.object({
  id: name('step id'),
  /** Days from the play's anchor; negative counts back from a renewal date. */
  day: z.int().check(z.gte(-365), z.lte(365)),
  /** Hours after the start of that day (the anchor's time for trigger-anchored plays). */
  hour: z._default(z.int().check(z.gte(0), z.lte(23)), 0),
  /** The step is skipped (and recorded as skipped) unless this holds when it is due. */
  when: z.optional(conditionSchema),
  /** What to do; `choose` picks the first option whose `when` holds (an option without `when` matches any account). */
  do: z.optional(actions),
  choose: z.optional(z.array(z.object({ when: z.optional(conditionSchema), do: actions })).check(z.minLength(1))),
  /** For high-touch accounts: what replaces the step's emails (default: a CSM task to write it personally). */
  highTouch: z.optional(actions),
  /**
   * Waits, from its time, until `until` holds (checked every `everyHours`) or `upToDays` have
   * passed, then goes on: its `when` and `choose` then see which it was (with `taskDone` and
   * `taskNotDone`, a step can wait for a CSM's task and escalate when it was not done in time).
   */
  waitFor: z.optional(
    z.object({
      until: conditionSchema,
      upToDays: z.number().check(z.gt(0), z.lte(90)),
      everyHours: z._default(z.int().check(z.gte(1), z.lte(24)), 6),
    }),
  ),
  /** A step reached after its time (late start, redrive, outage): run it now, or skip it. */
  catchUp: z._default(z.enum(['run', 'skip']), 'run'),
  /** How late a step may be and still count as on time, in hours. */
  graceHours: z._default(z.int().check(z.gte(0), z.lte(24 * 30)), 24),
  /** A watch repeats every `everyDays` until `exitWhen` of the play holds or `giveUpAfterDays`. */
  watch: z.optional(
    z.object({
      everyDays: z._default(z.int().check(z.positive(), z.lte(30)), 1),
      escalateAfterDays: z.optional(z.int().check(z.positive())),
      escalate: z.optional(actions),
      giveUpAfterDays: z.int().check(z.positive(), z.lte(365)),
      giveUp: z.optional(actions),
    }),
  ),
});

const triggerSchema = z.union([
  z.object({ on: z.literal('account.created') }),
  z.object({ on: z.literal('tier.changed'), to: z.array(tier).check(z.minLength(1)) }),
  z.object({ on: z.literal('flag.started'), flags: z.array(flagName).check(z.minLength(1)) }),
  /** Started by the daily sweep when the date field is this many days away (renewals entering their window). */
  z.object({ on: z.literal('date'), field: z.enum(['renewalDate']), daysBefore: z.int().check(z.positive(), z.lte(365)) }),
]);

export const playSchema = z
  .object({
    id: name('play id'),
    description: z.string().check(z.minLength(1)),
    trigger: triggerSchema,
    /** The date step days count from: the account's start date, its renewal date, or when the play was triggered. */
    anchor: z.enum(['startDate', 'renewalDate', 'trigger']),
    /** Only accounts of these segments (default: all). */
    segments: z.optional(z.array(segment).check(z.minLength(1))),
    /** No new run within this many days of the last one's start (for example one referral ask a half-year). */
    cooldownDays: z._default(z.int().check(z.gte(0), z.lte(730)), 0),
    /** The run ends, before any further step, when one of these holds (a churned account always ends it). */
    exitWhen: z._default(z.array(z.object({ reason: name('exit reason'), when: conditionSchema })), []),
    steps: z.array(stepSchema).check(z.minLength(1), z.maxLength(20)),
    /** Hold out a share of runs to measure the play's lift (docs/holdouts.md). */
    holdout: z.optional(holdoutSchema),
  })
  .check(
    z.superRefine((play, ctx) => {
      play.steps.forEach((s, i) => {
        if (i > 0 && s.day * 24 + s.hour < play.steps[i - 1]!.day * 24 + play.steps[i - 1]!.hour)
          ctx.addIssue({ code: 'custom', path: ['steps', i, 'day'], message: 'steps must be in time order', input: s.day });
        if (play.steps.findIndex((t) => t.id === s.id) !== i)
          ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${s.id}"`, input: s.id });
        if (s.do && s.choose) ctx.addIssue({ code: 'custom', path: ['steps', i], message: 'a step has `do` or `choose`, not both', input: s });
        if (!s.do && !s.choose && !s.watch) ctx.addIssue({ code: 'custom', path: ['steps', i], message: 'a step needs `do`, `choose` or `watch`', input: s });
        // A task condition names a step before it (or itself): a later step's task cannot exist yet.
        for (const [where, c] of conditionsOf(s)) {
          const named = c.taskDone ?? c.taskNotDone?.step;
          if (named !== undefined && play.steps.findIndex((t) => t.id === named) > i)
            ctx.addIssue({ code: 'custom', path: ['steps', i, ...where], message: `names step "${named}", which does not come before this one`, input: named });
          if (named !== undefined && !play.steps.some((t) => t.id === named))
            ctx.addIssue({ code: 'custom', path: ['steps', i, ...where], message: `no step "${named}" in this play`, input: named });
        }
        if (s.watch && i !== play.steps.length - 1)
          ctx.addIssue({ code: 'custom', path: ['steps', i, 'watch'], message: 'a watch must be the last step', input: s.watch });
      });
      if (play.trigger.on === 'date' && play.anchor !== play.trigger.field)
        ctx.addIssue({
          code: 'custom',
          path: ['anchor'],
          message: `a date-triggered play counts from its date: anchor must be "${play.trigger.field}"`,
          input: play.anchor,
        });
    }),
  );

/** The conditions a step checks, each with where it sits in the step. */
function conditionsOf(step: z.output<typeof stepSchema>): [PropertyKey[], z.output<typeof conditionSchema>][] {
  const out: [PropertyKey[], z.output<typeof conditionSchema>][] = [];
  if (step.when) out.push([['when'], step.when]);
  step.choose?.forEach((o, i) => o.when && out.push([['choose', i, 'when'], o.when]));
  if (step.waitFor) out.push([['waitFor', 'until'], step.waitFor.until]);
  return out;
}

export type PlayDefinition = z.output<typeof playSchema>;
export type PlayInput = z.input<typeof playSchema>;
export type PlayStep = PlayDefinition['steps'][number];
export type PlayAction = z.output<typeof actionSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type Stage = (typeof STAGES)[number];

export { asList } from './as-list.ts';
