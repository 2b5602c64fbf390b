import * as z from '../core/zod.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { segmentOf } from '../core/accounts.ts';
import type { DeliveryDeps } from '../core/email/deliver.ts';
import type { AccountRepo, UsageRepo } from '../core/ports.ts';
import { unsubscribeLinks } from '../core/email/links.ts';
import { precompiledLibrary } from '../core/templates/precompiled.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import { signingKey } from '../adapters/signing-key.ts';
import { accountRepo } from '../data/accounts.ts';
import { documentClient } from '../data/client.ts';
import { contactRepo } from '../data/contacts.ts';
import { engagementRepo, frequencyCap, preferenceRepo, suppressionList } from '../data/email.ts';
import { sendLedger } from '../data/sends.ts';
import { usageRepo } from '../data/usage.ts';
import { config } from '../shared/config.ts';
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
export function emailDeps(clock: Clock = systemClock, env = parseEnv(emailEnvShape)): DeliveryDeps & { accounts: AccountRepo; usage: UsageRepo } {
  // Read on the first send, then kept for the container's life.
  const key = signingKey(env);
  return {
    clock,
    config,
    templates: precompiledLibrary(),
    accounts: accountRepo(documentClient, env.TABLE_NAME, (arr) => segmentOf(arr, config.segments)),
    usage: usageRepo(documentClient, env.TABLE_NAME),
    ledger: sendLedger(documentClient, env.TABLE_NAME),
    mailer: sesMailer(env.CONFIGURATION_SET),
    contacts: contactRepo(documentClient, env.TABLE_NAME),
    suppressions: suppressionList(documentClient, env.TABLE_NAME),
    preferences: preferenceRepo(documentClient, env.TABLE_NAME),
    cap: frequencyCap(documentClient, env.TABLE_NAME),
    engagement: engagementRepo(documentClient, env.TABLE_NAME),
    unsubscribe: unsubscribeLinks({ key, baseUrl: config.email.unsubscribe.baseUrl ?? env.PUBLIC_API_URL, tokenDays: config.email.unsubscribe.tokenDays, mailto: config.email.unsubscribe.mailto }),
  };
}
