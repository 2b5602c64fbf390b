import type { SendFacts } from '../../../functions/core/metrics/email-outcomes.ts';
import type { RunFacts, TaskFacts } from '../../../functions/core/metrics/plays.ts';

/**
 * The hand-computed outcomes fixture of docs/metrics.md ("Play and email outcomes"): runs, tasks
 * and sends over 2026-Q1 and Q2, with the month boundaries and edge cases the definitions decide.
 * Every expected figure in tests/unit/metrics-outcomes.test.ts was worked out by hand from it.
 */
export const RUNS: (RunFacts & { id: string })[] = [
  { id: 'r1', play: 'onboarding', status: 'completed', startedAt: '2026-01-15T09:00:00Z' },
  { id: 'r2', play: 'onboarding', status: 'exited', reason: 'churned', startedAt: '2026-01-05T09:00:00Z' },
  { id: 'r3', play: 'onboarding', status: 'running', startedAt: '2026-02-01T09:00:00Z' },
  // 23:30 on 31 March: counts in March (its UTC day), so in Q1.
  { id: 'r4', play: 'onboarding', status: 'completed', startedAt: '2026-03-31T23:30:00Z' },
  { id: 'r5', play: 'save', status: 'exited', reason: 'churned', startedAt: '2026-02-01T12:00:00Z' },
  { id: 'r6', play: 'save', status: 'exited', reason: 'recovered', startedAt: '2026-02-10T12:00:00Z' },
  { id: 'r7', play: 'save', status: 'exited', reason: 'renewed', startedAt: '2026-03-01T12:00:00Z' },
  { id: 'r8', play: 'save', status: 'exited', reason: 'gave-up', startedAt: '2026-04-02T12:00:00Z' },
  { id: 'r9', play: 'save', status: 'cancelled', reason: 'cancelled by ana', startedAt: '2026-03-10T12:00:00Z' },
  { id: 'r10', play: 'renewal', status: 'failed', reason: 'States.Timeout', startedAt: '2026-01-10T00:00:00Z' },
  // Failed before it began: no start, in no cohort.
  { id: 'r11', play: 'renewal', status: 'failed', reason: 'boom' },
  { id: 'r12', play: 'renewal', status: 'running', startedAt: '2026-04-01T00:00:00Z' },
];

export const TASKS: (TaskFacts & { id: string })[] = [
  { id: 't1', play: 'save', status: 'done', dueAt: '2026-02-03T10:00:00Z', doneAt: '2026-02-02T09:00:00Z' },
  // Done at the very moment it was due: on time.
  { id: 't2', play: 'save', status: 'done', dueAt: '2026-02-03T10:00:00Z', doneAt: '2026-02-03T10:00:00Z' },
  { id: 't3', play: 'renewal', status: 'done', dueAt: '2026-03-01T10:00:00Z', doneAt: '2026-03-05T10:00:00Z' },
  { id: 't4', play: 'onboarding', status: 'open', dueAt: '2026-01-10T10:00:00Z' },
  // Due in March, done in April: counts in Q2, late.
  { id: 't5', play: 'renewal', status: 'done', dueAt: '2026-03-30T10:00:00Z', doneAt: '2026-04-01T10:00:00Z' },
  // Made by hand, no play.
  { id: 't6', status: 'done', dueAt: '2026-01-20T10:00:00Z', doneAt: '2026-01-19T10:00:00Z' },
];

export const SENDS: (SendFacts & { id: string })[] = [
  { id: 's1', template: 'welcome', sentAt: '2026-01-15T10:00:00Z', openedAt: '2026-01-15T11:00:00Z', clickedAt: '2026-01-15T11:01:00Z' },
  { id: 's2', template: 'welcome', sentAt: '2026-01-20T10:00:00Z', openedAt: '2026-01-21T08:00:00Z' },
  { id: 's3', template: 'welcome', sentAt: '2026-02-01T10:00:00Z', bouncedAt: '2026-02-01T10:00:05Z' },
  // Skipped (never accepted by SES): not sent.
  { id: 's4', template: 'welcome' },
  { id: 's5', template: 'save-outreach', sentAt: '2026-02-10T13:00:00Z', openedAt: '2026-02-10T14:00:00Z', repliedAt: '2026-02-11T09:00:00Z' },
  { id: 's6', template: 'save-outreach', sentAt: '2026-03-31T23:59:00Z', complainedAt: '2026-04-01T08:00:00Z', unsubscribedAt: '2026-04-01T08:01:00Z' },
  { id: 's7', template: 'welcome', sentAt: '2026-04-01T10:00:00Z', openedAt: '2026-04-01T12:00:00Z' },
  // Sent in March, opened in April: counts with March's sends.
  { id: 's8', template: 'renewal-notice', sentAt: '2026-03-15T10:00:00Z', openedAt: '2026-04-02T10:00:00Z' },
];
