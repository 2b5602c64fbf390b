import { ConflictError, NotFoundError } from '../errors.ts';
import * as z from '../zod.ts';
import type { HoldoutEnd, HoldoutRepo } from '../ports.ts';
import type { PlayDefinition } from './definition.ts';
import { playById } from './play-by-id.ts';

/** `POST /v1/plays/{play}/holdout/end`: why (required: it is the experiment's record) and who (default: the API key). Built on first use. */
export const holdoutEndSchema = /* @__PURE__ */ z.lazy(() =>
  z.object({
    reason: z.string().check(z.minLength(1), z.maxLength(500)),
    by: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
);

/**
 * Ends a play's holdout early (docs/holdouts.md): runs that begin from now on are all treated;
 * runs already held out stay held out to their end, so the groups drawn so far stay comparable.
 * The first end stands: ending it again answers the recorded end.
 */
export async function endHoldout(
  deps: { clock: { now(): Date }; plays: Record<string, PlayDefinition>; holdouts: Pick<HoldoutRepo, 'end'> },
  playId: string,
  input: { reason: string; by: string },
): Promise<{ ended: boolean; end: HoldoutEnd }> {
  const play = playById(deps.plays, playId);
  if (!play) throw new NotFoundError(`play "${playId}" is not configured; plays: ${Object.keys(deps.plays).join(', ')}`);
  if (!play.holdout) throw new ConflictError(`play "${playId}" has no holdout (tend.config.ts plays.${playId}.holdout)`);
  const { ended, record } = await deps.holdouts.end({ play: play.id, endedAt: deps.clock.now().toISOString(), by: input.by, reason: input.reason });
  return { ended, end: record };
}
