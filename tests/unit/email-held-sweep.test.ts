import { describe, expect, it } from 'vitest';
import { executionOfSend, FULL_PASS_EVERY_MS, sweepHeldSends, type HeldNotice, type HeldSweepDeps } from '../../functions/core/email/held-sweep.ts';
import { orphanDecision, sendIdOf, type SendConfirmation, type UnclearSend } from '../../functions/core/email/reconcile.ts';
import type { SendRecord } from '../../functions/core/types.ts';

const claimedAt = '2026-03-02T10:00:00.000Z';
const record = (over: Partial<UnclearSend> = {}): UnclearSend => ({ status: 'claimed', claimedAt, ...over });
const event = (type: string): SendConfirmation => ({ sendId: 's', messageId: 'ses-1', event: type, at: claimedAt });
const at = (minutes: number) => new Date(Date.parse(claimedAt) + minutes * 60_000);

describe('orphanDecision: a held send whose run is gone', () => {
  it.each([
    ['an SES event confirms it: sent', record(), event('Delivery'), 16, { action: 'confirmed', messageId: 'ses-1', event: 'Delivery' }],
    ['a Reject: failed, SES said so', record(), event('Reject'), 16, { action: 'rejected' }],
    ['no event inside the window: wait', record(), undefined, 5, { action: 'wait', until: '2026-03-02T10:15:00.000Z' }],
    ['no event after the window of a first attempt: given up, not retried', record(), undefined, 15, { action: 'give-up' }],
    ['after a second attempt too', record({ attempt: 2, attemptedAt: '2026-03-02T10:30:00.000Z' }), undefined, 46, { action: 'give-up' }],
    ['the window counts from the last attempt', record({ attempt: 2, attemptedAt: '2026-03-02T10:30:00.000Z' }), undefined, 40, { action: 'wait' }],
  ] as const)('%s', (_, rec, confirmation, minutes, expected) => {
    expect(orphanDecision(rec, confirmation, 'its run r-1 is no longer live', at(minutes))).toMatchObject(expected);
  });

  it('never retries, and says why in the reason', () => {
    for (const attempt of [1, 2, 3]) {
      const decision = orphanDecision(record({ attempt }), undefined, 'its run r-1 is no longer live', at(60 * 24));
      expect(decision).toEqual({
        action: 'give-up',
        reason: `given up: no SES event within 15 min of attempt ${attempt}, so it was not sent, and its run r-1 is no longer live: not sent again`,
      });
    }
  });
});

describe('executionOfSend', () => {
  it.each([
    ['onboarding-acme-2026-03-02', 'welcome', 'a@acme.example'],
    ['exec#with#hashes', 'day-3', 'x#y@z.example'],
  ])('takes the execution back out of the send key (%s)', (execution, step, contact) => {
    expect(executionOfSend({ sendKey: `${execution}#${step}#${contact}`, step, contact })).toBe(execution);
  });
});

/**
 * In-memory ports: the ledger's records, SES's confirmations, the live runs, the notice of held sends
 * (by default one due at the claims' time, as the ledger notes an unclear send), the last full pass
 * (by default at the claims' time: the next is due a day later) and the shards' reads.
 */
function world(
  sends: SendRecord[],
  live: Record<string, string[]> = {},
  confirmed: Record<string, SendConfirmation> = {},
  /** `null`: none. */
  notice: HeldNotice | null = { due: claimedAt, notes: 1 },
  /** `null`: none yet. */
  fullPassAt: string | null = claimedAt,
) {
  const ledger = new Map(sends.map((s) => [s.sendKey, { ...s }]));
  const engagement: string[] = [];
  const released: string[] = [];
  const state: { notice: HeldNotice | undefined; fullPassAt: string | undefined; shardReads: number } = {
    notice: notice ?? undefined,
    fullPassAt: fullPassAt ?? undefined,
    shardReads: 0,
  };
  const deps: HeldSweepDeps = {
    held: {
      shards: 2,
      async *claimed(shard) {
        state.shardReads++;
        const held = [...ledger.values()].filter((s) => s.status === 'claimed' && s.accountId.length % 2 === shard);
        yield* held.sort((a, b) => a.claimedAt.localeCompare(b.claimedAt));
      },
      state: async () => ({ ...(state.notice && { notice: { ...state.notice } }), ...(state.fullPassAt && { fullPassAt: state.fullPassAt }) }),
      fullPassDone: async (when) => void (state.fullPassAt = state.fullPassAt && state.fullPassAt > when.toISOString() ? state.fullPassAt : when.toISOString()),
      clearNotice: async (notes) => void (state.notice?.notes === notes && (state.notice = undefined)),
      note: async (due) => void (state.notice = { due: state.notice?.due ?? due.toISOString(), notes: (state.notice?.notes ?? 0) + 1 }),
    },
    ledger: {
      async markSent(_a, key, messageId, when) {
        Object.assign(ledger.get(key)!, { status: 'sent', messageId, sentAt: when.toISOString() });
      },
      async close(_a, key, status, reason) {
        Object.assign(ledger.get(key)!, { status, error: reason });
      },
    },
    confirmations: { record: async () => {}, get: async (sendId) => confirmed[sendId] },
    engagement: { record: async (accountId, day, kind, id) => void engagement.push(`${accountId} ${day} ${kind} ${id}`) },
    cap: { release: async (email, key) => void released.push(`${email} ${key}`) },
    runs: { live: async (accountId) => (live[accountId] ?? []).map((executionName) => ({ play: 'p', executionName, cycle: 'c' })) },
  };
  return { deps, ledger, engagement, released, state };
}

