import { describe, expect, it } from 'vitest';
import { accountCard, cardText, cardTier, nextAction } from '../../functions/core/card.ts';
import type { Account, RunRecord, StoredScore } from '../../functions/core/types.ts';

const now = new Date('2026-06-01T12:00:00Z');
const account = (extra: Partial<Account> = {}): Account =>
  ({
    id: 'acme',
    name: 'Acme',
    status: 'active',
    segment: 'tech-touch',
    startDate: '2025-01-01T00:00:00.000Z',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    primaryContact: { email: 'a@acme.example' },
    ...extra,
  }) as Account;
const score = (extra: Partial<StoredScore> = {}) =>
  ({ score: 80, tier: 'green', color: '#2e7d32', flags: {}, driversDown: [], ...extra }) as unknown as StoredScore;
const thresholds = { newAccountDays: 90, renewalWithinDays: 60 };
const run = (extra: Partial<RunRecord> = {}): RunRecord => ({
  accountId: 'acme',
  play: 'onboarding',
  cycle: '2026-05-20',
  executionName: 'x',
  status: 'running',
  startedAt: '2026-05-20T00:00:00Z',
  trigger: { on: 'account.created', at: '2026-05-20T00:00:00Z' },
  schedule: { welcome: '2026-05-21T00:00:00Z', day_7: '2026-05-27T00:00:00Z', day_14: '2026-06-03T00:00:00Z' },
  steps: {
    welcome: { outcome: 'done', at: '2026-05-21T00:00:01Z', actions: [{ kind: 'email', template: 'welcome', outcome: 'sent' }] },
    'day-7': { outcome: 'done', at: '2026-05-27T00:00:01Z', actions: [{ kind: 'email', template: 'checkin-active', outcome: 'sent' }] },
  },
  next: { step: 'day-14', at: '2026-06-03T00:00:00Z' },
  ...extra,
});

describe('the account card', () => {
  it('takes the tier from the plan name, else the ARR segment', () => {
    expect(cardTier({ plan: 'Enterprise annual', segment: 'tech-touch' })).toBe('Enterprise');
    expect(cardTier({ plan: 'Pro', segment: 'tech-touch' })).toBe('Pro');
    expect(cardTier({ plan: 'Free trial', segment: 'high-touch' })).toBe('Starter');
    expect(cardTier({ segment: 'medium-touch' })).toBe('Pro');
    expect(cardTier({ plan: 'Custom', segment: 'high-touch' })).toBe('Enterprise');
  });

  it('names the soonest next step of the live plays', () => {
    expect(nextAction([run()], 'Onboarding', account(), now)).toBe('onboarding step day-14 on 2026-06-03');
    expect(nextAction([run(), run({ play: 'save', status: 'paused', next: { step: 'watch', at: '2026-06-02T00:00:00Z' } })], 'At-Risk', account(), now)).toBe(
      'save step watch on 2026-06-02 (paused)',
    );
    expect(nextAction([run({ status: 'completed' })], 'At-Risk', account(), now)).toContain('champion');
  });

  it('puts a red account with a renewal in 20 days at risk, urgent, with its last email as last contact', () => {
    const card = accountCard({
      account: account({ renewalDate: '2026-06-21T00:00:00.000Z' }),
      score: score({ score: 35, tier: 'red' }),
      runs: [run()],
      now,
      thresholds,
      onboardingPlay: 'onboarding',
    });
    expect(card).toMatchObject({ stage: 'At-Risk', priority: 'urgent', lastContact: '2026-05-27T00:00:01Z' });
  });

  it('tells retention, expansion and adoption apart', () => {
    const card = (a: Partial<Account>, s?: Partial<StoredScore>) =>
      accountCard({ account: account(a), score: score(s), runs: [], now, thresholds, onboardingPlay: 'onboarding' });
    expect(card({ renewalDate: '2026-07-10T00:00:00.000Z' }).stage).toBe('Retention');
    expect(card({}, { flags: { 'near-seat-limit': { kind: 'expansion', since: '2026-05-01' } } as never }).stage).toBe('Expansion');
    expect(card({}).stage).toBe('Adoption');
    expect(card({ startDate: '2026-05-01T00:00:00.000Z' }).stage).toBe('Onboarding');
    expect(card({}).priority).toBe('low');
    // A stage set by a play stands, unless the account is at risk now.
    expect(card({ stage: 'retention' }).stage).toBe('Retention');
    expect(card({ stage: 'adoption' }, { band: 'red', tier: 'critical' }).stage).toBe('At-Risk');
  });

  it("writes the brief's eight fields as text, in order", () => {
    const text = cardText(accountCard({ account: account(), score: undefined, runs: [], now, thresholds, onboardingPlay: 'onboarding' }));
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual(['CUSTOMER', 'TIER', 'HEALTH_SCORE', 'STAGE', 'LAST_CONTACT', 'NEXT_ACTION', 'PRIORITY', 'NOTES']);
    expect(text).toContain('HEALTH_SCORE: not scored yet');
  });
});
