import type { TestRuntime } from './runtime.ts';

/**
 * What the integration tests that run plays for weeks of a paused clock share: stepping the clock
 * (6 hours at a time, letting the runtime settle after each step, so waits and schedules fire in
 * order), waiting for something to show, a send found, and an SES event as EventBridge delivers it.
 */
export async function advanceTo(rt: TestRuntime, toMs: number) {
  while (rt.clock.nowMs() < toMs) {
    rt.clock.advanceTo(Math.min(toMs, rt.clock.nowMs() + 6 * 3_600_000));
    await rt.idle();
  }
}

/** Looks again every 10 ms, 300 times at most; the last look's answer. */
export async function until(what: () => Promise<boolean>) {
  for (let i = 0; i < 300 && !(await what()); i++) await new Promise((r) => setTimeout(r, 10));
  return what();
}

/** The account's welcome email once sent (it has its SES message id). */
export const welcomeOf = async (rt: TestRuntime, id: string) => (await rt.items(id, 'SEND#')).find((s) => s.template === 'welcome' && s.messageId)!;

/** An SES event about a send, as SES publishes it to EventBridge. */
export const sesEvent = (detailType: string, eventType: string, send: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  Source: 'aws.ses',
  DetailType: detailType,
  Detail: JSON.stringify({
    eventType,
    mail: { timestamp: send.sentAt, messageId: send.messageId, destination: [send.contact], tags: { account: [send.accountId], send: [send.sendId] } },
    ...extra,
  }),
});