const send = (accountId: string, execution: string, over: Partial<SendRecord> = {}): SendRecord => ({
  accountId,
  sendKey: `${execution}#welcome#cs@${accountId}.example`,
  contact: `cs@${accountId}.example`,
  template: 'welcome',
  play: 'onboarding',
  step: 'welcome',
  status: 'claimed',
  claimedAt,
  ...over,
});

describe('sweepHeldSends', () => {
  it('settles orphaned held sends by their SES events, leaves live runs and recent claims alone, sends nothing', async () => {
    const confirmedSend = send('acme', 'run-stopped');
    const w = world(
      [
        confirmedSend,
        send('bb', 'run-failed'),
        send('acme', 'run-live'),
        send('ccc', 'run-recent', { claimedAt: '2026-03-02T11:50:00.000Z' }),
        send('dd', 'run-done', { status: 'sent', messageId: 'ses-old' }),
      ],
      { acme: ['run-live'] },
      { [sendIdOf('acme', confirmedSend.sendKey)]: { ...event('Send'), messageId: 'ses-9' } },
    );
    const result = await sweepHeldSends(w.deps, at(120));
    expect(result).toEqual({ checked: 3, live: 1, waiting: 0, sent: 1, failed: 1 });
    expect(w.ledger.get(confirmedSend.sendKey)).toMatchObject({ status: 'sent', messageId: 'ses-9' });
    expect(w.ledger.get(send('bb', 'run-failed').sendKey)).toMatchObject({ status: 'failed', error: expect.stringContaining('run-failed is no longer live') });
    expect(w.ledger.get(send('acme', 'run-live').sendKey)?.status).toBe('claimed');
    expect(w.ledger.get(send('ccc', 'run-recent').sendKey)?.status).toBe('claimed');
    expect(w.engagement).toEqual(['acme 2026-03-02 sent ses-9']);
    expect(w.released).toEqual([`cs@bb.example ${send('bb', 'run-failed').sendKey}`]);
  });

  it('a second sweep finds nothing left to do', async () => {
    const w = world([send('acme', 'gone'), send('bb', 'gone')]);
    await sweepHeldSends(w.deps, at(120));
    expect(await sweepHeldSends(w.deps, at(180))).toEqual({ checked: 0, live: 0, waiting: 0, sent: 0, failed: 0 });
  });

  it('a retried attempt still inside its window waits', async () => {
    const w = world([send('acme', 'gone', { attempt: 2, attemptedAt: '2026-03-02T11:55:00.000Z' })]);
    expect(await sweepHeldSends(w.deps, at(120))).toMatchObject({ checked: 1, waiting: 1 });
  });
});

