import type { ActionOutcome } from '../types.ts';
import type { PlayAction } from './definition.ts';

/**
 * A held-out run asked for a side effect (a send, a task): a bug, never a decision. Thrown at the
 * boundary (delivery, the task write), it fails the step loudly instead of contacting a customer
 * the experiment promised to leave alone.
 */
export class HeldOutLeakError extends Error {
  override name = 'HeldOutLeakError';
}

/**
 * What a held-out run's step would have done, recorded instead of doing it. It is given no port
 * at all (no mailer, no task repository, no bus): it cannot send, create, announce or set.
 */
export function rehearse(actions: PlayAction[], templateOf: (action: Extract<PlayAction, { email: string }>) => string): ActionOutcome[] {
  return actions.map((action): ActionOutcome => {
    if ('email' in action) {
      const template = templateOf(action);
      return { kind: 'email', template, outcome: 'held-out', detail: `held-out: would send ${template}` };
    }
    if ('task' in action) return { kind: 'task', outcome: 'held-out', detail: `held-out: would create task "${action.task.title}"` };
    if ('event' in action) return { kind: 'event', outcome: 'held-out', detail: `held-out: would publish play.${action.event}` };
    return { kind: 'stage', outcome: 'held-out', detail: `held-out: would set stage ${action.stage}` };
  });
}
