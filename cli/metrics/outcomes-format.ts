import type { OutcomeFigures } from '../../functions/core/metrics/outcomes.ts';
import { EMAIL_OUTCOMES } from '../../functions/core/metrics/email-outcomes.ts';
import { csv, textTable } from './format.ts';

const pct = (r: number | null | undefined) => (r === null || r === undefined ? null : `${(r * 100).toFixed(1)}%`);
const reasons = (exits: Record<string, number>) =>
  Object.entries(exits)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');

/** Long CSV (one figure a row: section, name, figure, value): every count and rate, easy to pivot. */
export function outcomesCsv(f: OutcomeFigures): string {
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
  return csv(['section', 'name', 'figure', 'value'], rows);
}

/** Readable tables: plays, email per template, and the onboarding line. */
export function outcomesText(f: OutcomeFigures): string {
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
    `Outcomes ${f.period.from} to ${f.period.to} (up to, not including; months ${f.months.join(', ')})`,
    '',
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
  ].join('\n');
}
