import * as z from '../zod.ts';
import type { ReputationRepo } from '../ports.ts';
import { operatorOverride, pauseState, windowDays, type PausePolicy, type PauseState, type SendingOverride } from './reputation.ts';

/**
 * The automatic sending pause as an operator sees and steers it: `tend email status|resume` and
 * `GET|POST /v1/email/pause` both call these, so the CLI and the API cannot disagree.
 */
export interface PauseControlDeps {
  reputation: Pick<ReputationRepo, 'days' | 'override' | 'setOverride'>;
  policy: PausePolicy;
}

export const RESUME_DEFAULT_HOURS = 24;

/** A resume lasts 1 to 168 hours (a week: longer, and the rates would never get a say). */
export const pauseActionSchema = /* @__PURE__ */ z.lazy(() =>
  z.discriminatedUnion('action', [
    z.object({
      action: z.literal('resume'),
      hours: z.optional(z.int().check(z.gte(1), z.lte(168))),
      by: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    }),
    z.object({ action: z.literal('cancel-resume') }),
  ]),
);
export type PauseAction = z.output<typeof pauseActionSchema>;

export interface PauseStatus {
  state: PauseState;
  override: SendingOverride | undefined;
  policy: PausePolicy;
}

/** The rates over the window, whether tech-touch sending is paused and why, and any operator resume. */
export async function pauseStatus(deps: PauseControlDeps, now: Date): Promise<PauseStatus> {
  const [days, override] = await Promise.all([deps.reputation.days(windowDays(now, deps.policy.days)), deps.reputation.override()]);
  return { state: pauseState(days, override, now, deps.policy), override, policy: deps.policy };
}

/**
 * An operator lets sending go on for some hours whatever the rates (`resume`, recorded with who
 * did it), or ends such a resume (`cancel-resume`). Setting it twice is setting it once.
 */
export async function changePause(deps: PauseControlDeps, action: PauseAction, defaultBy: string, now: Date): Promise<SendingOverride | undefined> {
  const override = action.action === 'resume' ? operatorOverride(action.by ?? defaultBy, action.hours ?? RESUME_DEFAULT_HOURS, now) : undefined;
  await deps.reputation.setOverride(override);
  return override;
}
