import * as z from '../zod.ts';
import type { csmSchema } from '../config.ts';

/** A CSM of tend.config.ts (`csms`, defined with the owners in ../config.ts). */
export type Csm = z.output<typeof csmSchema>;

/** What an alert is about. */
export const ALERT_KINDS = ['task.created', 'account.red', 'renewal.at-risk', 'digest'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Where an alert goes: `owner` (a direct message to the account's CSM), a channel by name (`#cs-alerts`) or by id (`C024BE91L`). */
export const destinationSchema = z
  .string()
  .check(z.regex(/^(owner|#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{2,20})$/, 'owner, a channel name such as #cs-alerts, or a channel id such as C024BE91L'));

const schedule = z.string().check(z.regex(/^(rate|cron)\(.+\)$/, 'rate(...) or cron(...)'));

const DEFAULT_ROUTES = { 'task.created': ['owner'], 'account.red': ['owner'], 'renewal.at-risk': ['owner'] };

/** `alerts` in tend.config.ts (docs/alerts.md). */
export const alertsSchema = z._default(
  z.object({
    /** Where a message's account link points: `<appBaseUrl>/accounts/<id>`. Without it, links open the account's card on the API. */
    appBaseUrl: z.optional(z.url()),
    /** Slack: the bot token is read from a Secrets Manager secret (never from config or code). Without `slack`, only the email digest goes out. */
    slack: z.optional(
      z.object({
        /** An existing secret's name; without it, the stack creates `tend/<stack>/slack-bot-token` for you to fill. */
        tokenSecretName: z.optional(z.string().check(z.regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a secret name'))),
      }),
    ),
    /** Which alert goes where: each kind to a list of destinations. */
    routes: z._default(
      z.object({
        'task.created': z._default(z.array(destinationSchema), ['owner']),
        'account.red': z._default(z.array(destinationSchema), ['owner']),
        'renewal.at-risk': z._default(z.array(destinationSchema), ['owner']),
      }),
      DEFAULT_ROUTES,
    ),
    /** Where `owner` alerts go when the account has no owner, or its CSM no Slack id; without it they are dropped (and in the digest). */
    fallbackChannel: z.optional(destinationSchema.check(z.refine((d) => d !== 'owner', 'a channel, not owner'))),
    /** Tasks created with these priorities are alerted. */
    taskPriorities: z._default(z.array(z.enum(['low', 'medium', 'high', 'urgent'])), ['urgent', 'high']),
    /** A renewal is at risk when its account is red or yellow this many days or fewer before it. */
    renewalWindowDays: z._default(z.int().check(z.positive(), z.lte(365)), 90),
    digest: z._default(
      z.object({
        /** When the daily digest goes out (EventBridge Scheduler, UTC). */
        schedule: z._default(schedule, 'cron(0 7 * * ? *)'),
        /** Email the digest to CSMs without a Slack id (through SES, from `sender.from`). */
        email: z._default(z.boolean(), true),
      }),
      { schedule: 'cron(0 7 * * ? *)', email: true },
    ),
  }),
  { routes: DEFAULT_ROUTES, taskPriorities: ['urgent', 'high'], renewalWindowDays: 90, digest: { schedule: 'cron(0 7 * * ? *)', email: true } },
);
export type AlertsConfig = z.output<typeof alertsSchema>;
