import * as z from '../core/zod.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { DeliveryDeps } from '../core/email/deliver.ts';
import type { TemplateLibrary } from '../core/templates/render.ts';
import { unsubscribeLinks } from '../core/email/links.ts';
import { pausePolicy, sendingPause } from '../core/email/reputation.ts';
import { precompiledLibrary } from '../core/templates/precompiled.ts';
import { config } from '../shared/config.ts';
import { contacts } from '../shared/deps/contacts.ts';
import { cap } from '../shared/deps/cap.ts';
import { confirmations } from '../shared/deps/confirmations.ts';
import { engagement } from '../shared/deps/engagement.ts';
import { ledger } from '../shared/deps/ledger.ts';
import { mailer } from '../shared/deps/mailer.ts';
import { preferences } from '../shared/deps/preferences.ts';
import { recipient } from '../shared/deps/recipient.ts';
import { reputation } from '../shared/deps/reputation.ts';
import { suppressions } from '../shared/deps/suppressions.ts';
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
 * Everything `deliver` needs, over DynamoDB, SES and the signing secret: the play steps' Lambda
 * builds it at a step's first email (functions/plays/email-delivery.ts) and passes it to
 * `deliver(deps, req, loaded)`. `templates`: the library the caller already holds, if any.
 */
export function emailDeps(clock: Clock = systemClock, templates: TemplateLibrary = precompiledLibrary()): DeliveryDeps {
  // The rest of the environment is read by the composition root, each variable by what needs it.
  const env = parseEnv(emailEnvShape);
  return {
    clock,
    config,
    templates,
    ledger: ledger(),
    confirmations: confirmations(),
    pause: sendingPause(reputation(), pausePolicy(config.email)),
    mailer: mailer(),
    contacts: contacts(),
    suppressions: suppressions(),
    preferences: preferences(),
    cap: cap(),
    recipient: recipient(),
    engagement: engagement(),
    unsubscribe: unsubscribeLinks({
      key: signingKey(),
      baseUrl: config.email.unsubscribe.baseUrl ?? env.PUBLIC_API_URL,
      tokenDays: config.email.unsubscribe.tokenDays,
      mailto: config.email.unsubscribe.mailto,
    }),
  };
}
