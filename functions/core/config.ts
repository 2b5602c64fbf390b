import * as z from './zod.ts';
import { presetNames } from './score/presets/index.ts';
import { scoreModelSchema } from './score/model.ts';
import { playSchema } from './plays/definition.ts';
import { resolvePlays } from './plays/resolve.ts';
import { isTimeZone } from './timezone.ts';
import { templateIds } from './templates/catalogue.ts';
import { formatPath } from './format-path.ts';
import { alertsSchema } from './alerts/config.ts';

export { formatPath };

/** seed-004's 60-day onboarding checklist (first value is measured, not ticked). */
/** Why a renewal churned, unless tend.config.ts `revenue.churnReasons` says otherwise. */
export const DEFAULT_CHURN_REASONS = ['price', 'product-fit', 'champion-left', 'budget', 'competitor', 'acquired', 'other'] as const;

export const DEFAULT_CHECKLIST = [
  'kickoff-held',
  'requirements-verified',
  'users-created',
  'admin-trained',
  'champions-identified',
  'training-scheduled',
  'first-use-launched',
  'baseline-captured',
] as const;

const nonEmpty = () => z.string().check(z.minLength(1));
const modelChoice = z.union([z.enum(presetNames), scoreModelSchema]);

/** Tech-touch email: consent, frequency cap and send window (docs/email.md). */
export const emailConfigSchema = z._default(
  z.object({
    /** At most `max` tech-touch emails to one contact in `days` days; renewal notices and save outreach are never held back by it. */
    frequencyCap: z._default(z.object({ max: z.int().check(z.gte(1), z.lte(50)), days: z.int().check(z.gte(1), z.lte(60)) }), { max: 3, days: 7 }),
    /** Local hours and weekdays a contact may receive email, in the contact's time zone (else the account's, else `timeZone`). */
    sendWindow: z._default(
      z
        .object({
          days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).check(z.minLength(1)),
          startHour: z.int().check(z.gte(0), z.lte(23)),
          endHour: z.int().check(z.gte(1), z.lte(24)),
          timeZone: z.string().check(z.refine((tz) => isTimeZone(tz), { message: 'an IANA time zone such as Europe/Paris' })),
        })
        .check(z.refine((w) => w.endHour > w.startHour, { message: 'endHour must be after startHour', path: ['endHour'] })),
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], startHour: 9, endHour: 17, timeZone: 'UTC' },
    ),
    unsubscribe: z._default(
      z.object({
        /** How long an unsubscribe link keeps working. */
        tokenDays: z.int().check(z.gte(1), z.lte(365)),
        /** Public base URL of the API (a custom domain); the deployed API's own URL when absent. */
        baseUrl: z.optional(z.url()),
        /** A mailbox that unsubscribes its senders, listed second in List-Unsubscribe. */
        mailto: z.optional(z.email()),
      }),
      { tokenDays: 90 },
    ),
    /**
     * Replies as engagement: this address (on a domain SES receives mail for) is added to every
     * email's Reply-To beside the human one, and SES hands what arrives to Tend (docs/email.md).
     */
    replies: z.optional(z.object({ address: z.email() })),
    /**
     * Sending pauses itself at `fraction` of SES's review thresholds (bounce 5%, complaint 0.1%)
     * over the last `days` days, once at least `minSends` were sent (docs/email.md); defaults 0.8, 7, 500.
     */
    autoPause: z.optional(
      z.object({
        fraction: z.optional(z.number().check(z.gt(0), z.lte(1))),
        days: z.optional(z.int().check(z.gte(1), z.lte(30))),
        minSends: z.optional(z.int().check(z.gte(1))),
      }),
    ),
  }),
  {
    frequencyCap: { max: 3, days: 7 },
    sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], startHour: 9, endHour: 17, timeZone: 'UTC' },
    unsubscribe: { tokenDays: 90 },
  },
);

/**
 * An email template of your own, or your words for a built-in one (same id). Handlebars; the
 * fields are listed in docs/email.md. Field names are checked at synth (`checkTemplates`).
 */
