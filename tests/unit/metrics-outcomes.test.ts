import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookActivation, onboardingCompletion, userActivation } from '../../functions/core/metrics/activation.ts';
import { addEmailCounts, countSends, emailFigures, EMAIL_OUTCOMES, noEmailCounts, type SendFacts } from '../../functions/core/metrics/email-outcomes.ts';
import { outcomeFigures, wholeMonths } from '../../functions/core/metrics/outcomes.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { addPlayCounts, countPlays, noPlayCounts, playFigures, type RunFacts, type TaskFacts } from '../../functions/core/metrics/plays.ts';
import { countersFromSources } from '../../functions/data/outcome-figures.ts';
import { ACCOUNT_GROUPS, RUNS, SENDS, TASKS } from './support/outcomes-book.ts';

const counts = (c: Partial<ReturnType<typeof noPlayCounts>>) => ({ ...noPlayCounts(), ...c });
const mail = (c: Partial<ReturnType<typeof noEmailCounts>>) => ({ ...noEmailCounts(), ...c });

describe('play outcomes on the hand-computed fixture', () => {
  it.each([
    [
      '2026-Q1',
      {
        '(none)': counts({ tasksDone: 1, tasksOnTime: 1 }),
        onboarding: counts({ started: 4, completed: 2, exited: 1, exits: { churned: 1 } }),
        renewal: counts({ started: 1, failed: 1, tasksDone: 1, tasksOnTime: 0 }),
        save: counts({ started: 4, exited: 3, cancelled: 1, exits: { churned: 1, recovered: 1, renewed: 1 }, tasksDone: 2, tasksOnTime: 2 }),
      },
    ],
    [
      '2026-Q2',
      {
        renewal: counts({ started: 1, tasksDone: 1 }),
        save: counts({ started: 1, exited: 1, exits: { 'gave-up': 1 } }),
      },
    ],
    [
      '2026-03',
      {
        onboarding: counts({ started: 1, completed: 1 }),
        renewal: counts({ tasksDone: 1 }),
        save: counts({ started: 2, exited: 1, cancelled: 1, exits: { renewed: 1 } }),
      },
    ],
  ])('%s', (name, expected) => {
    expect(countPlays(RUNS, TASKS, periodOf(name))).toEqual(expected);
  });

  it.each([
    ['save', '2026-Q1', { ended: 4, live: 0, completionRate: 0, onTimeRate: 1, save: { saved: 2, lost: 1, rate: 2 / 3 }, query: '/v1/plays/save/runs' }],
    ['(none)', '2026-Q1', { ended: 0, live: 0, completionRate: null, onTimeRate: 1 }],
    ['save', '2026-Q2', { ended: 1, live: 0, onTimeRate: null, save: { saved: 0, lost: 1, rate: 0 } }],
    ['onboarding', '2026-Q1', { ended: 3, live: 1, completionRate: 2 / 3, onTimeRate: null }],
    ['renewal', '2026-Q1', { ended: 1, live: 0, completionRate: 0, onTimeRate: 0 }],
    ['renewal', '2026-Q2', { ended: 0, live: 1, completionRate: null, onTimeRate: 0 }],
  ])('%s figures in %s', (play, name, expected) => {
    const figures = playFigures(play, countPlays(RUNS, TASKS, periodOf(name))[play]!);
    expect(figures).toMatchObject(expected);
    if (play !== 'save') expect(figures.save).toBeUndefined();
    // Tasks made by hand have no runs to list.
    if (play === '(none)') expect('query' in figures).toBe(false);
  });

  it('onboarding completion of the accounts that began onboarding in the period', () => {
    expect(onboardingCompletion(countPlays(RUNS, TASKS, periodOf('2026-Q1')).onboarding)).toEqual({
      started: 4,
      completed: 2,
      endedEarly: 1,
      pending: 1,
      rate: 2 / 3,
      exits: { churned: 1 },
    });
    // No onboarding in the period: no rate, not 0%.
    expect(onboardingCompletion(undefined)).toMatchObject({ started: 0, rate: null });
  });
});

describe('email outcomes per template on the hand-computed fixture', () => {
  it.each([
    [
      '2026-Q1',
      {
        welcome: mail({ sent: 3, opened: 2, clicked: 1, bounced: 1 }),
        'save-outreach': mail({ sent: 2, opened: 1, replied: 1, complained: 1, unsubscribed: 1 }),
        'renewal-notice': mail({ sent: 1, opened: 1 }),
      },
    ],
    ['2026-Q2', { welcome: mail({ sent: 1, opened: 1 }) }],
    ['2026-02', { welcome: mail({ sent: 1, bounced: 1 }), 'save-outreach': mail({ sent: 1, opened: 1, replied: 1 }) }],
  ])('%s', (name, expected) => {
    expect(countSends(SENDS, periodOf(name))).toEqual(expected);
  });

  it('rates over the emails sent; none sent is no rate', () => {
    const welcome = emailFigures('welcome', countSends(SENDS, periodOf('2026-Q1')).welcome!);
    expect(welcome.rates).toEqual({ opened: 2 / 3, clicked: 1 / 3, replied: 0, unsubscribed: 0, bounced: 1 / 3, complained: 0 });
    expect(emailFigures('x', noEmailCounts()).rates.opened).toBeNull();
  });
});

