import { describe, expect, it } from 'vitest';
import { accountCard, cardText, nextAction, priorityOf } from '../../functions/core/card.ts';
import { planOf } from '../../functions/core/plan.ts';
import { FLAG_RULES } from '../../functions/core/flags/rules.ts';
import { signalInfo } from '../../functions/core/score/signals.ts';
import type { Account, CsmTask, RunRecord, StoredScore } from '../../functions/core/types.ts';

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
  it('takes the plan from the plan name, else the ARR segment', () => {
    expect(planOf({ plan: 'Enterprise annual', segment: 'tech-touch' })).toBe('Enterprise');
    expect(planOf({ plan: 'Pro', segment: 'tech-touch' })).toBe('Pro');
    expect(planOf({ plan: 'Free trial', segment: 'high-touch' })).toBe('Starter');
    expect(planOf({ segment: 'medium-touch' })).toBe('Pro');
    expect(planOf({ plan: 'Custom', segment: 'high-touch' })).toBe('Enterprise');
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
    ).toEqual(['CUSTOMER', 'PLAN', 'HEALTH_SCORE', 'STAGE', 'LAST_CONTACT', 'NEXT_ACTION', 'PRIORITY', 'NOTES']);
    expect(text).toContain('HEALTH_SCORE: not scored yet');
  });

  // "payment is late or failed; ... payment status late": a flag's note says what the reasons for its signals would.
  it.each(Object.entries(FLAG_RULES).flatMap(([flag, rule]) => (rule.covers ?? []).map((signal) => [flag, signal] as const)))(
    'with %s active, leaves out the reason for %s and keeps the others',
    (flag, signal) => {
      const reason = (sig: string, value: string | number) => ({
        signal: sig,
        value,
        score: 0,
        points: 0,
        pointsLost: 10,
        text: signalInfo(sig).describe(value),
      });
      const s = score({
        flags: { [flag]: { kind: FLAG_RULES[flag]!.kind, since: '2026-05-01' } } as never,
        driversDown: [reason(signal, signal === 'paymentStatus' ? 'late' : 3), reason('csat', 2.5)],
      });
      const notes = accountCard({ account: account(), score: s, runs: [], now, thresholds, onboardingPlay: 'onboarding' }).notes;
      expect(notes).toEqual([FLAG_RULES[flag]!.describe, 'CSAT averages 2.5 of 5 over the last 90 days']);
    },
  );

  it('says each note once', () => {
    const pinned = [
      { text: 'Call Pat', author: 'sam', pinned: true },
      { text: 'Call Pat', author: 'sam', pinned: true },
    ] as never;
    const card = accountCard({ account: account(), score: score(), runs: [], pinnedNotes: pinned, now, thresholds, onboardingPlay: 'onboarding' });
    expect(card.notes).toEqual(['pinned: Call Pat (sam)']);
  });

  // One meaning per word (docs/api.md "Names"): plan is Starter/Pro/Enterprise, tier the model's level, band green/yellow/red.
  it.each([
    ['a model whose levels are the bands', { score: 62, tier: 'yellow', band: 'yellow' as const }, 'HEALTH_SCORE: 62 (yellow)'],
    ['a model with its own level names', { score: 55, tier: 'at risk', band: 'yellow' as const }, 'HEALTH_SCORE: 55 (at risk, yellow)'],
  ])('shows the health of %s with its level and band, and the plan as PLAN', (_, s, line) => {
    const card = accountCard({ account: account({ plan: 'Pro annual' }), score: score(s), runs: [], now, thresholds, onboardingPlay: 'onboarding' });
    expect(card).toMatchObject({ plan: 'Pro', healthScore: { score: s.score, tier: s.tier, band: s.band } });
    expect(card).not.toHaveProperty('tier');
    expect(cardText(card)).toContain(line);
    expect(cardText(card)).toContain('PLAN: Pro');
  });
});

const task = (extra: Partial<CsmTask> = {}): CsmTask => ({
  id: 't1',
  accountId: 'acme',
  title: 'Call the champion',
  priority: 'medium',
  status: 'open',
  dueAt: '2026-06-05T00:00:00.000Z',
  createdAt: '2026-05-30T00:00:00.000Z',
  owner: 'alex',
  play: 'save',
  step: 'review',
  executionName: 'x',
  ...extra,
});