const templateSchema = z.object({
  subject: nonEmpty().check(z.maxLength(998)),
  /** Inner HTML: Tend's responsive layout wraps it and adds the unsubscribe footer. */
  html: nonEmpty(),
  /** The plain-text part; the unsubscribe footer is added. */
  text: nonEmpty(),
  /** Optional context groups it reads: `year` (a year of usage) and `renewal` (the renewal date). */
  needs: z.optional(z.array(z.enum(['year', 'renewal']))),
});

/** Every `email:` action in a play, with its path, wherever it sits (do, choose, highTouch, watch). */
function emailActions(node: unknown, path: PropertyKey[]): { path: PropertyKey[]; template: string }[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => emailActions(n, [...path, i]));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === 'email' && typeof v === 'string'
      ? [{ path: [...path, k], template: v }]
      : // An email step's variants (docs/holdouts.md) name templates too.
        k === 'template' && typeof v === 'string' && path.includes('variants')
        ? [{ path: [...path, k], template: v }]
        : emailActions(v, [...path, k]),
  );
}

/** One CSM: `id` is what an account's `owner` names; `capacity` caps the accounts assignment gives them. */
export const csmSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits and . _ - (at most 64)')),
  name: nonEmpty().check(z.maxLength(200)),
  email: z.email(),
  /** Slack member id (U... or W...), for alerts sent to the person. */
  slackUserId: z.optional(z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'a Slack member id such as U024BE7LH'))),
  /** Most accounts assignment rules give this CSM. */
  capacity: z.optional(z.int().check(z.positive())),
});

const assignmentRuleSchema = z.object({
  segments: z.optional(z.array(z.enum(['high-touch', 'medium-touch', 'tech-touch'])).check(z.minLength(1))),
  pool: z.array(z.string()).check(z.minLength(1)),
  strategy: z._default(z.enum(['round-robin', 'fewest-accounts']), 'round-robin'),
});

