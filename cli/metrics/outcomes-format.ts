import type { GroupOutcomeFigures, OutcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { EMAIL_OUTCOMES } from '../../functions/core/metrics/email-outcomes.ts';
import { csv, textTable } from './format.ts';

const pct = (r: number | null | undefined) => (r === null || r === undefined ? null : `${(r * 100).toFixed(1)}%`);
const reasons = (exits: Record<string, number>) =>
  Object.entries(exits)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');

/** Every count and rate of one book (the whole, or a group) as rows of section, name, figure, value. */
function figureRows(f: GroupOutcomeFigures): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  for (const p of f.plays) {
    for (const k of [
      'started',
      'live',
      'ended',
      'completed',
      'exited',
      'cancelled',
      'failed',
      'completionRate',
      'tasksDone',
      'tasksOnTime',
      'onTimeRate',
    ] as const)
      rows.push(['play', p.play, k, p[k]]);
    for (const [r, n] of Object.entries(p.exits)) rows.push(['play', p.play, `exit:${r}`, n]);
    if (p.save) rows.push(['play', p.play, 'saved', p.save.saved], ['play', p.play, 'lost', p.save.lost], ['play', p.play, 'saveRate', p.save.rate]);
  }
  for (const e of f.email) {
    rows.push(['email', e.template, 'sent', e.sent]);
    for (const o of EMAIL_OUTCOMES) rows.push(['email', e.template, o, e[o]], ['email', e.template, `${o}Rate`, e.rates[o]]);
  }
  for (const k of ['started', 'completed', 'endedEarly', 'pending', 'rate'] as const) rows.push(['onboarding', 'onboarding', k, f.onboarding[k]]);
  return rows;
}

/**
 * Long CSV (one figure a row: section, name, figure, value): every count and rate, easy to pivot.
 * With a cut, a first `group` column: `all` for the whole book, then each group's rows.
 */
export function outcomesCsv(f: OutcomeFigures): string {
  if (!f.groups) return csv(['section', 'name', 'figure', 'value'], figureRows(f));
  const rows = [['all', f], ...Object.entries(f.groups)].flatMap(([g, figures]) => figureRows(figures as GroupOutcomeFigures).map((r) => [g as string, ...r]));
  return csv(['group', 'section', 'name', 'figure', 'value'], rows);
}

/** The play and template tables and the onboarding line of one book (the whole, or a group). */
function tables(f: GroupOutcomeFigures): string[] {
  const o = f.onboarding;
  const plays = f.plays.map((p) => [
    p.play,
    p.started,
    p.live,
    p.completed,
    p.exited,
    p.cancelled,
    p.failed,
    pct(p.completionRate),
    pct(p.save?.rate),
    p.tasksDone,
    pct(p.onTimeRate),
    reasons(p.exits),
  ]);
  const email = f.email.map((e) => [
    e.template,
    e.sent,
    e.opened,
    pct(e.rates.opened),
    e.clicked,
    pct(e.rates.clicked),
    e.replied,
    pct(e.rates.replied),
    e.unsubscribed,
    e.bounced,
    pct(e.rates.bounced),
    e.complained,
    pct(e.rates.complained),
  ]);
  return [
    'Plays (runs started in the period and how they ended so far; tasks done in the period)',
    textTable(
      ['play', 'started', 'live', 'completed', 'exited', 'cancelled', 'failed', 'completion', 'save rate', 'tasks done', 'on time', 'exit reasons'],
      plays,
    ),
    '',
    'Email per template (emails sent in the period and what became of them)',
    textTable(
      ['template', 'sent', 'opened', 'open%', 'clicked', 'click%', 'replied', 'reply%', 'unsub', 'bounced', 'bounce%', 'complained', 'complaint%'],
      email,
    ),
    '',
    `Onboarding: ${o.started} started, ${o.completed} completed, ${o.endedEarly} ended early${Object.keys(o.exits).length ? ` (${reasons(o.exits)})` : ''}, ${o.pending} under way: completion ${pct(o.rate) ?? '-'}`,
  ];
}

/** Readable tables: plays, email per template, and the onboarding line; with a cut, the same for each group after the whole book. */
export function outcomesText(f: OutcomeFigures): string {
  const groups = Object.entries(f.groups ?? {}).flatMap(([g, figures]) => [
    '',
    `── ${f.cut} ${g} (runs that began, emails claimed, tasks created while the account was in it) ──`,
    '',
    ...tables(figures),
  ]);
  return [`Outcomes ${f.period.from} to ${f.period.to} (up to, not including; months ${f.months.join(', ')})`, '', ...tables(f), ...groups].join('\n');
}
