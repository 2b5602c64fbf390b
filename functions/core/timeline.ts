import type { EventPublisher, TendEvent } from './ports.ts';
import type { CsmTask, Survey, Ticket } from './types.ts';
import type { RevenuePoint } from './revenue-history.ts';
import type { RenewalOutcome } from './renewals.ts';

/** Every kind of item an account's timeline lists (docs/api.md#timeline). */
export const TIMELINE_KINDS = [
  'email.sent',
  'email.opened',
  'email.clicked',
  'email.replied',
  'email.bounced',
  'task.created',
  'task.done',
  'note',
  'score.changed',
  'tier.changed',
  'flag.raised',
  'flag.cleared',
  'play.step',
  'survey',
  'ticket',
  'milestone',
  'arr.changed',
  'renewal',
  'account.created',
  'account.churned',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

type Scalar = string | number | boolean | null;

/**
 * One thing that happened to an account, as the timeline shows it. `ref` names its source (a task
 * id, a send key...): with `at` and `kind` it is the entry's key, so recording it again writes the same entry.
 */
export interface TimelineEntry {
  accountId: string;
  kind: TimelineKind;
  at: string;
  ref: string;
  /** One line for a person: "Task created: Call the champion (urgent)". */
  summary: string;
  /** A few flat facts (ids, scores, tiers) for a client to render or link. */
  detail?: Record<string, Scalar>;
}

/** A summary is one line: long titles and comments are cut, so an entry stays far below 1 KB (1 write unit). */
const SUMMARY_MAX = 200;
const line = (text: string) => (text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text);

function entry(accountId: string, kind: TimelineKind, at: string, ref: string, summary: string, detail?: Record<string, Scalar | undefined>): TimelineEntry {
  const facts = detail ? (Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)) as Record<string, Scalar>) : undefined;
  return { accountId, kind, at, ref, summary: line(summary), ...(facts && Object.keys(facts).length ? { detail: facts } : {}) };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/**
 * The timeline entries of an event Tend publishes (tier moves, flags, milestones, tasks created,
 * play events, accounts created or churned): the publisher records them as it publishes.
 */
export function timelineOfEvent(event: TendEvent): TimelineEntry[] {
  const d = event.detail;
  const { accountId, at } = event;
  switch (event.type) {
    case 'tier.changed':
      return [
        entry(accountId, 'tier.changed', at, `${str(d.from) ?? 'none'}-${str(d.to)}`, `Tier ${str(d.from) ?? '(first score)'} → ${str(d.to)}`, {
          from: str(d.from) ?? null,
          to: str(d.to),
          band: str(d.band),
          score: num(d.score),
        }),
      ];
    case 'flag.started':
    case 'flag.stopped': {
      const raised = event.type === 'flag.started';
      return [
        entry(accountId, raised ? 'flag.raised' : 'flag.cleared', at, String(d.flag), `${raised ? 'Flag raised' : 'Flag cleared'}: ${String(d.flag)}`, {
          flag: str(d.flag),
          flagKind: str(d.kind),
        }),
      ];
    }
    case 'milestone.reached':
      return [entry(accountId, 'milestone', at, String(d.milestone), `Milestone reached: ${String(d.milestone)}`, { milestone: str(d.milestone) })];
    case 'task.created':
      return [taskCreatedEntry(d.task as CsmTask)];
    case 'account.created':
      return [entry(accountId, 'account.created', at, accountId, 'Account created', { segment: str(d.segment) })];
    case 'account.churned':
      return [entry(accountId, 'account.churned', at, accountId, 'Account churned')];
    default:
      // play.<event>: a play's own announcement is one of its steps.
      return [
        entry(accountId, 'play.step', at, `${str(d.executionName) ?? ''}#${str(d.step) ?? ''}#${event.type}`, `Play ${str(d.play)}: ${event.type}`, {
          play: str(d.play),
          step: str(d.step),
          event: event.type,
        }),
      ];
  }
}

export function taskCreatedEntry(task: CsmTask): TimelineEntry {
  return entry(task.accountId, 'task.created', task.createdAt, task.id, `Task created: ${task.title} (${task.priority})`, {
    taskId: task.id,
    priority: task.priority,
    owner: task.owner ?? null,
    dueAt: task.dueAt,
    play: task.play,
  });
}

/** For the task queue's completion (a task done, with its outcome note). */
export function taskDoneEntry(task: { id: string; accountId: string; title: string; doneAt: string; outcome?: string }): TimelineEntry {
  return entry(task.accountId, 'task.done', task.doneAt, task.id, `Task done: ${task.title}${task.outcome ? ` (${task.outcome})` : ''}`, { taskId: task.id });
}