export const configSchema = z
  .object({
    product: z.object({
      name: nonEmpty(),
      url: z.url(),
      /** Features a usage event can name in `properties.feature`; adoption is measured against this list. */
      features: z.array(nonEmpty()).check(z.minLength(1)),
      /** Features of higher plans: an account using them shows interest worth an expansion conversation. */
      premiumFeatures: z._default(z.array(nonEmpty()), []),
      /** Courses a customer can complete (`training.completed` events name one): training completion is measured against them. */
      trainingCourses: z._default(z.array(nonEmpty()), []),
    }),
    sender: z.object({
      name: nonEmpty(),
      from: z.email(),
      replyTo: z.optional(z.email()),
    }),
    aws: z._default(
      z.object({
        region: z.optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1'))),
        account: z.optional(z.string().check(z.regex(/^\d{12}$/, 'a 12-digit AWS account id'))),
      }),
      {},
    ),
    /**
     * Operations: where the CloudWatch alarms are emailed (docs/operations.md); without it, subscribe to the alarm topic yourself.
     * `tracing`: X-Ray traces of every function (docs/observability.md: what it adds to a cold start); false turns them off.
     */
    operations: z._default(z.object({ alarmEmail: z.optional(z.email()), tracing: z._default(z.boolean(), true) }), { tracing: true }),
    /** A preset name, a model of your own, or a default with other models for some segments. */
    scoreModel: z.union([
      modelChoice,
      z.object({
        default: modelChoice,
        bySegment: z.optional(
          z.object({ 'high-touch': z.optional(modelChoice), 'medium-touch': z.optional(modelChoice), 'tech-touch': z.optional(modelChoice) }),
        ),
      }),
    ]),
    scoring: z._default(
      z.object({
        /** EventBridge Scheduler expression for the daily scoring run. */
        schedule: z._default(z.string().check(z.regex(/^(rate|cron)\(.+\)$/, 'rate(...) or cron(...)')), 'cron(0 6 * * ? *)'),
        /** How often accounts with new data are rescored between daily runs. */
        rescoreSchedule: z._default(z.string().check(z.regex(/^(rate|cron)\(.+\)$/, 'rate(...) or cron(...)')), 'rate(1 hour)'),
        /** Points lost in 7 days that flag an account as falling fast, whatever its tier. */
        fallingFastPoints: z._default(z.number().check(z.positive()), 10),
        /** Look-back windows of the usage signals, in days. */
        windows: z._default(
          z
            .object({ usageDays: z.int().check(z.gte(7), z.lte(90)), frequencyDays: z.int().check(z.gte(7), z.lte(90)) })
            .check(z.refine((w) => w.frequencyDays <= w.usageDays, { message: 'frequencyDays must not exceed usageDays', path: ['frequencyDays'] })),
          { usageDays: 30, frequencyDays: 14 },
        ),
        /** Thresholds of the at-risk and expansion flags. */
        flags: z._default(
          z.object({
            usageDropPercent: z._default(z.number().check(z.gt(0), z.lte(100)), 50),
            renewalWithinDays: z._default(z.int().check(z.positive()), 60),
            seatLimitPercent: z._default(z.number().check(z.gt(0), z.lte(100)), 90),
            newAccountDays: z._default(z.int().check(z.nonnegative()), 90),
            departments: z._default(z.int().check(z.gte(2)), 3),
          }),
          { usageDropPercent: 50, renewalWithinDays: 60, seatLimitPercent: 90, newAccountDays: 90, departments: 3 },
        ),
      }),
      {
        schedule: 'cron(0 6 * * ? *)',
        rescoreSchedule: 'rate(1 hour)',
        fallingFastPoints: 10,
        windows: { usageDays: 30, frequencyDays: 14 },
        flags: { usageDropPercent: 50, renewalWithinDays: 60, seatLimitPercent: 90, newAccountDays: 90, departments: 3 },
      },
    ),
    segments: z._default(
      z
        .object({ highTouchArr: z.number().check(z.positive()), mediumTouchArr: z.number().check(z.positive()) })
        .check(z.refine((s) => s.highTouchArr > s.mediumTouchArr, { message: 'highTouchArr must be above mediumTouchArr' })),
      { highTouchArr: 50_000, mediumTouchArr: 10_000 },
    ),
    /** What counts as the onboarding milestone "first value reached" (time to first value is measured to it). */
    milestones: z._default(
      z.object({
        firstValue: z.object({ activeUsers: z.int().check(z.positive()), features: z.int().check(z.positive()) }),
        /** The onboarding checklist: milestones your team records (POST /v1/accounts/{id}/milestones); plays can wait on them. */
        checklist: z._default(z.array(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase letters, digits and -'))), [...DEFAULT_CHECKLIST]),
        /** Time to first value's target (docs/metrics.md): reached within this many days counts as on time. */
        firstValueTargetDays: z._default(z.int().check(z.positive(), z.lte(365)), 14),
      }),
      { firstValue: { activeUsers: 3, features: 2 }, checklist: [...DEFAULT_CHECKLIST], firstValueTargetDays: 14 },
    ),
    /** Revenue: the reasons a churned renewal may give (POST /v1/accounts/{id}/renewals). */
    revenue: z._default(
      z.object({
        churnReasons: z._default(z.array(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase letters, digits and -'))).check(z.minLength(1)), [
          ...DEFAULT_CHURN_REASONS,
        ]),
      }),
      { churnReasons: [...DEFAULT_CHURN_REASONS] },
    ),
    /**
     * Plays: the built-in ones (functions/core/plays/builtin.ts) run unless turned off with
     * `false`; give a play here under its id to replace it, or under a new id to add one.
     */
    plays: z.pipe(
      z._default(
        z.record(z.string(), z.union([z.literal(false), playSchema])).check(
          z.superRefine((plays, ctx) => {
            for (const [key, play] of Object.entries(plays)) {
              if (play && play.id !== key)
                ctx.addIssue({ code: 'custom', path: [key, 'id'], message: `the play under "${key}" must have id "${key}"`, input: play.id });
            }
          }),
        ),
        {},
      ),
      z.transform(resolvePlays),
    ),
    /** The HTTP API: per-key request rate and the largest body it takes. */
    api: z._default(
      z.object({
        rateLimitPerMinute: z._default(z.int().check(z.positive()), 1200),
        /** For signed Segment webhook deliveries, which come one message a request. */
        webhookRateLimitPerMinute: z._default(z.int().check(z.positive()), 6000),
        maxBodyBytes: z._default(z.int().check(z.gte(1024), z.lte(6 * 1024 * 1024)), 1024 * 1024),
      }),
      { rateLimitPerMinute: 1200, webhookRateLimitPerMinute: 6000, maxBodyBytes: 1024 * 1024 },
    ),
    email: emailConfigSchema,
    /** The CSMs who own accounts (docs/api.md, "Owners and tasks"): an account's `owner` is one of these ids. */
    csms: z._default(z.array(csmSchema), []),
    /**
     * Who owns a new account that arrives without an owner: the first rule whose `segments` include
     * the account's (a rule without `segments` matches any) picks from its `pool`, in turn
     * (`round-robin`) or the CSM with the fewest accounts (`fewest-accounts`); a CSM at `capacity` is passed over.
     */
    assignment: z._default(z.array(assignmentRuleSchema), []),
    /** Alerts in Slack and the daily digest (docs/alerts.md). */
    alerts: alertsSchema,
    /** Email templates: yours, and your words for built-in ones (docs/email.md). */
    templates: z._default(
      z.record(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'a template id is lowercase letters, digits and -')), templateSchema),
      {},
    ),
  })
  .check(
    // Plays may send the built-in templates and those of `templates`.
    z.superRefine((config, ctx) => {
      const csmIds = config.csms.map((c) => c.id);
      config.csms.forEach((c, i) => {
        if (csmIds.indexOf(c.id) !== i) ctx.addIssue({ code: 'custom', path: ['csms', i, 'id'], message: `duplicate CSM id "${c.id}"`, input: c.id });
        // An owner or a task's queue may be named by email too: each email names one CSM.
        if (config.csms.findIndex((o) => o.email.toLowerCase() === c.email.toLowerCase()) !== i)
          ctx.addIssue({ code: 'custom', path: ['csms', i, 'email'], message: `email ${c.email} is given to two CSMs`, input: c.email });
      });
      config.assignment.forEach((rule, r) =>
        rule.pool.forEach((id, i) => {
          if (!csmIds.includes(id))
            ctx.addIssue({
              code: 'custom',
              path: ['assignment', r, 'pool', i],
              message: `unknown CSM "${id}"; csms: ${csmIds.join(', ') || 'none'}`,
              input: id,
            });
        }),
      );
      const known = [...new Set([...templateIds, ...Object.keys(config.templates)])];
      for (const [id, play] of Object.entries(config.plays)) {
        for (const action of emailActions(play.steps, ['plays', id, 'steps'])) {
          if (!known.includes(action.template))
            ctx.addIssue({
              code: 'custom',
              path: action.path,
              message: `unknown template "${action.template}"; known: ${known.join(', ')}`,
              input: action.template,
            });
        }
      }
    }),
  );

