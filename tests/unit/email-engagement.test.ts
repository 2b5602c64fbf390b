import { describe, expect, it } from 'vitest';
import { emailEngagement } from '../../functions/core/score/email-engagement.ts';
import { deriveSignals } from '../../functions/core/score/derive.ts';
import type { Account, SendRecord, UsageDay } from '../../functions/core/types.ts';
import { notAReply, recordReply, repliedMessageIds } from '../../functions/core/email/replies.ts';

const day = (d: string, e: Partial<UsageDay>): UsageDay => ({ day: d, users: [], features: [], userFeatures: [], ...e });

describe('email engagement signal', () => {
  it('is the share of sent emails opened or clicked, each message once', () => {
    const days = [
      day('2026-03-01', { emailsSent: ['m1', 'm2'], emailsOpened: ['m1'] }),
      day('2026-03-08', { emailsSent: ['m3', 'm4'], emailsOpened: ['m1', 'm3'], emailsClicked: ['m3'] }),
    ];
    expect(emailEngagement(days)).toBe(0.5);
  });

  it('ignores opens of emails sent before the window, and is missing with too few emails', () => {
    expect(emailEngagement([day('2026-03-01', { emailsSent: ['m1', 'm2', 'm3'], emailsOpened: ['old'] })])).toBe(0);
    expect(emailEngagement([day('2026-03-01', { emailsSent: ['m1', 'm2'], emailsOpened: ['m1'] })])).toBeUndefined();
  });

  it('feeds deriveSignals from the usage days', () => {
    const account = { id: 'a', seats: 5, startDate: '2026-01-01T00:00:00Z' } as Account;
    const days = [day('2026-03-10', { users: ['u1'], emailsSent: ['m1', 'm2', 'm3', 'm4'], emailsClicked: ['m2'] })];
    expect(deriveSignals(account, days, ['reports'], new Date('2026-03-20T06:00:00Z')).emailEngagement).toBe(0.25);
    expect(deriveSignals(account, [day('2026-03-10', { users: ['u1'] })], ['reports'], new Date('2026-03-20T06:00:00Z')).emailEngagement).toBeUndefined();
  });
});

describe('replies', () => {
  it.each([
    ['In-Reply-To of the us-east-1 domain', [{ name: 'In-Reply-To', value: '<0100019a-abc-000000@email.amazonses.com>' }], ['0100019a-abc-000000']],
    ['a regional domain, header name in any case', [{ name: 'in-reply-to', value: '<0102-x@eu-west-1.amazonses.com>' }], ['0102-x']],
    [
      'References with other ids, deduplicated',
      [
        { name: 'References', value: '<a@mail.gmail.com> <id1@email.amazonses.com>\r\n <id2@email.amazonses.com>' },
        { name: 'In-Reply-To', value: '<id2@email.amazonses.com>' },
      ],
      ['id2', 'id1'],
    ],
    [
      'a thread without SES ids',
      [
        { name: 'In-Reply-To', value: '<x@mail.gmail.com>' },
        { name: 'Subject', value: '<id@email.amazonses.com>' },
      ],
      [],
    ],
  ])('finds the SES message ids a mail answers: %s', (_, headers, ids) => {
    expect(repliedMessageIds(headers).sort()).toEqual([...ids].sort());
  });

  it('count as engagement, like an open', () => {
    const sent = ['m1', 'm2', 'm3', 'm4'];
    expect(
      emailEngagement([{ day: '2026-01-05', users: [], features: [], userFeatures: [], emailsSent: sent, emailsReplied: ['m1'], emailsOpened: ['m1', 'm2'] }]),
    ).toBe(0.5);
  });

  it('are recorded on the day the answered email was sent, and a mail answering nothing Tend sent is ignored', async () => {
    const recorded: unknown[] = [];
    const deps = {
      ledger: {
        byMessageId: async (id: string) =>
          id === 'm1' ? ({ accountId: 'acme', sentAt: '2026-01-05T10:00:00.000Z', claimedAt: '2026-01-05T10:00:00.000Z' } as SendRecord) : undefined,
      },
      engagement: { record: async (...args: unknown[]) => void recorded.push(args) },
    };
    const headers = [
      { name: 'References', value: '<zz@email.amazonses.com> <m1@email.amazonses.com>' },
      { name: 'Date', value: 'Wed, 07 Jan 2026 08:30:00 +0000' },
    ];
    expect(await recordReply(deps, headers)).toEqual({ accountId: 'acme', messageId: 'm1' });
    // The reply's own date keys its timeline entry: the same reply delivered twice is one entry.
    expect(recorded).toEqual([['acme', '2026-01-05', 'replied', 'm1', new Date('2026-01-07T08:30:00Z')]]);
    expect(await recordReply(deps, [{ name: 'In-Reply-To', value: '<zz@email.amazonses.com>' }])).toBeUndefined();
  });

  it.each([
    ['an out-of-office (RFC 3834)', [{ name: 'Auto-Submitted', value: 'auto-replied' }], {}, 'auto-submitted: auto-replied'],
    ['an older responder', [{ name: 'X-Autoreply', value: 'yes' }], {}, 'an auto-responder'],
    ['bulk precedence', [{ name: 'Precedence', value: 'Bulk' }], {}, 'precedence: bulk'],
    ['spam', [], { spam: 'FAIL' }, 'spam'],
    ['a virus', [], { virus: 'FAIL' }, 'a virus'],
    ['a person (Auto-Submitted: no, verdicts passed)', [{ name: 'Auto-Submitted', value: 'no' }], { spam: 'PASS', virus: 'PASS' }, undefined],
  ])('does not count %s', async (_, extra, verdicts, why) => {
    expect(notAReply(extra, verdicts)).toBe(why);
    const recorded: unknown[] = [];
    const deps = {
      ledger: { byMessageId: async () => ({ accountId: 'acme', sentAt: '2026-01-05T10:00:00.000Z', claimedAt: '2026-01-05T10:00:00.000Z' }) as SendRecord },
      engagement: { record: async (...args: unknown[]) => void recorded.push(args) },
    };
    await recordReply(deps, [...extra, { name: 'In-Reply-To', value: '<m1@email.amazonses.com>' }], verdicts);
    expect(recorded).toHaveLength(why ? 0 : 1);
  });
});
