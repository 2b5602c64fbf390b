import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSends, EMAIL_OUTCOMES, type SendFacts } from '../../functions/core/metrics/email-outcomes.ts';
import {
  comboKey,
  comboOf,
  countByCombo,
  groupsOfCut,
  NO_GROUP,
  OUTCOME_CUTS,
  outcomeGroupsOf,
  recordedGroups,
  type OutcomeGroups,
} from '../../functions/core/metrics/outcome-cuts.ts';
import { groupOutcomeFigures, outcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { countPlays, RUN_ENDINGS, type RunFacts, type TaskFacts } from '../../functions/core/metrics/plays.ts';
import { keys } from '../../functions/data/keys.ts';
import { countSendOutcome, countTaskDone, runOutcomeCounters } from '../../functions/data/outcome-counters.ts';
import { countersFromSources, withGroups } from '../../functions/data/outcome-figures.ts';
import { ACCOUNT_GROUPS, RUNS, SENDS, TASKS } from './support/outcomes-book.ts';

const Q1 = ['2026-01', '2026-02', '2026-03'];
const SAM: OutcomeGroups = { segment: 'tech-touch', plan: 'Starter', owner: 'sam' };

describe('an account’s groups', () => {
  it.each([
    [
      'all three (the plan named as every figure names it)',
      { segment: 'tech-touch', plan: 'pro', owner: 'alex' },
      { segment: 'tech-touch', plan: 'Pro', owner: 'alex' },
    ],
    [
      'a plan in its own words',
      { segment: 'tech-touch', plan: 'Enterprise annual 2026', owner: 'alex' },
      { segment: 'tech-touch', plan: 'Enterprise', owner: 'alex' },
    ],
    ['no plan (from the segment), no owner', { segment: 'high-touch' }, { segment: 'high-touch', plan: 'Enterprise', owner: NO_GROUP }],
    ['empty strings and non-strings', { segment: '', plan: 7, owner: null }, { segment: NO_GROUP, plan: 'Starter', owner: NO_GROUP }],
    ['no account (deleted)', undefined, { segment: NO_GROUP, plan: NO_GROUP, owner: NO_GROUP }],
  ])('%s', (_, account, expected) => expect(outcomeGroupsOf(account as never)).toEqual(expected));

  it.each([
    ['recorded', { groups: SAM }, SAM],
    ['none recorded (an item from before groups were kept)', {}, undefined],
    ['half recorded', { groups: { segment: 'x' } }, undefined],
    ['not a map', { groups: 'x' }, undefined],
  ])('recorded groups: %s', (_, item, expected) => expect(recordedGroups(item)).toEqual(expected));

  it.each([
    { segment: 'tech-touch', plan: 'pro', owner: 'alex' },
    { segment: 'a#b', plan: 'x|y', owner: 'ana@example.com' },
    { segment: '%', plan: '', owner: 'é ü' },
  ])('a combination key holds no # and reads back: %j', (g) => {
    expect(comboKey(g)).not.toContain('#');
    expect(comboOf(comboKey(g))).toEqual(g);
  });
});

/** The fixture's figures for one cut over Q1: month by month, by combination, summed by group (what the API serves). */
function cutFigures(cut: (typeof OUTCOME_CUTS)[number]) {
  const grouped = { runs: withGroups(RUNS, ACCOUNT_GROUPS), tasks: withGroups(TASKS, ACCOUNT_GROUPS), sends: withGroups(SENDS, ACCOUNT_GROUPS) };
  const byMonth = Q1.map((m) => groupsOfCut(countByCombo(grouped, periodOf(m)), cut));
  return groupOutcomeFigures(periodOf('2026-Q1'), Q1, cut, byMonth);
}

describe('the fixture by owner over Q1 (worked out by hand, tests/unit/support/outcomes-book.ts)', () => {
  const byOwner = cutFigures('owner');
  const play = (g: string, p: string) => byOwner[g]?.plays.find((f) => f.play === p);
  const email = (g: string, t: string) => byOwner[g]?.email.find((f) => f.template === t);

  it('has the groups of the items: sam (recorded before the handover), alex, bea and none (a deleted account)', () => {
    expect(Object.keys(byOwner)).toEqual(['alex', 'bea', 'none', 'sam']);
  });

  it.each([
    ['sam', 'onboarding', { started: 1, completed: 1, live: 0 }],
    ['sam', 'save', { started: 1, exited: 1, exits: { churned: 1 }, tasksDone: 1, tasksOnTime: 1, save: { saved: 0, lost: 1, rate: 0 } }],
    ['alex', 'onboarding', { started: 1, live: 1 }],
    ['alex', 'save', { started: 1, exited: 1, exits: { renewed: 1 }, save: { saved: 1, lost: 0, rate: 1 } }],
    ['alex', 'renewal', { started: 0, tasksDone: 1, tasksOnTime: 0, onTimeRate: 0 }],
    ['bea', 'onboarding', { started: 2, completed: 1, exited: 1, exits: { churned: 1 } }],
    ['bea', 'save', { started: 2, exited: 1, cancelled: 1, exits: { recovered: 1 }, tasksDone: 1, tasksOnTime: 1, save: { saved: 1, lost: 0, rate: 1 } }],
    ['none', 'renewal', { started: 1, failed: 1 }],
    ['none', '(none)', { tasksDone: 1, tasksOnTime: 1 }],
  ])('%s: %s', (group, p, expected) => expect(play(group, p)).toMatchObject(expected));

  it.each([
    ['sam', 'welcome', { sent: 1, opened: 1, clicked: 1 }],
    ['alex', 'welcome', { sent: 1, bounced: 1 }],
    ['alex', 'save-outreach', { sent: 1, complained: 1, unsubscribed: 1 }],
    ['alex', 'renewal-notice', { sent: 1, opened: 1 }],
    ['bea', 'welcome', { sent: 1, opened: 1 }],
    ['bea', 'save-outreach', { sent: 1, opened: 1, replied: 1 }],
  ])('%s: %s email', (group, t, expected) => expect(email(group, t)).toMatchObject(expected));

  it('onboarding completion by owner', () => {
    expect(byOwner.sam!.onboarding).toMatchObject({ started: 1, completed: 1, rate: 1 });
    expect(byOwner.alex!.onboarding).toMatchObject({ started: 1, pending: 1, rate: null });
    expect(byOwner.bea!.onboarding).toMatchObject({ started: 2, completed: 1, endedEarly: 1, rate: 0.5 });
  });

  it('a group’s play figures list the group’s runs; tasks without a play have no runs to list', () => {
    expect(play('bea', 'save')!.query).toBe('/v1/plays/save/runs?cut=owner&group=bea');
    expect(play('none', '(none)')).not.toHaveProperty('query');
  });

  it('by segment, sam and alex’s acme is one group', () => {
    const bySegment = cutFigures('segment');
    expect(Object.keys(bySegment)).toEqual(['high-touch', 'none', 'tech-touch']);
    expect(bySegment['tech-touch']!.plays.find((p) => p.play === 'save')).toMatchObject({ started: 2, save: { saved: 1, lost: 1, rate: 0.5 } });
  });

  it('the rebuild writes one item per play or template and combination, beside the whole book’s', () => {
    const items = countersFromSources({ runs: RUNS, sends: SENDS, tasks: TASKS, accounts: ACCOUNT_GROUPS });
    expect(items).toContainEqual(expect.objectContaining({ ...keys.outcomeCutPlay('2026-01', 'onboarding', comboKey(SAM)), started: 1, completed: 1 }));
    expect(items).toContainEqual(
      expect.objectContaining({ ...keys.outcomeCutTemplate('2026-02', 'save-outreach', comboKey(ACCOUNT_GROUPS.beta!)), sent: 1, opened: 1, replied: 1 }),
    );
  });
});

/** A stand-in DynamoDB client: records each command, answers a GetItem of an account from `accounts`. */
function recordingDb(accounts: Record<string, Record<string, unknown>> = {}) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const db = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      if (command.constructor.name === 'GetCommand') {
        const pk = String((command.input.Key as { pk: string }).pk);
        return { Item: accounts[pk.slice('ACCOUNT#'.length)] };
      }
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  /** Each ADD as `<pk> <sk>` → its deltas. */
  const adds = () =>
    sent
      .filter((c) => c.name === 'UpdateCommand')
      .map((c) => {
        const key = c.input.Key as { pk: string; sk: string };
        const names = c.input.ExpressionAttributeNames as Record<string, string>;
        const values = c.input.ExpressionAttributeValues as Record<string, number>;
        return [`${key.pk} ${key.sk}`, Object.fromEntries(Object.keys(names).map((n) => [names[n], values[`:${n.slice(1)}`]]))];
      });
  return { db, sent, adds };
}