describe('user activation', () => {
  const usage = [
    { day: '2026-03-25', users: ['ana@acme.example', 'u7'] },
    { day: '2026-02-10', users: ['u8', 'CAT@acme.example'] },
  ];
  const contacts = [{ email: 'ana@acme.example' }, { email: 'bob@acme.example', leftAt: '2026-01-02T00:00:00Z' }, { email: 'cat@acme.example' }];

  it.each([
    ['30 days to 31 March', { contacts, usage, asOf: '2026-03-31', days: 30 }, { known: 4, active: 2, rate: 0.5, inactiveContacts: ['cat@acme.example'] }],
    // The window includes its first day: 2026-03-25 is the 7th day back from 31 March.
    ['7 days', { contacts, usage, asOf: '2026-03-31T18:00:00Z', days: 7 }, { known: 4, active: 2, rate: 0.5 }],
    ['6 days', { contacts, usage, asOf: '2026-03-31', days: 6 }, { known: 4, active: 0, rate: 0 }],
    [
      'a contact known by its id',
      { contacts: [{ email: 'dan@y.example', id: 'u-dan' }], usage: [{ day: '2026-03-31', users: ['u-dan'] }], asOf: '2026-03-31', days: 30 },
      { known: 1, active: 1, rate: 1 },
    ],
    ['nobody known', { contacts: [], usage: [], asOf: '2026-03-31', days: 30 }, { known: 0, active: 0, rate: null }],
  ])('%s', (_, input, expected) => {
    expect(userActivation(input)).toMatchObject(expected);
  });

  it('a book: pooled and mean of the accounts', () => {
    const accounts = [
      userActivation({ contacts, usage, asOf: '2026-03-31', days: 30 }),
      userActivation({ contacts: [], usage: [], asOf: '2026-03-31', days: 30 }),
      userActivation({ contacts: [{ email: 'dan@y.example', id: 'u-dan' }], usage: [{ day: '2026-03-31', users: ['u-dan'] }], asOf: '2026-03-31', days: 30 }),
    ];
    expect(bookActivation(accounts)).toEqual({ known: 5, active: 3, pooled: 0.6, meanOfAccounts: 0.75 });
  });
});

describe('outcome periods are whole months', () => {
  it.each([
    ['2026-Q1', ['2026-01', '2026-02', '2026-03']],
    ['2026-03', ['2026-03']],
    ['2025-11-01..2026-02-01', ['2025-11', '2025-12', '2026-01']],
  ])('%s', (name, months) => expect(wholeMonths(name).months).toEqual(months));

  it.each(['2026-01-15..2026-02-15', 'last-quarter', '2020-01-01..2026-01-01'])('%s is refused, naming the field', (name) => {
    expect(() => wholeMonths(name)).toThrow(expect.objectContaining({ status: 400, details: [expect.objectContaining({ field: 'period' })] }));
  });
});

describe('the counters of the fixture, summed by month, give the period figures', () => {
  it('countersFromSources month by month, summed over Q1, equals the definition over Q1', () => {
    const items = countersFromSources({ runs: RUNS, sends: SENDS, tasks: TASKS, accounts: ACCOUNT_GROUPS });
    const q1 = items.filter((i) => ['OUTCOMES#2026-01', 'OUTCOMES#2026-02', 'OUTCOMES#2026-03'].includes(String(i.pk)));
    expect(q1.find((i) => i.sk === 'PLAY#save' && i.pk === 'OUTCOMES#2026-02')).toMatchObject({
      started: 2,
      exited: 2,
      'exit:churned': 1,
      'exit:recovered': 1,
      tasksDone: 2,
    });
    expect(q1.find((i) => i.sk === 'TEMPLATE#welcome' && i.pk === 'OUTCOMES#2026-01')).toMatchObject({ sent: 2, opened: 2, clicked: 1 });
    const figures = outcomeFigures(periodOf('2026-Q1'), ['2026-01', '2026-02', '2026-03'], {
      plays: ['2026-01', '2026-02', '2026-03'].map((m) => countPlays(RUNS, TASKS, periodOf(m))),
      email: ['2026-01', '2026-02', '2026-03'].map((m) => countSends(SENDS, periodOf(m))),
    });
    const direct = countPlays(RUNS, TASKS, periodOf('2026-Q1'));
    expect(figures.plays).toEqual(
      Object.keys(direct)
        .sort()
        .map((p) => playFigures(p, direct[p]!)),
    );
    expect(figures.onboarding).toMatchObject({ started: 4, completed: 2, rate: 2 / 3 });
    expect(figures.email.map((e) => [e.template, e.sent])).toEqual([
      ['renewal-notice', 1],
      ['save-outreach', 2],
      ['welcome', 3],
    ]);
  });
});

