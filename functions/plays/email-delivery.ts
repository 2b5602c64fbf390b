import type { Clock } from '../core/clock.ts';
import { deliver } from '../core/email/deliver.ts';
import type { EmailDelivery } from '../core/plays/actions.ts';
import type { TemplateLibrary } from '../core/templates/render.ts';
import { emailDeps } from '../email/deps.ts';

/**
 * A play step's email delivery, over SES, the send ledger, consent and the signing key. Imported by
 * the steps' handler at a step's first email (functions/plays/handler.ts): a chunk of its own, so
 * the cold start and the steps that send nothing neither parse it nor build its ports.
 */
export function playEmailDelivery(clock: Clock, templates: TemplateLibrary): EmailDelivery {
  const deps = emailDeps(clock, templates);
  return (req, loaded) => deliver(deps, req, loaded);
}