const ALEX = { segment: 'tech-touch', plan: 'Pro', owner: 'alex' };
const combo = (g: OutcomeGroups) => comboKey(g);
const NONE = { segment: NO_GROUP, plan: NO_GROUP, owner: NO_GROUP };

describe('each counted event adds to the whole book’s item and to its combination’s', () => {
  const at = '2026-02-10T09:00:00Z';
  it.each([
    [
      'a run started, groups recorded',
      (db: DynamoDBDocumentClient) => runOutcomeCounters(db, 't').started({ accountId: 'a1', play: 'save', startedAt: at, groups: SAM }),
      [
        ['OUTCOMES#2026-02 PLAY#save', { started: 1 }],
        [`OUTCOMECUTS#2026-02 PLAY#save#${combo(SAM)}`, { started: 1 }],
      ],
      0,
    ],
    [
      'a run that failed before it began, begun by a redrive',
      (db: DynamoDBDocumentClient) =>
        runOutcomeCounters(db, 't').started({ accountId: 'a1', play: 'save', startedAt: at, groups: SAM, status: 'failed', reason: 'boom' }),
      [
        ['OUTCOMES#2026-02 PLAY#save', { started: 1, failed: 1 }],
        [`OUTCOMECUTS#2026-02 PLAY#save#${combo(SAM)}`, { started: 1, failed: 1 }],
      ],
      0,
    ],
    [
      'a run from before groups were kept ends: its account’s groups now (one read)',
      (db: DynamoDBDocumentClient) =>
        runOutcomeCounters(db, 't').ended({ accountId: 'a2', play: 'save', startedAt: at, status: 'exited', reason: 'recovered' }),
      [
        ['OUTCOMES#2026-02 PLAY#save', { exited: 1, 'exit:recovered': 1 }],
        [`OUTCOMECUTS#2026-02 PLAY#save#${combo(ALEX)}`, { exited: 1, 'exit:recovered': 1 }],
      ],
      1,
    ],
    [
      'an older run of a deleted account is reopened: group none',
      (db: DynamoDBDocumentClient) => runOutcomeCounters(db, 't').reopened({ accountId: 'gone', play: 'save', startedAt: at }),
      [
        ['OUTCOMES#2026-02 PLAY#save', { failed: -1 }],
        [`OUTCOMECUTS#2026-02 PLAY#save#${combo(NONE)}`, { failed: -1 }],
      ],
      1,
    ],
    [
      'a run without a start ends: nothing (in no cohort)',
      (db: DynamoDBDocumentClient) => runOutcomeCounters(db, 't').ended({ accountId: 'a1', play: 'save', status: 'failed' }),
      [],
      0,
    ],
    [
      'a variant send sent: its template, its combination and its variant',
      (db: DynamoDBDocumentClient) =>
        countSendOutcome(db, 't', { accountId: 'a1', template: 'w-b', sentAt: at, variantOf: 'onboarding/welcome', groups: SAM }, 'sent'),
      [
        ['OUTCOMES#2026-02 TEMPLATE#w-b', { sent: 1 }],
        [`OUTCOMECUTS#2026-02 TEMPLATE#w-b#${combo(SAM)}`, { sent: 1 }],
        ['OUTCOMES#2026-02 VARIANT#onboarding#welcome#w-b', { sent: 1 }],
      ],
      0,
    ],
    [
      'an open in March of a send of February: February, under the send’s groups',
      (db: DynamoDBDocumentClient) => countSendOutcome(db, 't', { accountId: 'a2', template: 'welcome', sentAt: at, groups: SAM }, 'opened'),
      [
        ['OUTCOMES#2026-02 TEMPLATE#welcome', { opened: 1 }],
        [`OUTCOMECUTS#2026-02 TEMPLATE#welcome#${combo(SAM)}`, { opened: 1 }],
      ],
      0,
    ],
    [
      'a task done late',
      (db: DynamoDBDocumentClient) => countTaskDone(db, 't', { accountId: 'a1', play: 'save', dueAt: '2026-02-01T00:00:00Z', doneAt: at, groups: SAM }),
      [
        ['OUTCOMES#2026-02 PLAY#save', { tasksDone: 1 }],
        [`OUTCOMECUTS#2026-02 PLAY#save#${combo(SAM)}`, { tasksDone: 1 }],
      ],
      0,
    ],
    [
      'a task without a play or groups, done on time: (none), its account’s groups now',
      (db: DynamoDBDocumentClient) => countTaskDone(db, 't', { accountId: 'a2', dueAt: '2026-03-01T00:00:00Z', doneAt: at }),
      [
        ['OUTCOMES#2026-02 PLAY#(none)', { tasksDone: 1, tasksOnTime: 1 }],
        [`OUTCOMECUTS#2026-02 PLAY#(none)#${combo(ALEX)}`, { tasksDone: 1, tasksOnTime: 1 }],
      ],
      1,
    ],
  ])('%s', async (_, event, expected, reads) => {
    const { db, sent, adds } = recordingDb({ a2: ALEX });
    await event(db);
    // Written in parallel: compared in key order.
    const byKey = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(adds().sort(byKey)).toEqual([...expected].sort(byKey));
    expect(sent.filter((c) => c.name === 'GetCommand')).toHaveLength(reads);
  });
});

