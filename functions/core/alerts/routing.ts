import { DAY_MS } from '../clock.ts';
import type { TendEvent } from '../ports.ts';
import type { Account, CsmTask } from '../types.ts';
import type { AlertKind, AlertsConfig, Csm } from './config.ts';
import { renewalAtRiskMessage, taskMessage, turnedRedMessage, type AccountRef, type SlackMessage } from './messages.ts';

/** One Slack conversation: a channel (by id or #name) or a CSM's direct messages (their member id). */
export interface SlackDestination {
  via: 'slack';
  channel: string;
}
export interface EmailDestination {
  via: 'email';
  to: string;
}
export type Destination = SlackDestination | EmailDestination;

/** What a claim is keyed by: the destination, as one string. */
export const destinationKey = (d: Destination) => (d.via === 'slack' ? `slack:${d.channel}` : `email:${d.to}`);

/** One message to one destination; `key` names the alert (the same event gives the same key), so with the destination it is posted once. */
export interface Alert {
  key: string;
  kind: AlertKind;
  accountId?: string;
  destination: Destination;
  slack: SlackMessage;
}

/** The account's CSM: `owner` (a CSM id), else the `csm.email` an upsert gave, matched to config `csms`. */
export function ownerOf(account: Pick<Account, 'csm'> & { owner?: string }, csms: readonly Csm[]): Csm | undefined {
  if (account.owner) return csms.find((c) => c.id === account.owner);
  const email = account.csm?.email?.toLowerCase();
  return email ? csms.find((c) => c.email.toLowerCase() === email) : undefined;
}

/**
 * Where one alert kind goes, from config `alerts.routes`: `owner` is the CSM's direct messages, or
 * the fallback channel when there is no owner or the owner has no Slack id. Each channel once.
 */
export function destinationsFor(
  kind: Exclude<AlertKind, 'digest'>,
  owner: Csm | undefined,
  alerts: Pick<AlertsConfig, 'routes' | 'fallbackChannel'>,
): SlackDestination[] {
  const channels = alerts.routes[kind].map((d) => (d === 'owner' ? (owner?.slackUserId ?? alerts.fallbackChannel) : d)).filter((c): c is string => !!c);
  return [...new Set(channels)].map((channel) => ({ via: 'slack', channel }));
}

export interface RoutingContext {
  account: Account & { owner?: string };
  csms: readonly Csm[];
  alerts: AlertsConfig;
  accountUrl: (accountId: string) => string;
}

const daysBetween = (from: string, to: string) => Math.ceil((new Date(to).getTime() - new Date(from).getTime()) / DAY_MS);

/** The renewal is inside the window at `at`: ahead, and no more than `renewalWindowDays` away. */
function renewalInWindow(account: Account, at: string, windowDays: number): number | undefined {
  if (!account.renewalDate) return undefined;
  const days = daysBetween(at, account.renewalDate);
  return days >= 0 && days <= windowDays ? days : undefined;
}

/**
 * The alerts one of Tend's events calls for (pure): an urgent or high task created (to its
 * account's owner), an account turning red, a renewal at risk (red or yellow inside the renewal
 * window, or the `renewal-near-unhealthy` flag raised). Keys: the task, the red turn (its time),
 * the renewal (its date: one alert per renewal and destination, however often the tier moves).
 */
export function alertsForEvent(event: TendEvent, ctx: RoutingContext): Alert[] {
  const { account, alerts } = ctx;
  const owner = ownerOf(account, ctx.csms);
  const ref: AccountRef = { id: account.id, name: account.name, url: ctx.accountUrl(account.id) };
  const to = (kind: Exclude<AlertKind, 'digest'>, key: string, slack: SlackMessage): Alert[] =>
    destinationsFor(kind, owner, alerts).map((destination) => ({ key, kind, accountId: account.id, destination, slack }));
  const out: Alert[] = [];
  if (event.type === 'task.created') {
    const task = event.detail.task as CsmTask;
    if (alerts.taskPriorities.includes(task.priority)) out.push(...to('task.created', `task#${account.id}#${task.id}`, taskMessage(task, ref, owner?.name)));
    return out;
  }
  const band = event.type === 'tier.changed' ? (event.detail.band as string | undefined) : undefined;
  if (event.type === 'tier.changed' && band === 'red' && event.detail.fromBand !== 'red') {
    const facts = { score: (event.detail.score as number | null) ?? null, tier: String(event.detail.to), from: (event.detail.from as string | null) ?? null };
    out.push(...to('account.red', `red#${account.id}#${event.at}`, turnedRedMessage(ref, facts)));
  }
  const atRisk =
    (event.type === 'tier.changed' && (band === 'red' || band === 'yellow')) ||
    (event.type === 'flag.started' && event.detail.flag === 'renewal-near-unhealthy');
  const daysLeft = atRisk ? renewalInWindow(account, event.at, alerts.renewalWindowDays) : undefined;
  if (daysLeft !== undefined) {
    const health = band ?? (typeof event.detail.tier === 'string' ? event.detail.tier : 'not healthy');
    out.push(
      ...to(
        'renewal.at-risk',
        `renewal#${account.id}#${account.renewalDate!.slice(0, 10)}`,
        renewalAtRiskMessage(ref, { renewalDate: account.renewalDate!, daysLeft, health }),
      ),
    );
  }
  return out;
}

/**
 * Whether an event may call for an alert or a digest line, known before its account is read: a task
 * created with a priority that is not alerted calls for neither (most of a play's tasks), so its
 * account is not read.
 */
export function mayNotify(event: Pick<TendEvent, 'type' | 'detail'>, alerts: Pick<AlertsConfig, 'taskPriorities'>): boolean {
  if (event.type !== 'task.created') return true;
  const priority = (event.detail.task as Partial<CsmTask> | undefined)?.priority;
  return priority !== undefined && alerts.taskPriorities.includes(priority);
}

/** What the digest lists of an event under "accounts that changed" (none: not a change a CSM reviews). */
export function digestChangeOf(event: TendEvent): string | undefined {
  if (event.type === 'tier.changed')
    return `tier ${String(event.detail.from ?? 'none')} → ${String(event.detail.to)}${event.detail.band ? ` (${String(event.detail.band)})` : ''}`;
  if (event.type === 'flag.started') return `flag raised: ${String(event.detail.flag)}`;
  if (event.type === 'flag.stopped') return `flag cleared: ${String(event.detail.flag)}`;
  return undefined;
}