/** For notes: `NOTE#<createdAt>#<noteId>` items carry `at`; the timeline shows the start of the text. */
export function noteEntry(note: { id: string; accountId: string; at: string; author: string; text: string; pinned?: boolean }): TimelineEntry {
  return entry(note.accountId, 'note', note.at, note.id, `Note by ${note.author}: ${note.text}`, {
    noteId: note.id,
    author: note.author,
    pinned: note.pinned ?? false,
  });
}

export function surveyEntry(s: Survey): TimelineEntry {
  return entry(s.accountId, 'survey', s.answeredAt, s.id, `${s.kind.toUpperCase()} ${s.score}${s.comment ? `: ${s.comment}` : ''}`, {
    surveyKind: s.kind,
    score: s.score,
    contact: s.contactEmail,
  });
}

/** A ticket is posted again when it changes: its entry is keyed by its status, so opening and closing are two entries. */
export function ticketEntry(t: Ticket): TimelineEntry {
  const at = t.status === 'closed' ? (t.closedAt ?? t.openedAt) : t.openedAt;
  return entry(t.accountId, 'ticket', at, `${t.id}#${t.status}`, `Ticket ${t.status}: ${t.subject ?? t.id} (${t.priority})`, {
    ticketId: t.id,
    status: t.status,
    priority: t.priority,
  });
}

export function arrEntry(p: RevenuePoint): TimelineEntry {
  return entry(p.accountId, 'arr.changed', p.at, `${p.day}#${p.rev}`, `ARR ${p.kind}: ${p.arrBefore} → ${p.arrAfter}${p.plan ? ` (${p.plan})` : ''}`, {
    movement: p.kind,
    arrBefore: p.arrBefore,
    arrAfter: p.arrAfter,
    source: p.source,
  });
}

export function renewalEntry(o: RenewalOutcome): TimelineEntry {
  const what = o.outcome === 'renewed' ? `renewed${o.newArr !== undefined ? ` at ${o.newArr}` : ''}` : `churned${o.reason ? ` (${o.reason})` : ''}`;
  return entry(o.accountId, 'renewal', o.recordedAt, o.renewalDay, `Renewal of ${o.renewalDay}: ${what}`, { renewalDay: o.renewalDay, outcome: o.outcome });
}

export function emailEntry(
  kind: 'email.sent' | 'email.opened' | 'email.clicked' | 'email.replied' | 'email.bounced',
  e: { accountId: string; at: string; ref: string; template?: string; contact?: string; link?: string },
): TimelineEntry {
  const verb = kind.slice('email.'.length);
  return entry(e.accountId, kind, e.at, e.ref, `Email ${verb}${e.template ? `: ${e.template}` : ''}${e.contact ? ` (${e.contact})` : ''}`, {
    template: e.template,
    contact: e.contact,
    link: e.link,
  });
}

export function playStepEntry(s: {
  accountId: string;
  play: string;
  step: string;
  executionName: string;
  at: string;
  outcome: string;
  detail?: string;
}): TimelineEntry {
  return entry(
    s.accountId,
    'play.step',
    s.at,
    `${s.executionName}#${s.step}`,
    `Play ${s.play}, step ${s.step}: ${s.outcome}${s.detail ? ` (${s.detail})` : ''}`,
    {
      play: s.play,
      step: s.step,
      outcome: s.outcome,
    },
  );
}

/** A day's score moved by at least `minPoints` since the day before. */
export function scoreEntry(s: { accountId: string; at: string; day: string; score: number; previous: number; tier: string | null }): TimelineEntry {
  const delta = s.score - s.previous;
  return entry(s.accountId, 'score.changed', s.at, s.day, `Score ${s.previous} → ${s.score} (${delta > 0 ? '+' : ''}${delta})`, {
    score: s.score,
    previous: s.previous,
    tier: s.tier,
  });
}

/** A score moving less than this in a day is noise in a timeline (tier moves and flags are listed whatever the points). */
export const SCORE_CHANGE_POINTS = 3;

/**
 * A publisher that records the timeline entries of what it publishes (tier moves, flags, tasks
 * created, milestones, play events), before publishing: a retried publish writes the same entries.
 */
export function recordingTimeline(publisher: EventPublisher, timeline: { record(entries: TimelineEntry[]): Promise<void> }): EventPublisher {
  return {
    async publish(events) {
      const entries = events.flatMap(timelineOfEvent);
      if (entries.length) await timeline.record(entries);
      await publisher.publish(events);
    },
  };
}