const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-04-01T00:00:00Z') - 1 }).map((ms) => new Date(ms).toISOString());
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const groupsArb: fc.Arbitrary<OutcomeGroups> = fc.record({
  segment: fc.constantFrom('tech-touch', 'high-touch'),
  plan: fc.constantFrom('starter', 'pro', 'a|b#c', NO_GROUP),
  owner: fc.constantFrom('alex', 'bea', NO_GROUP),
});
const placed = { accountId: fc.constantFrom('acme', 'beta', 'gone'), groups: maybe(groupsArb) };
const runArb = fc.record({
  play: fc.constantFrom('onboarding', 'save'),
  status: fc.constantFrom(...(['running', 'paused', ...RUN_ENDINGS] as const)),
  startedAt: maybe(instant),
  reason: maybe(fc.constantFrom('recovered', 'churned', 'odd reason!')),
  ...placed,
}) as fc.Arbitrary<RunFacts & { accountId: string; groups?: OutcomeGroups }>;
const taskArb = fc.record({
  play: maybe(fc.constantFrom('save')),
  status: fc.constantFrom('open', 'done'),
  dueAt: instant,
  doneAt: maybe(instant),
  ...placed,
}) as fc.Arbitrary<TaskFacts & { accountId: string; groups?: OutcomeGroups }>;
const sendArb = fc.record({
  template: fc.constantFrom('welcome', 'save-outreach'),
  sentAt: maybe(instant),
  ...Object.fromEntries(EMAIL_OUTCOMES.map((o) => [`${o}At`, maybe(instant)])),
  ...placed,
}) as fc.Arbitrary<SendFacts & { accountId: string; groups?: OutcomeGroups }>;

