import type { UsageDay } from '../types.ts';

/** Fewer tech-touch emails than this in the window say too little about engagement: the signal is left missing. */
export const MIN_EMAILS_SENT = 3;

/**
 * Share of the emails sent in the window that were opened, clicked or replied to (seed-002's
 * "email engagement"). Counted by SES message id, so an open reported twice, or both an open and a
 * click, counts once; an open of an email sent before the window does not count.
 */
export function emailEngagement(window: UsageDay[]): number | undefined {
  const sent = new Set(window.flatMap((d) => d.emailsSent ?? []));
  if (sent.size < MIN_EMAILS_SENT) return undefined;
  const engaged = new Set(
    window.flatMap((d) => [...(d.emailsOpened ?? []), ...(d.emailsClicked ?? []), ...(d.emailsReplied ?? [])]).filter((id) => sent.has(id)),
  );
  return engaged.size / sent.size;
}
