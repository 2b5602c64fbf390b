import { dayOf, DAY_MS, type Clock } from '../clock.ts';
import type { AccountRepo, Mailer, TendEvent } from '../ports.ts';
import type { AlertsConfig, Csm } from './config.ts';
import { digestEmail, digestIsEmpty, digestSlackMessage, type DigestContent, type DigestTask, type SlackMessage } from './messages.ts';
import { alertsForEvent, destinationKey, digestChangeOf, mayNotify, ownerOf, type Alert } from './routing.ts';

/**
 * An alert claimed for a destination before it is posted. `claim` is true for the one caller that
 * may post now: the first, or a retry after a failed post was released; false once posted (or
 * while another attempt holds it).
 */
export interface AlertClaims {
  claim(alertKey: string, destination: string, at: Date): Promise<boolean>;
  /** Posted: the claim stays, so no retry posts it again. */
  posted(alertKey: string, destination: string, ref: string): Promise<void>;
  /** The post failed: the claim is given back for the retry. */
  release(alertKey: string, destination: string): Promise<void>;
}

/** Slack's `chat.postMessage` (functions/notifier/slack.ts, over @slack/web-api). */
export interface SlackPoster {
  post(channel: string, message: SlackMessage): Promise<{ ts: string }>;
}

/** What the digest reads and what the notifier notes for it. */
export interface DigestStore {
  /** Open tasks of a CSM due before `before` (ISO), soonest first. */
  openTasks(csm: Csm, before: string): Promise<{ id: string; accountId: string; title: string; priority: string; dueAt: string }[]>;
  /** Notes that an account of the CSM changed (a digest line), on the day. */
  noteChange(csmId: string, day: string, accountId: string, what: string): Promise<void>;
  /** The changes noted on these days, by account. */
  changes(csmId: string, days: string[]): Promise<Map<string, string[]>>;
  /** The same for many CSMs in one read, by CSM (optional: one `changes` per CSM without it). */
  changesOf?(csmIds: string[], days: string[]): Promise<Map<string, Map<string, string[]>>>;
}

export interface NotifyDeps {
  clock: Clock;
  alerts: AlertsConfig;
  csms: readonly Csm[];
  accounts: Pick<AccountRepo, 'get' | 'names'>;
  claims: AlertClaims;
  digest: DigestStore;
  /** Absent when Slack is not configured (`alerts.slack`): only the email digest goes out. */
  slack?: SlackPoster;
  /** SES, for the email digest. */
  mailer?: Mailer;
  sender: { name: string; from: string };
  accountUrl: (accountId: string) => string;
}

export interface Delivery {
  posted: number;
  /** Claimed and posted before (a retry, a replayed event). */
  duplicate: number;
  failed: { key: string; destination: string; error: string }[];
}

/** Thrown after every alert was tried once: the invocation fails, and the retry posts only those that failed. */
export class AlertDeliveryError extends Error {
  override name = 'AlertDeliveryError';
  constructor(readonly failed: Delivery['failed']) {
    super(`${failed.length} alert(s) failed: ${failed.map((f) => `${f.key} to ${f.destination}: ${f.error}`).join('; ')}`);
  }
}

type Outgoing = { key: string; destination: string; send: () => Promise<string> };