const Q1 = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-04-01T00:00:00Z') - 1 };
const instant = fc.integer({ min: Q1.from, max: Q1.to }).map((ms) => new Date(ms).toISOString());
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const runArb: fc.Arbitrary<RunFacts> = fc.record({
  play: fc.constantFrom('onboarding', 'save', 'renewal'),
  status: fc.constantFrom('running', 'paused', 'completed', 'exited', 'failed', 'cancelled'),
  startedAt: maybe(instant),
  reason: maybe(fc.constantFrom('recovered', 'churned', 'renewed', 'gave-up', 'odd reason!')),
});
const taskArb: fc.Arbitrary<TaskFacts> = fc.record({
  play: maybe(fc.constantFrom('onboarding', 'save')),
  status: fc.constantFrom('open', 'done'),
  dueAt: instant,
  doneAt: maybe(instant),
});
const sendArb: fc.Arbitrary<SendFacts> = fc.record({
  template: fc.constantFrom('welcome', 'save-outreach', 'renewal-notice'),
  sentAt: maybe(instant),
  openedAt: maybe(instant),
  clickedAt: maybe(instant),
  repliedAt: maybe(instant),
  bouncedAt: maybe(instant),
  complainedAt: maybe(instant),
  unsubscribedAt: maybe(instant),
});
const MONTHS = ['2026-01', '2026-02', '2026-03'].map(periodOf);

describe('properties', () => {
  it('play counts of the three months add up to the quarter; rates stay within [0, 1]; ended + live = started', () => {
    fc.assert(
      fc.property(fc.array(runArb, { maxLength: 40 }), fc.array(taskArb, { maxLength: 20 }), (runs, tasks) => {
        const quarter = countPlays(runs, tasks, periodOf('2026-Q1'));
        const summed: Record<string, ReturnType<typeof noPlayCounts>> = {};
        for (const m of MONTHS) for (const [p, c] of Object.entries(countPlays(runs, tasks, m))) summed[p] = addPlayCounts(summed[p] ?? noPlayCounts(), c);
        expect(summed).toEqual(quarter);
        for (const [p, c] of Object.entries(quarter)) {
          const f = playFigures(p, c);
          expect(f.ended + f.live).toBe(f.started);
          for (const r of [f.completionRate, f.onTimeRate, f.save?.rate ?? null]) expect(r === null || (r >= 0 && r <= 1)).toBe(true);
        }
      }),
    );
  });

  it('email counts of disjoint templates add up to all sends; each month adds up to the quarter; rates within [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(sendArb, { maxLength: 40 }), (sends) => {
        const quarter = countSends(sends, periodOf('2026-Q1'));
        const all = Object.values(quarter).reduce(addEmailCounts, noEmailCounts());
        expect(all.sent).toBe(sends.filter((s) => s.sentAt).length);
        for (const o of EMAIL_OUTCOMES) expect(all[o]).toBe(sends.filter((s) => s.sentAt && s[`${o}At`]).length);
        const summed: Record<string, ReturnType<typeof noEmailCounts>> = {};
        for (const m of MONTHS) for (const [t, c] of Object.entries(countSends(sends, m))) summed[t] = addEmailCounts(summed[t] ?? noEmailCounts(), c);
        expect(summed).toEqual(quarter);
        for (const [t, c] of Object.entries(quarter))
          for (const r of Object.values(emailFigures(t, c).rates)) expect(r === null || (r >= 0 && r <= 1)).toBe(true);
      }),
    );
  });

  it('user activation: active never exceeds known', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ email: fc.constantFrom('a@x', 'b@x', 'c@x'), id: maybe(fc.constantFrom('u1', 'u2')), leftAt: maybe(instant) })),
        fc.array(fc.record({ day: instant.map((i) => i.slice(0, 10)), users: fc.array(fc.constantFrom('u1', 'u2', 'u3', 'A@x', 'b@x')) })),
        fc.integer({ min: 1, max: 90 }),
        (contacts, usage, days) => {
          const a = userActivation({ contacts, usage, asOf: '2026-03-31', days });
          expect(a.active).toBeLessThanOrEqual(a.known);
          expect(a.rate === null || (a.rate >= 0 && a.rate <= 1)).toBe(true);
        },
      ),
    );
  });
});