export type TendConfig = z.output<typeof configSchema>;
export type TendConfigInput = z.input<typeof configSchema>;

/** Typed helper for tend.config.ts: gives completion and type errors; validation runs at synth and at start. */
export function defineConfig(config: TendConfigInput): TendConfigInput {
  return config;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates a config, naming every bad field ("plays.renewal.steps[1].day: ..."). */
export function parseConfig(input: unknown, source = 'tend.config.ts'): TendConfig {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap(explain).map((i) => `  ${formatPath(i.path)}: ${i.message}`);
  throw new ConfigError(`${source} is not valid:\n${lines.join('\n')}`);
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][]; issues?: Issue[] };

/**
 * A union's "Invalid input" says nothing; its options' own issues do. Reports the issues of the
 * option that got furthest (the deepest path): for a play, "steps[2].do.email: unknown template",
 * not "plays.renewal: Invalid input".
 */
function explain(issue: Issue): { path: PropertyKey[]; message: string }[] {
  // A record key's own rule ("a template id is...") sits inside zod's "Invalid key in record".
  if (issue.code === 'invalid_key' && issue.issues?.length) return issue.issues.map((i) => ({ path: issue.path, message: i.message }));
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
  const depth = (issues: Issue[]) => Math.max(...issues.map((i) => i.path.length + (i.code === 'invalid_union' ? 1 : 0)));
  const best = issue.errors.filter((e) => e.length > 0).sort((a, b) => depth(b) - depth(a))[0];
  if (!best) return [issue];
  return best.flatMap((i) => explain({ ...i, path: [...issue.path, ...i.path] }));
}
