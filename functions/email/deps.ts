import * as z from '../core/zod.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { DeliveryDeps } from '../core/email/deliver.ts';
import type { AccountRepo, UsageRepo } from '../core/ports.ts';
import { unsubscribeLinks } from '../core/email/links.ts';
import { pausePolicy, sendingPause } from '../core/email/reputation.ts';
import { precompiledLibrary } from '../core/templates/precompiled.ts';
import { config } from '../shared/config.ts';
import * as root from '../shared/deps.ts';
import { signingKey } from '../shared/signing-key.ts';
import { parseEnv } from '../shared/env.ts';

/**
 * The environment of a function that sends email; `EmailSending.bindSender(fn, ...)` in CDK sets
 * all of it and grants what it needs.
 */
export const emailEnvShape = {
  TABLE_NAME: z.string().check(z.minLength(1)),
  CONFIGURATION_SET: z.string().check(z.minLength(1)),
  /** Base URL of the public API, where the unsubscribe routes are (`email.unsubscribe.baseUrl` overrides it). */
  PUBLIC_API_URL: z.string().check(z.minLength(1)),
  UNSUBSCRIBE_SECRET_NAME: z.optional(z.string().check(z.minLength(1))),
  /** Locally only: the signing key itself. */
  UNSUBSCRIBE_KEY: z.optional(z.string().check(z.minLength(16))),
};

/**
 * Everything `deliver` needs, over DynamoDB, SES and the signing secret: a play's Lambda writes
 * `const deps = emailDeps();` at module scope (cold start) and passes it to `deliver(deps, req, loaded)`.
 * With the account and usage repos the sending step reads once and hands to `deliver`.
 */
export function emailDeps(clock: Clock = systemClock): DeliveryDeps & { accounts: AccountRepo; usage: UsageRepo } {
  // The rest of the environment is read by the composition root, each variable by what needs it.
  const env = parseEnv(emailEnvShape);
  return {
    clock,
    config,
    templates: precompiledLibrary(),
    accounts: root.accounts(),
    usage: root.usage(),
    ledger: root.ledger(),
    confirmations: root.confirmations(),
    pause: sendingPause(root.reputation(), pausePolicy(config.email)),
    mailer: root.mailer(),
    contacts: root.contacts(),
    suppressions: root.suppressions(),
    preferences: root.preferences(),
    cap: root.cap(),
    engagement: root.engagement(),
    unsubscribe: unsubscribeLinks({
      key: signingKey(),
      baseUrl: config.email.unsubscribe.baseUrl ?? env.PUBLIC_API_URL,
      tokenDays: config.email.unsubscribe.tokenDays,
      mailto: config.email.unsubscribe.mailto,
    }),
  };
}