describe('properties', () => {
  it('for every cut, the groups add up to the whole book, count by count (figures included)', () => {
    fc.assert(
      fc.property(fc.array(runArb, { maxLength: 30 }), fc.array(taskArb, { maxLength: 15 }), fc.array(sendArb, { maxLength: 30 }), (runs, tasks, sends) => {
        const period = periodOf('2026-Q1');
        const months = Q1;
        const whole = outcomeFigures(period, months, {
          plays: months.map((m) => countPlays(runs, tasks, periodOf(m))),
          email: months.map((m) => countSends(sends, periodOf(m))),
        });
        const grouped = { runs: withGroups(runs, ACCOUNT_GROUPS), tasks: withGroups(tasks, ACCOUNT_GROUPS), sends: withGroups(sends, ACCOUNT_GROUPS) };
        const combos = months.map((m) => countByCombo(grouped, periodOf(m)));
        for (const cut of OUTCOME_CUTS) {
          const groups = Object.values(
            groupOutcomeFigures(
              period,
              months,
              cut,
              combos.map((c) => groupsOfCut(c, cut)),
            ),
          );
          const sum = (values: number[]) => values.reduce((t, v) => t + v, 0);
          for (const w of whole.plays) {
            const parts = groups.flatMap((g) => g.plays.filter((p) => p.play === w.play));
            for (const k of ['started', 'completed', 'exited', 'cancelled', 'failed', 'tasksDone', 'tasksOnTime', 'ended', 'live'] as const)
              expect(sum(parts.map((p) => p[k])), `${cut} ${w.play} ${k}`).toBe(w[k]);
            for (const [reason, n] of Object.entries(w.exits)) expect(sum(parts.map((p) => p.exits[reason] ?? 0))).toBe(n);
          }
          for (const w of whole.email) {
            const parts = groups.flatMap((g) => g.email.filter((e) => e.template === w.template));
            for (const k of ['sent', ...EMAIL_OUTCOMES] as const) expect(sum(parts.map((p) => p[k])), `${cut} ${w.template} ${k}`).toBe(w[k]);
          }
          for (const k of ['started', 'completed', 'endedEarly', 'pending'] as const) expect(sum(groups.map((g) => g.onboarding[k]))).toBe(whole.onboarding[k]);
          // No group counts what the whole book does not.
          expect(new Set(groups.flatMap((g) => g.plays.map((p) => p.play)))).toEqual(new Set(whole.plays.map((p) => p.play)));
        }
      }),
    );
  });
});
