import { plural } from '../plural.ts';
import { describeCondition } from './conditions.ts';
import { asList } from './as-list.ts';
import type { PlayAction, PlayDefinition, PlayStep } from './definition.ts';

/**
 * A play as a Mermaid flowchart, drawn from its definition (what a CSM reads), not from the
 * generated state machine (what Step Functions runs): steps in time order, their conditions
 * and options, what a high-touch account gets instead, the watch loop and the exits.
 */
export function playDiagram(play: PlayDefinition): string {
  const lines = ['flowchart TD'];
  const q = (s: string) => `"${s.replace(/"/g, "'")}"`;
  const trigger = play.trigger;
  const startLabel =
    trigger.on === 'date'
      ? `${trigger.daysBefore} days before ${trigger.field} (daily sweep)`
      : trigger.on === 'tier.changed'
        ? `health turns ${trigger.to.join(' or ')}`
        : trigger.on === 'flag.started'
          ? `flag ${trigger.flags.join(' or ')} starts`
          : trigger.on;
  lines.push(`  start([${q(startLabel + (play.cooldownDays ? ` · at most once in ${play.cooldownDays} days` : ''))}])`);
  let previous = 'start';
  let edge = '';
  for (const [i, step] of play.steps.entries()) {
    const id = `s${i}`;
    let when = dayLabel(play, step);
    if (step.waitFor) {
      lines.push(`  ${id}_wait[/${q(`${when}: ${step.id} waits until ${describeCondition(step.waitFor.until)}, at most ${step.waitFor.upToDays} days`)}/]`);
      lines.push(`  ${previous} -->${edge} ${id}_wait`);
      lines.push(`  ${id}_wait -->|not yet, checked every ${step.waitFor.everyHours} h| ${id}_wait`);
      previous = `${id}_wait`;
      edge = '';
      when = 'then';
    }
    if (step.when) {
      lines.push(`  ${id}_if{${q(`${when}: ${describeCondition(step.when)}?`)}}`);
      lines.push(`  ${previous} -->${edge} ${id}_if`);
      lines.push(`  ${id}_if -->|no: skipped| ${id}_end`);
      previous = `${id}_if`;
      edge = '|yes|';
    }
    if (step.choose) {
      lines.push(`  ${id}{${q(`${step.when ? '' : `${when}: `}${step.id}`)}}`);
      lines.push(`  ${previous} -->${edge} ${id}`);
      step.choose.forEach((option, j) => {
        lines.push(`  ${id}_${j}[${q(actionsText(asList(option.do), step))}]`);
        lines.push(`  ${id} -->|${describeCondition(option.when).replace(/\|/g, '/')}| ${id}_${j}`);
        lines.push(`  ${id}_${j} --> ${id}_end`);
      });
    } else if (step.watch) {
      const w = step.watch;
      lines.push(`  ${id}[${q(`${when}: ${step.id}, every ${plural(w.everyDays, 'day')}`)}]`);
      lines.push(`  ${previous} -->${edge} ${id}`);
      lines.push(`  ${id} -->|not yet| ${id}`);
      if (w.escalate) {
        lines.push(`  ${id}_esc[${q(`after ${w.escalateAfterDays} days, once: ${actionsText(asList(w.escalate), step)}`)}]`);
        lines.push(`  ${id} -.-> ${id}_esc`);
      }
      lines.push(`  ${id}_end[${q(`after ${w.giveUpAfterDays} days: ${w.giveUp ? actionsText(asList(w.giveUp), step) : 'stop'}`)}]`);
      lines.push(`  ${id} -->|gave up| ${id}_end`);
      previous = `${id}_end`;
      edge = '';
      continue;
    } else {
      lines.push(`  ${id}[${q(`${step.when ? '' : `${when}: `}${step.id}: ${actionsText(asList(step.do), step)}`)}]`);
      lines.push(`  ${previous} -->${edge} ${id}`);
      lines.push(`  ${id} --> ${id}_end`);
    }
    lines.push(`  ${id}_end(( ))`);
    previous = `${id}_end`;
    edge = '';
  }
  lines.push(`  ${previous} --> done([done])`);
  const exits = ['account churned', ...play.exitWhen.map((e) => `${e.reason}: ${describeCondition(e.when)}`)];
  lines.push(`  exits>${q(`ends early before any step when: ${exits.join('; ')}`)}]`);
  lines.push('  exits -.- start');
  return lines.join('\n');
}

function dayLabel(play: PlayDefinition, step: PlayStep): string {
  const anchor = play.anchor === 'trigger' ? 'trigger' : play.anchor === 'startDate' ? 'start' : 'renewal';
  const hour = step.hour ? ` +${step.hour}h` : '';
  return step.day === 0 && play.anchor === 'trigger' ? `at ${anchor}${hour}` : `day ${step.day}${hour}`;
}

function actionText(a: PlayAction): string {
  if ('email' in a) return `email ${a.email}`;
  if ('task' in a) return `${a.task.priority} task: ${a.task.title}`;
  if ('event' in a) return `event play.${a.event}`;
  return `stage ${a.stage}`;
}

function actionsText(actions: PlayAction[], step: PlayStep): string {
  const text = actions.map(actionText).join(' · ') || 'nothing';
  const emails = actions.some((a) => 'email' in a);
  if (!emails) return text;
  const high = step.highTouch ? asList(step.highTouch).map(actionText).join(' · ') : 'a task to write it personally';
  return `${text}<br/>high-touch: ${high}`;
}
