import * as z from './zod.ts';
import { presetNames } from './score/presets/index.ts';
import { scoreModelSchema } from './score/model.ts';
import { templateIds } from './templates/catalogue.ts';
import { isTimeZone } from './timezone.ts';

const templateName = z.enum(templateIds as [string, ...string[]], {
  error: (issue) => `unknown template "${String(issue.input)}"; known: ${templateIds.join(', ')}`,
});

const onboardingStep = z.object({
  id: z.string().check(z.regex(/^[a-z0-9-]{1,24}$/, 'lowercase letters, digits and - only (it names states)')),
  /** Days after the account's start date; the step waits until exactly then. */
  day: z.int().check(z.gte(0), z.lte(365)),
  /** The email when the account has been active in the last 7 days, and when it has not. */
  templates: z.object({ active: templateName, inactive: templateName }),
});

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
  }),
  { frequencyCap: { max: 3, days: 7 }, sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], startHour: 9, endHour: 17, timeZone: 'UTC' }, unsubscribe: { tokenDays: 90 } },
);

export const configSchema = z.object({
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
  /** A preset name, a model of your own, or a default with other models for some segments. */
  scoreModel: z.union([
    modelChoice,
    z.object({
      default: modelChoice,
      bySegment: z.optional(z.object({ 'high-touch': z.optional(modelChoice), 'medium-touch': z.optional(modelChoice), 'tech-touch': z.optional(modelChoice) })),
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
  journeys: z.object({
    onboarding: z.object({
      steps: z.array(onboardingStep).check(
        z.minLength(1),
        z.maxLength(12),
        z.superRefine((steps, ctx) => {
          steps.forEach((s, i) => {
            if (i > 0 && s.day <= steps[i - 1]!.day) ctx.addIssue({ code: 'custom', path: [i, 'day'], message: 'steps must be in increasing day order', input: s.day });
            if (steps.findIndex((t) => t.id === s.id) !== i) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate step id "${s.id}"`, input: s.id });
          });
        }),
      ),
    }),
  }),
  email: emailConfigSchema,
});

export type TendConfig = z.output<typeof configSchema>;
export type TendConfigInput = z.input<typeof configSchema>;
export type OnboardingStep = TendConfig['journeys']['onboarding']['steps'][number];

/** Typed helper for tend.config.ts: gives completion and type errors; validation runs at synth and at start. */
export function defineConfig(config: TendConfigInput): TendConfigInput {
  return config;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates a config, naming every bad field ("journeys.onboarding.steps[1].day: ..."). */
export function parseConfig(input: unknown, source = 'tend.config.ts'): TendConfig {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
  throw new ConfigError(`${source} is not valid:\n${lines.join('\n')}`);
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(root)';
}