/** Claim, post, then keep the claim; on a failed post give it back and go on with the others. */
async function deliverAll(deps: Pick<NotifyDeps, 'claims' | 'clock'>, outgoing: Outgoing[]): Promise<Delivery> {
  const result: Delivery = { posted: 0, duplicate: 0, failed: [] };
  for (const o of outgoing) {
    if (!(await deps.claims.claim(o.key, o.destination, deps.clock.now()))) {
      result.duplicate++;
      continue;
    }
    let ref: string;
    try {
      ref = await o.send();
    } catch (err) {
      await deps.claims.release(o.key, o.destination);
      result.failed.push({ key: o.key, destination: o.destination, error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    await deps.claims.posted(o.key, o.destination, ref);
    result.posted++;
  }
  return result;
}

function finish(result: Delivery): Delivery {
  if (result.failed.length) throw new AlertDeliveryError(result.failed);
  return result;
}

const slackOutgoing = (deps: Pick<NotifyDeps, 'slack'>, alert: Alert): Outgoing[] =>
  deps.slack && alert.destination.via === 'slack'
    ? [
        {
          key: alert.key,
          destination: destinationKey(alert.destination),
          send: async () => (await deps.slack!.post((alert.destination as { channel: string }).channel, alert.slack)).ts,
        },
      ]
    : [];

/**
 * One of Tend's events (from the bus): the alerts it calls for, each posted once per destination,
 * and, for tier moves and flags, a line in the owner's next digest.
 */
export async function notifyEvent(deps: NotifyDeps, event: TendEvent): Promise<Delivery & { alerts: number }> {
  if (!mayNotify(event, deps.alerts)) return { posted: 0, duplicate: 0, failed: [], alerts: 0 };
  const account = (await deps.accounts.get(event.accountId)) as (Awaited<ReturnType<AccountRepo['get']>> & { owner?: string }) | undefined;
  if (!account) return { posted: 0, duplicate: 0, failed: [], alerts: 0 };
  const change = digestChangeOf(event);
  const owner = ownerOf(account, deps.csms);
  if (change && owner) await deps.digest.noteChange(owner.id, dayOf(new Date(event.at)), account.id, change);
  const alerts = alertsForEvent(event, { account, csms: deps.csms, alerts: deps.alerts, accountUrl: deps.accountUrl });
  const result = await deliverAll(
    deps,
    alerts.flatMap((a) => slackOutgoing(deps, a)),
  );
  return { ...finish(result), alerts: alerts.length };
}

/**
 * The daily digest of every CSM: tasks due today, overdue, and the accounts that changed since
 * the day before. Slack when the CSM has a Slack id (and Slack is set up), else email (when
 * `alerts.digest.email`). Keyed by CSM and day: a retried schedule sends nothing twice.
 */
export async function sendDigests(deps: NotifyDeps): Promise<Delivery & { digests: number }> {
  const now = deps.clock.now();
  const today = dayOf(now);
  const endOfToday = new Date(Date.parse(`${today}T00:00:00Z`) + DAY_MS).toISOString();
  const outgoing: Outgoing[] = [];
  // Every CSM's open tasks, then their changes in one read and the accounts they name in one look-up.
  const days = [dayOf(now.getTime() - DAY_MS), today];
  const tasksOf = new Map<string, Awaited<ReturnType<DigestStore['openTasks']>>>();
  for (const csm of deps.csms) tasksOf.set(csm.id, await deps.digest.openTasks(csm, endOfToday));
  const changesOf = deps.digest.changesOf
    ? await deps.digest.changesOf(
        deps.csms.map((c) => c.id),
        days,
      )
    : new Map(await Promise.all(deps.csms.map(async (c) => [c.id, await deps.digest.changes(c.id, days)] as const)));
  const named = new Set([...tasksOf.values()].flatMap((tasks) => tasks.map((t) => t.accountId)));
  for (const changes of changesOf.values()) for (const id of changes.keys()) named.add(id);
  const names = named.size > 0 ? await deps.accounts.names([...named]) : new Map<string, string>();
  const ref = (accountId: string) => ({ id: accountId, name: names.get(accountId) ?? accountId, url: deps.accountUrl(accountId) });
  for (const csm of deps.csms) {
    const tasks = tasksOf.get(csm.id) ?? [];
    const changes = changesOf.get(csm.id) ?? new Map<string, string[]>();
    const line = (t: (typeof tasks)[number]): DigestTask => ({ id: t.id, title: t.title, priority: t.priority, dueAt: t.dueAt, account: ref(t.accountId) });
    const content: DigestContent = {
      csmName: csm.name,
      day: today,
      dueToday: tasks.filter((t) => t.dueAt.slice(0, 10) === today).map(line),
      overdue: tasks.filter((t) => t.dueAt.slice(0, 10) < today).map(line),
      changed: [...changes].map(([accountId, what]) => ({ account: ref(accountId), what })),
    };
    if (digestIsEmpty(content)) continue;
    const key = `digest#${csm.id}#${today}`;
    if (deps.slack && csm.slackUserId) {
      const message = digestSlackMessage(content);
      outgoing.push({ key, destination: `slack:${csm.slackUserId}`, send: async () => (await deps.slack!.post(csm.slackUserId!, message)).ts });
    } else if (deps.alerts.digest.email && deps.mailer) {
      const email = digestEmail(content);
      outgoing.push({
        key,
        destination: `email:${csm.email}`,
        send: async () =>
          (
            await deps.mailer!.send({
              from: `${deps.sender.name} <${deps.sender.from}>`,
              to: csm.email,
              subject: email.subject,
              html: email.html,
              text: email.text,
              headers: [],
              tags: { kind: 'digest' },
            })
          ).messageId,
      });
    }
  }
  const result = await deliverAll(deps, outgoing);
  return { ...finish(result), digests: outgoing.length };
}
