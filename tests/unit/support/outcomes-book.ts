import type { SendFacts } from '../../../functions/core/metrics/email-outcomes.ts';
import type { OutcomeGroups } from '../../../functions/core/metrics/outcome-cuts.ts';
import type { RunFacts, TaskFacts } from '../../../functions/core/metrics/plays.ts';

/** An item of the fixture: its account, and the groups it recorded when it began (absent: an item from before groups were kept). */
type Fixture<T> = T & { id: string; accountId: string; groups?: OutcomeGroups };

/**
 * The hand-computed outcomes fixture of docs/metrics.md ("Play and email outcomes"): runs, tasks
 * and sends over 2026-Q1 and Q2, with the month boundaries and edge cases the definitions decide.
 * Every expected figure in tests/unit/metrics-outcomes.test.ts was worked out by hand from it.
 * By group (tests/unit/outcome-cuts.test.ts): the items of acme and beta without recorded groups
 * count under their account's groups now (ACCOUNT_GROUPS); acme's r1, r5, s1 and t1 were recorded
 * while sam owned it; gone's account no longer exists (group `none`).
 */
export const RUNS: Fixture<RunFacts>[] = [
  {
    id: 'r1',
    accountId: 'acme',
    groups: { segment: 'tech-touch', plan: 'Starter', owner: 'sam' },
    play: 'onboarding',
    status: 'completed',
    startedAt: '2026-01-15T09:00:00Z',
  },
  { id: 'r2', accountId: 'beta', play: 'onboarding', status: 'exited', reason: 'churned', startedAt: '2026-01-05T09:00:00Z' },
  { id: 'r3', accountId: 'acme', play: 'onboarding', status: 'running', startedAt: '2026-02-01T09:00:00Z' },
  // 23:30 on 31 March: counts in March (its UTC day), so in Q1.
  { id: 'r4', accountId: 'beta', play: 'onboarding', status: 'completed', startedAt: '2026-03-31T23:30:00Z' },
  {
    id: 'r5',
    accountId: 'acme',
    groups: { segment: 'tech-touch', plan: 'Starter', owner: 'sam' },
    play: 'save',
    status: 'exited',
    reason: 'churned',
    startedAt: '2026-02-01T12:00:00Z',
  },
  { id: 'r6', accountId: 'beta', play: 'save', status: 'exited', reason: 'recovered', startedAt: '2026-02-10T12:00:00Z' },
  { id: 'r7', accountId: 'acme', play: 'save', status: 'exited', reason: 'renewed', startedAt: '2026-03-01T12:00:00Z' },
  { id: 'r8', accountId: 'acme', play: 'save', status: 'exited', reason: 'gave-up', startedAt: '2026-04-02T12:00:00Z' },
  { id: 'r9', accountId: 'beta', play: 'save', status: 'cancelled', reason: 'cancelled by ana', startedAt: '2026-03-10T12:00:00Z' },
  { id: 'r10', accountId: 'gone', play: 'renewal', status: 'failed', reason: 'States.Timeout', startedAt: '2026-01-10T00:00:00Z' },
  // Failed before it began: no start, in no cohort.
  { id: 'r11', accountId: 'acme', play: 'renewal', status: 'failed', reason: 'boom' },
  { id: 'r12', accountId: 'beta', play: 'renewal', status: 'running', startedAt: '2026-04-01T00:00:00Z' },
];

export const TASKS: Fixture<TaskFacts>[] = [
  {
    id: 't1',
    accountId: 'acme',
    groups: { segment: 'tech-touch', plan: 'Starter', owner: 'sam' },
    play: 'save',
    status: 'done',
    dueAt: '2026-02-03T10:00:00Z',
    doneAt: '2026-02-02T09:00:00Z',
  },
  // Done at the very moment it was due: on time.
  { id: 't2', accountId: 'beta', play: 'save', status: 'done', dueAt: '2026-02-03T10:00:00Z', doneAt: '2026-02-03T10:00:00Z' },
  { id: 't3', accountId: 'acme', play: 'renewal', status: 'done', dueAt: '2026-03-01T10:00:00Z', doneAt: '2026-03-05T10:00:00Z' },
  { id: 't4', accountId: 'acme', play: 'onboarding', status: 'open', dueAt: '2026-01-10T10:00:00Z' },
  // Due in March, done in April: counts in Q2, late.
  { id: 't5', accountId: 'beta', play: 'renewal', status: 'done', dueAt: '2026-03-30T10:00:00Z', doneAt: '2026-04-01T10:00:00Z' },
  // Made by hand, no play.
  { id: 't6', accountId: 'gone', status: 'done', dueAt: '2026-01-20T10:00:00Z', doneAt: '2026-01-19T10:00:00Z' },
];

export const SENDS: Fixture<SendFacts>[] = [
  {
    id: 's1',
    accountId: 'acme',
    groups: { segment: 'tech-touch', plan: 'Starter', owner: 'sam' },
    template: 'welcome',
    sentAt: '2026-01-15T10:00:00Z',
    openedAt: '2026-01-15T11:00:00Z',
    clickedAt: '2026-01-15T11:01:00Z',
  },
  { id: 's2', accountId: 'beta', template: 'welcome', sentAt: '2026-01-20T10:00:00Z', openedAt: '2026-01-21T08:00:00Z' },
  { id: 's3', accountId: 'acme', template: 'welcome', sentAt: '2026-02-01T10:00:00Z', bouncedAt: '2026-02-01T10:00:05Z' },
  // Skipped (never accepted by SES): not sent.
  { id: 's4', accountId: 'acme', template: 'welcome' },
  {
    id: 's5',
    accountId: 'beta',
    template: 'save-outreach',
    sentAt: '2026-02-10T13:00:00Z',
    openedAt: '2026-02-10T14:00:00Z',
    repliedAt: '2026-02-11T09:00:00Z',
  },
  {
    id: 's6',
    accountId: 'acme',
    template: 'save-outreach',
    sentAt: '2026-03-31T23:59:00Z',
    complainedAt: '2026-04-01T08:00:00Z',
    unsubscribedAt: '2026-04-01T08:01:00Z',
  },
  { id: 's7', accountId: 'beta', template: 'welcome', sentAt: '2026-04-01T10:00:00Z', openedAt: '2026-04-01T12:00:00Z' },
  // Sent in March, opened in April: counts with March's sends.
  { id: 's8', accountId: 'acme', template: 'renewal-notice', sentAt: '2026-03-15T10:00:00Z', openedAt: '2026-04-02T10:00:00Z' },
];

/** The accounts' groups now: acme is alex's since sam handed it over, beta is bea's. */
export const ACCOUNT_GROUPS: Record<string, OutcomeGroups> = {
  acme: { segment: 'tech-touch', plan: 'Starter', owner: 'alex' },
  beta: { segment: 'high-touch', plan: 'Enterprise', owner: 'bea' },
};
