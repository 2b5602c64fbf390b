import { plural } from '../plural.ts';
import type { CsmTask } from '../types.ts';

/** A Slack message: `text` is the notification and fallback, `blocks` what the client shows (Block Kit). */
export interface SlackMessage {
  text: string;
  blocks: { type: string; text?: { type: 'mrkdwn'; text: string }; elements?: { type: 'mrkdwn'; text: string }[] }[];
}

/** The same content as an email (the digest for CSMs without Slack). */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Slack's mrkdwn needs &, < and > escaped in anything a customer or a CSM typed (names, titles). */
export const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeHtml = (s: string) => escapeSlack(s).replace(/"/g, '&quot;');

export interface AccountRef {
  id: string;
  name: string;
  url: string;
}

const link = (a: AccountRef) => `<${a.url}|${escapeSlack(a.name)}>`;
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn' as const, text } });
const context = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn' as const, text }] });

export function taskMessage(task: Pick<CsmTask, 'title' | 'priority' | 'dueAt' | 'play'>, account: AccountRef, ownerName?: string): SlackMessage {
  const icon = task.priority === 'urgent' ? ':rotating_light:' : ':memo:';
  const head = `${icon} ${task.priority === 'urgent' ? 'Urgent' : 'High-priority'} task on ${link(account)}: ${escapeSlack(task.title)}`;
  return {
    text: `${task.priority} task on ${account.name}: ${task.title}`,
    blocks: [
      section(head),
      context(
        `Due ${task.dueAt.slice(0, 10)} · play ${escapeSlack(task.play)}${ownerName ? ` · owner ${escapeSlack(ownerName)}` : ' · no owner'} · <${account.url}|Open the account>`,
      ),
    ],
  };
}

export function turnedRedMessage(account: AccountRef, facts: { score: number | null; tier: string; from: string | null }): SlackMessage {
  return {
    text: `${account.name} turned red (score ${facts.score ?? 'n/a'})`,
    blocks: [
      section(
        `:red_circle: ${link(account)} turned red: score ${facts.score ?? 'n/a'}, tier ${escapeSlack(facts.tier)}${facts.from ? ` (was ${escapeSlack(facts.from)})` : ''}`,
      ),
      context(`<${account.url}|Open the account>`),
    ],
  };
}

export function renewalAtRiskMessage(account: AccountRef, facts: { renewalDate: string; daysLeft: number; health: string }): SlackMessage {
  return {
    text: `Renewal at risk: ${account.name} renews on ${facts.renewalDate.slice(0, 10)} and is ${facts.health}`,
    blocks: [
      section(
        `:warning: Renewal at risk: ${link(account)} renews on ${facts.renewalDate.slice(0, 10)} (in ${plural(facts.daysLeft, 'day')}) and is ${facts.health}`,
      ),
      context(`<${account.url}|Open the account>`),
    ],
  };
}

export interface DigestTask {
  id: string;
  title: string;
  priority: string;
  dueAt: string;
  account: AccountRef;
}

export interface DigestContent {
  csmName: string;
  day: string;
  dueToday: DigestTask[];
  overdue: DigestTask[];
  /** Accounts that changed since the last digest, each with what changed. */
  changed: { account: AccountRef; what: string[] }[];
}

/** Lines a digest lists per section at most: the rest is a count (a Slack message holds 50 blocks). */
const DIGEST_LINES = 15;

function lines<T>(items: T[], render: (item: T) => string): string {
  if (!items.length) return '_none_';
  const shown = items.slice(0, DIGEST_LINES).map(render);
  return [...shown, ...(items.length > DIGEST_LINES ? [`…and ${items.length - DIGEST_LINES} more`] : [])].join('\n');
}

export const digestIsEmpty = (d: DigestContent) => !d.dueToday.length && !d.overdue.length && !d.changed.length;

const digestTitle = (d: DigestContent) =>
  `Your day, ${d.day}: ${d.dueToday.length} due today, ${d.overdue.length} overdue, ${plural(d.changed.length, 'account')} changed`;

export function digestSlackMessage(d: DigestContent): SlackMessage {
  const task = (t: DigestTask) =>
    `• ${t.priority === 'urgent' ? ':rotating_light: ' : ''}${escapeSlack(t.title)} — ${link(t.account)} (due ${t.dueAt.slice(0, 10)})`;
  return {
    text: digestTitle(d),
    blocks: [
      section(`*${escapeSlack(digestTitle(d))}*`),
      section(`*Due today*\n${lines(d.dueToday, task)}`),
      section(`*Overdue*\n${lines(d.overdue, task)}`),
      section(`*Accounts that changed*\n${lines(d.changed, (c) => `• ${link(c.account)}: ${escapeSlack(c.what.join('; '))}`)}`),
    ],
  };
}

export function digestEmail(d: DigestContent): EmailMessage {
  const task = (t: DigestTask) => `- ${t.title} (${t.priority}), ${t.account.name}, due ${t.dueAt.slice(0, 10)}: ${t.account.url}`;
  const changed = (c: DigestContent['changed'][number]) => `- ${c.account.name}: ${c.what.join('; ')}: ${c.account.url}`;
  const text = [
    `Hello ${d.csmName},`,
    '',
    digestTitle(d),
    '',
    'Due today:',
    lines(d.dueToday, task).replace('_none_', 'none'),
    '',
    'Overdue:',
    lines(d.overdue, task).replace('_none_', 'none'),
    '',
    'Accounts that changed:',
    lines(d.changed, changed).replace('_none_', 'none'),
  ].join('\n');
  const li = (t: DigestTask) =>
    `<li>${escapeHtml(t.title)} (${escapeHtml(t.priority)}), <a href="${escapeHtml(t.account.url)}">${escapeHtml(t.account.name)}</a>, due ${t.dueAt.slice(0, 10)}</li>`;
  const list = <T>(items: T[], render: (i: T) => string) => (items.length ? `<ul>${items.slice(0, DIGEST_LINES).map(render).join('')}</ul>` : '<p>none</p>');
  const html = [
    `<p>Hello ${escapeHtml(d.csmName)},</p>`,
    `<h2>${escapeHtml(digestTitle(d))}</h2>`,
    `<h3>Due today</h3>${list(d.dueToday, li)}`,
    `<h3>Overdue</h3>${list(d.overdue, li)}`,
    `<h3>Accounts that changed</h3>${list(d.changed, (c) => `<li><a href="${escapeHtml(c.account.url)}">${escapeHtml(c.account.name)}</a>: ${escapeHtml(c.what.join('; '))}</li>`)}`,
  ].join('\n');
  return { subject: digestTitle(d), text, html };
}
