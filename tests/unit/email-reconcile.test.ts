import { describe, expect, it } from 'vitest';
import { maxAttempts, reconcileDecision, sendIdOf, type SendConfirmation, type UnclearSend } from '../../functions/core/email/reconcile.ts';

const claimedAt = '2026-03-02T10:00:00.000Z';
const record = (over: Partial<UnclearSend> = {}): UnclearSend => ({ status: 'claimed', claimedAt, ...over });
const event = (type: string): SendConfirmation => ({ sendId: 's', messageId: 'ses-1', event: type, at: claimedAt });
const at = (minutes: number) => new Date(Date.parse(claimedAt) + minutes * 60_000);

describe('reconcileDecision: what to do with a send whose SES answer was unclear', () => {
  it.each([
    ['a Send event confirms it, even early', record(), event('Send'), 'normal', 1, { action: 'confirmed', messageId: 'ses-1' }],
    ['a Delivery, Bounce or DeliveryDelay too', record({ attempt: 2 }), event('Bounce'), 'low', 30, { action: 'confirmed', messageId: 'ses-1' }],
    ['a Reject means SES did not send it', record(), event('Reject'), 'critical', 30, { action: 'rejected' }],
    ['no event yet, inside the window: wait for its end', record(), undefined, 'normal', 5, { action: 'wait', until: '2026-03-02T10:15:00.000Z' }],
    [
      'the window counts from the attempt, not the claim',
      record({ attempt: 2, attemptedAt: '2026-03-02T11:00:00.000Z' }),
      undefined,
      'normal',
      70,
      { action: 'wait', until: '2026-03-02T11:15:00.000Z' },
    ],
    ['no event after the window: normal priority retries once', record(), undefined, 'normal', 15, { action: 'retry', attempt: 2 }],
    ['critical (renewal) retries once', record({ attempt: 1 }), undefined, 'critical', 20, { action: 'retry', attempt: 2 }],
    ['after the second unclear attempt: given up', record({ attempt: 2, attemptedAt: claimedAt }), undefined, 'critical', 15, { action: 'give-up' }],
    ['low priority (tips) is given up at once', record(), undefined, 'low', 15, { action: 'give-up' }],
  ] as const)('%s', (_, rec, confirmation, priority, minutes, expected) => {
    expect(reconcileDecision(rec, confirmation, priority, at(minutes))).toMatchObject(expected);
  });

  it('gives a reason that names the window and the attempts when it gives up', () => {
    expect(reconcileDecision(record({ attempt: 2 }), undefined, 'normal', at(16))).toEqual({
      action: 'give-up',
      reason: 'given up: no SES event within 15 min of attempt 2 of 2 (normal priority), so it was not sent',
    });
  });

  it('sends at most twice, whatever the priority', () => {
    for (const p of ['critical', 'normal', 'low'] as const) expect(maxAttempts(p)).toBeLessThanOrEqual(2);
  });

  it('send ids are stable, distinct, and in the alphabet SES allows for tag values', () => {
    const a = sendIdOf('acme', 'run-1#welcome#ana@acme.example');
    expect(a).toBe(sendIdOf('acme', 'run-1#welcome#ana@acme.example'));
    expect(a).not.toBe(sendIdOf('acme', 'run-2#welcome#ana@acme.example'));
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
