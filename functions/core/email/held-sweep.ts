import { dayOf } from '../clock.ts';
import type { EngagementRepo, FrequencyCap, RunRepo, SendConfirmations, SendLedger } from '../ports.ts';
import type { SendRecord } from '../types.ts';
import { orphanDecision, RECONCILE_WINDOW_MS, sendIdOf } from './reconcile.ts';

/** What the notice of held sends says: when the first noted one is due for the sweep, and how many notes it took. */
export interface HeldNotice {
  due: string;
  notes: number;
}

/** The sweep's own state, read in one request each hour: the notice (when some send is held) and when the last full pass ended. */
export interface HeldSweepState {
  notice?: HeldNotice;
  /** The time of the last full pass that completed (its `now`): none yet, the next sweep makes one. */
  fullPassAt?: string;
}

/**
 * Held sends (still `claimed`) of one shard, oldest claim first: a sparse index, never a scan. And
 * the notice that some are held (`SendLedger.noteHeld` writes it when a send stays held), so an
 * hour with none held costs one read instead of a Query per shard.
 */
export interface HeldSends {
  shards: number;
  claimed(shard: number): AsyncIterable<SendRecord>;
  /** The notice and the last full pass, together. */
  state(): Promise<HeldSweepState>;
  /** Removes the notice read with `notes`; refused when a send was noted since (the count moved). */
  clearNotice(notes: number): Promise<void>;
  /** A notice due now, for held sends the daily pass found without one. */
  note(due: Date): Promise<void>;
  /** Records a full pass that completed at `at` (never moved back by an older one). */
  fullPassDone(at: Date): Promise<void>;
}

/**
 * How long after the last completed full pass the next one is due. A full pass reads every shard
 * whatever the notice says: it finds a held send nobody noted (its attempt died and its run was
 * stopped before any retry looked at it, or it was claimed before the notice existed), about a day
 * after its window at worst. Counted from the last pass that completed, so a pass that failed is
 * made again the next hour. A day less half an hour: the hourly schedule's invocations drift by
 * seconds, and a pass 23 h 59 min after the last must not wait another hour each day.
 */
export const FULL_PASS_EVERY_MS = 23.5 * 3_600_000;

/** Whether the full pass is due at `now`, given the last one's time. */
export const fullPassDue = (fullPassAt: string | undefined, now: Date) => !fullPassAt || now.getTime() - Date.parse(fullPassAt) >= FULL_PASS_EVERY_MS;

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
 * Settles held sends no run will come back for (docs/email.md, "Orphaned held sends"). It reads the
 * index only when the notice says a held send is due, or when the daily full pass is due (a day after
 * the last that completed, recorded once this one completes); it clears the notice
 * once nothing is left held (no send left to a live run, waiting, or claimed within the window). A send is
 * held while SES's answer was unclear or the process died mid-send; its run's next attempt of the
 * step normally settles it. When that run was stopped or failed, this does, with the same decision
 * (reconcile.ts): confirmed by an SES event means sent; no event after the window means failed,
 * with the reason. It never sends. A send whose run is still live is left to the run.
 */
export async function sweepHeldSends(deps: HeldSweepDeps, now: Date, windowMs = RECONCILE_WINDOW_MS): Promise<HeldSweepResult> {
  const result: HeldSweepResult = { checked: 0, live: 0, waiting: 0, sent: 0, failed: 0 };
  const { notice, fullPassAt } = await deps.held.state();
  const fullPass = fullPassDue(fullPassAt, now);
  if (!fullPass && !(notice && notice.due <= now.toISOString())) return result;
  // Anything claimed within the window is waiting whatever its run: not settled, only counted as left.
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
  let recent = 0;
  await Promise.all(
    Array.from({ length: deps.held.shards }, async (_, shard) => {
      for await (const send of deps.held.claimed(shard)) {
        // Oldest first: from here on, claimed within the window (their notice, if any, is still to come due).
        if (send.claimedAt >= before) return void recent++;
        await settle(send);
      }
    }),
  );
  const left = result.live + result.waiting + recent;
  if (!left && notice) await deps.held.clearNotice(notice.notes);
  if (left && !notice) await deps.held.note(now);
  // Only now: a pass that threw before here is made again at the next hour's sweep.
  if (fullPass) await deps.held.fullPassDone(now);
  return result;
}