describe('sweepHeldSends: the notice of held sends', () => {
  const nothing = { checked: 0, live: 0, waiting: 0, sent: 0, failed: 0 };
  const fullPass = new Date(Date.parse(claimedAt) + FULL_PASS_EVERY_MS);

  it('no notice: the hour reads no shard', async () => {
    const w = world([send('acme', 'gone')], {}, {}, null);
    expect(await sweepHeldSends(w.deps, at(120))).toEqual(nothing);
    expect(w.state.shardReads).toBe(0);
    expect(w.ledger.get(send('acme', 'gone').sendKey)?.status).toBe('claimed');
  });

  it('a notice not yet due: the hour reads no shard', async () => {
    const w = world([send('acme', 'gone')], {}, {}, { due: at(121).toISOString(), notes: 1 });
    expect(await sweepHeldSends(w.deps, at(120))).toEqual(nothing);
    expect(w.state.shardReads).toBe(0);
  });

  it('the daily full pass reads every shard without a notice, and notes what it leaves held', async () => {
    const w = world([send('acme', 'gone'), send('bb', 'run-live')], { bb: ['run-live'] }, {}, null);
    expect(await sweepHeldSends(w.deps, fullPass)).toMatchObject({ checked: 2, live: 1, failed: 1 });
    expect(w.state.shardReads).toBe(2);
    expect(w.state.notice).toEqual({ due: fullPass.toISOString(), notes: 1 });
  });

  it('the full pass is due a day after the last completed one, at any hour, and recorded only once it completes', async () => {
    const w = world([send('acme', 'gone')], {}, {}, null);
    // An hour short of its due time: no pass yet.
    expect(await sweepHeldSends(w.deps, new Date(fullPass.getTime() - 3_600_000))).toEqual(nothing);
    expect(w.state.shardReads).toBe(0);
    // The due pass fails midway (a throttled read): not recorded, so the next hour makes it again.
    const claimed = w.deps.held.claimed;
    w.deps.held.claimed = async function* () {
      yield* [];
      throw new Error('throttled');
    };
    await expect(sweepHeldSends(w.deps, fullPass)).rejects.toThrow('throttled');
    expect(w.state.fullPassAt).toBe(claimedAt);
    w.deps.held.claimed = claimed;
    const nextHour = new Date(fullPass.getTime() + 3_600_000);
    expect(await sweepHeldSends(w.deps, nextHour)).toMatchObject({ checked: 1, failed: 1 });
    expect(w.state.fullPassAt).toBe(nextHour.toISOString());
    // The next is a day after that one, whatever the hour (here 11:00 UTC, not 00:00).
    w.state.shardReads = 0;
    expect(await sweepHeldSends(w.deps, new Date(nextHour.getTime() + FULL_PASS_EVERY_MS - 60_000))).toEqual(nothing);
    expect(w.state.shardReads).toBe(0);
    await sweepHeldSends(w.deps, new Date(nextHour.getTime() + FULL_PASS_EVERY_MS));
    expect(w.state.shardReads).toBe(2);
  });

  it('none recorded yet (a new deployment): the first sweep makes the full pass', async () => {
    const w = world([send('acme', 'gone')], {}, {}, null, null);
    expect(await sweepHeldSends(w.deps, at(120))).toMatchObject({ checked: 1, failed: 1 });
    expect(w.state.fullPassAt).toBe(at(120).toISOString());
  });

  it('a pass made for a due notice, with no full pass due, records none', async () => {
    const w = world([send('acme', 'gone')]);
    await sweepHeldSends(w.deps, at(120));
    expect(w.state.fullPassAt).toBe(claimedAt);
  });

  it('cleared once nothing is left held; kept while a send is left to its live run', async () => {
    const w = world([send('acme', 'gone'), send('bb', 'run-live')], { bb: ['run-live'] });
    await sweepHeldSends(w.deps, at(120));
    expect(w.state.notice).toEqual({ due: claimedAt, notes: 1 });
    w.ledger.get(send('bb', 'run-live').sendKey)!.status = 'sent';
    expect(await sweepHeldSends(w.deps, at(180))).toEqual(nothing);
    expect(w.state.notice).toBeUndefined();
  });

  it('kept while a send claimed within the window is held (its own notice may have been folded into this one)', async () => {
    const w = world([send('acme', 'gone'), send('bb', 'recent', { claimedAt: at(110).toISOString() })]);
    expect(await sweepHeldSends(w.deps, at(120))).toMatchObject({ checked: 1, failed: 1 });
    expect(w.state.notice).toBeDefined();
  });

  it('not cleared when a send was noted after the sweep read the notice', async () => {
    const w = world([send('acme', 'gone')]);
    const read = w.deps.held.state;
    w.deps.held.state = async () => {
      const seen = await read();
      await w.deps.held.note(at(125));
      return seen;
    };
    await sweepHeldSends(w.deps, at(120));
    expect(w.state.notice).toEqual({ due: claimedAt, notes: 2 });
  });
});
