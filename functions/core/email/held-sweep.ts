import { dayOf } from '../clock.ts';
import type { EngagementRepo, FrequencyCap, RunRepo, SendConfirmations, SendLedger } from '../ports.ts';
import type { SendRecord } from '../types.ts';
import { orphanDecision, RECONCILE_WINDOW_MS, sendIdOf } from './reconcile.ts';

/** Held sends (still `claimed`) of one shard claimed before a time, oldest first: a sparse index, never a scan. */
export interface HeldSends {
  shards: number;
  claimedBefore(shard: number, before: string): AsyncIterable<SendRecord>;
}

export interface HeldSweepDeps {
  held: HeldSends;
  ledger: { markSent: SendLedger['markSent']; close: NonNullable<SendLedger['close']> };
  confirmations: SendConfirmations;
  engagement: Pick<EngagementRepo, 'record'>;
  cap: Pick<FrequencyCap, 'release'>;
  runs: Pick<RunRepo, 'live'>;
}

export interface HeldSweepResult {
  /** Held sends older than the window that were looked at. */
  checked: number;
  /** Left to their run, which is live and will settle them itself. */
  live: number;
  /** Orphaned but still inside the window of their last attempt. */
  waiting: number;
  sent: number;
  failed: number;
}

/** The execution a send belongs to: its key is `<execution>#<step>#<contact>` (core/email/deliver.ts). */
export function executionOfSend(send: Pick<SendRecord, 'sendKey' | 'step' | 'contact'>): string {
  const suffix = `#${send.step}#${send.contact}`;
  return send.sendKey.endsWith(suffix) ? send.sendKey.slice(0, -suffix.length) : send.sendKey;
}

/**
 * Settles held sends no run will come back for (docs/email.md, "Orphaned held sends"). A send is
 * held while SES's answer was unclear or the process died mid-send; its run's next attempt of the
 * step normally settles it. When that run was stopped or failed, this does, with the same decision
 * (reconcile.ts): confirmed by an SES event means sent; no event after the window means failed,
 * with the reason. It never sends. A send whose run is still live is left to the run.
 */
export async function sweepHeldSends(deps: HeldSweepDeps, now: Date, windowMs = RECONCILE_WINDOW_MS): Promise<HeldSweepResult> {
  const result: HeldSweepResult = { checked: 0, live: 0, waiting: 0, sent: 0, failed: 0 };
  // Anything claimed within the window is waiting whatever its run: not even read.
  const before = new Date(now.getTime() - windowMs).toISOString();
  const liveByAccount = new Map<string, Promise<Set<string>>>();
  const liveExecutions = (accountId: string) => {
    let live = liveByAccount.get(accountId);
    if (!live) liveByAccount.set(accountId, (live = deps.runs.live(accountId).then((runs) => new Set(runs.map((r) => r.executionName)))));
    return live;
  };
  const settle = async (send: SendRecord) => {
    result.checked++;
    const execution = executionOfSend(send);
    if ((await liveExecutions(send.accountId)).has(execution)) return void result.live++;
    const confirmation = await deps.confirmations.get(send.sendId ?? sendIdOf(send.accountId, send.sendKey));
    const decision = orphanDecision({ ...send, status: 'claimed' }, confirmation, `its run ${execution} is no longer live`, now, windowMs);
    switch (decision.action) {
      case 'wait':
        return void result.waiting++;
      case 'confirmed':
        await deps.ledger.markSent(send.accountId, send.sendKey, decision.messageId, now);
        await deps.engagement.record(send.accountId, dayOf(new Date(send.attemptedAt ?? send.claimedAt)), 'sent', decision.messageId);
        return void result.sent++;
      case 'rejected':
      case 'give-up':
        await deps.ledger.close(send.accountId, send.sendKey, 'failed', decision.reason, now);
        await deps.cap.release(send.contact, send.sendKey);
        return void result.failed++;
    }
  };
  await Promise.all(
    Array.from({ length: deps.held.shards }, async (_, shard) => {
      for await (const send of deps.held.claimedBefore(shard, before)) await settle(send);
    }),
  );
  return result;
}