describe("the card's next action and priority from the account's tasks", () => {
  // run().next is day-14 on 2026-06-03; now is 2026-06-01T12:00.
  it.each([
    ['no task: the next play step', [], 'onboarding step day-14 on 2026-06-03'],
    ['an open task due before the play step wins', [task({ dueAt: '2026-06-02T00:00:00.000Z' })], 'task: Call the champion (medium, due 2026-06-02, alex)'],
    ['an open task due after the play step waits its turn', [task()], 'onboarding step day-14 on 2026-06-03'],
    [
      'an overdue task says so, and an unassigned one says that',
      [task({ dueAt: '2026-05-31T00:00:00.000Z', owner: undefined })],
      'task: Call the champion (medium, overdue since 2026-05-31, unassigned)',
    ],
    [
      'a snoozed task is not the next action',
      [task({ dueAt: '2026-05-31T00:00:00.000Z', status: 'snoozed', snoozedUntil: '2026-06-10T00:00:00.000Z' })],
      'onboarding step day-14 on 2026-06-03',
    ],
    [
      'a snooze that has ended makes it open again',
      [task({ dueAt: '2026-05-31T00:00:00.000Z', status: 'snoozed', snoozedUntil: '2026-06-01T00:00:00.000Z' })],
      'task: Call the champion (medium, overdue since 2026-05-31, alex)',
    ],
    ['a done task is not', [task({ dueAt: '2026-05-31T00:00:00.000Z', status: 'done' })], 'onboarding step day-14 on 2026-06-03'],
    [
      'the earliest of several',
      [task({ id: 'b', title: 'Later', dueAt: '2026-06-02T06:00:00.000Z' }), task({ id: 'a', title: 'Sooner', dueAt: '2026-06-02T00:00:00.000Z' })],
      'task: Sooner (medium, due 2026-06-02, alex)',
    ],
  ])('%s', (_, tasks, expected) => {
    expect(nextAction([run()], 'Onboarding', account(), now, tasks)).toBe(expected);
  });

  it('with no play running, an open task is the next action rather than the stage advice', () => {
    expect(nextAction([], 'Adoption', account(), now, [task({ dueAt: '2026-07-01T00:00:00.000Z' })])).toBe(
      'task: Call the champion (medium, due 2026-07-01, alex)',
    );
  });

  const overdue = '2026-05-31T00:00:00.000Z';
  it.each([
    ['no tasks: from the stage', 'Adoption', [], 'low'],
    ['an overdue urgent task makes it urgent', 'Adoption', [task({ priority: 'urgent', dueAt: overdue })], 'urgent'],
    ['an overdue high task makes it at least high', 'Adoption', [task({ priority: 'high', dueAt: overdue })], 'high'],
    ['an overdue low task makes it at least medium', 'Adoption', [task({ priority: 'low', dueAt: overdue })], 'medium'],
    ['an urgent task not yet due changes nothing', 'Adoption', [task({ priority: 'urgent' })], 'low'],
    ['an overdue urgent task done changes nothing', 'Adoption', [task({ priority: 'urgent', dueAt: overdue, status: 'done' })], 'low'],
    [
      'an overdue urgent task snoozed changes nothing',
      'Adoption',
      [task({ priority: 'urgent', dueAt: overdue, status: 'snoozed', snoozedUntil: '2026-06-09T00:00:00.000Z' })],
      'low',
    ],
    ['never lowers the stage: at risk stays high', 'At-Risk', [task({ priority: 'low', dueAt: overdue })], 'high'],
  ] as const)('%s', (_, stage, tasks, expected) => {
    expect(priorityOf(stage, score({ score: 50 }), account(), now, [...tasks])).toBe(expected);
  });

  it('leads its notes with the pinned ones, on one line', () => {
    const card = accountCard({
      account: account(),
      score: score(),
      runs: [],
      pinnedNotes: [
        {
          id: 'n',
          accountId: 'acme',
          author: 'sam',
          text: 'Champion\nleaves in May',
          pinned: true,
          createdAt: '2026-05-01T00:00:00Z',
          at: '2026-05-01T00:00:00Z',
        },
      ],
      now,
      thresholds,
      onboardingPlay: 'onboarding',
    });
    expect(card.notes[0]).toBe('pinned: Champion leaves in May (sam)');
  });
});
