import { createHash } from 'node:crypto';
import * as z from './zod.ts';
import type { Clock } from './clock.ts';
import type { TendConfig } from './config.ts';
import { formatPath } from './format-path.ts';
import { ingestContacts, ingestEvents } from './ingest.ts';
import type { AccountRepo, ContactRepo, DirtyAccounts, EventClaims, EventPublisher, RevenueRepo, UsageRepo, UserLinks } from './ports.ts';
import { ingestGroup } from './segment-group.ts';
import { KEY_LIMITS, maxBytes } from './limits.ts';
import { contactUpsertSchema, idSchema, usageEventSchema } from './schemas.ts';
import type { ContactUpsert, UsageEvent } from './types.ts';
import { MAX_SEGMENT_BATCH, segmentBodySchema } from './segment-body.ts';
export { MAX_SEGMENT_BATCH, segmentBodySchema };

/** Segment's ids are free text; they become parts of keys (claims, user links), so they are bounded (limits.ts). */
const segmentId = () => z.string().check(maxBytes(KEY_LIMITS.segmentIdBytes));
/** A time as Segment sends it (ISO 8601); it is stored with a user's link, so it is bounded too. */
const segmentTime = () => z.optional(z.string().check(z.maxLength(64)));
/**
 * Segment's spec (https://segment.com/docs/connections/spec/): the common fields every call has,
 * and what track, identify, group and page add. Unknown fields are kept out of the way, not refused.
 * Built on first use, like the request schemas of schemas.ts (see there).
 */
const common = () => ({
  messageId: z.optional(segmentId()),
  userId: z.optional(z.nullable(segmentId())),
  anonymousId: z.optional(z.nullable(segmentId())),
  timestamp: segmentTime(),
  originalTimestamp: segmentTime(),
  sentAt: segmentTime(),
  receivedAt: segmentTime(),
  context: z.optional(z.looseObject({ groupId: z.optional(segmentId()), timezone: z.optional(z.string()), traits: z.optional(z.looseObject({})) })),
});
const properties = () => z.optional(z.record(z.string(), z.unknown()));
const traits = () => z.optional(z.record(z.string(), z.unknown()));

export const segmentMessageSchema = /* @__PURE__ */ z.lazy(() =>
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('track'), event: z.string().check(z.minLength(1)), properties: properties(), ...common() }),
    z.looseObject({
      type: z.literal('page'),
      name: z.optional(z.nullable(z.string())),
      category: z.optional(z.nullable(z.string())),
      properties: properties(),
      ...common(),
    }),
    z.looseObject({ type: z.literal('identify'), traits: traits(), ...common() }),
    // A group is an account: its id is an account id.
    z.looseObject({ type: z.literal('group'), groupId: idSchema, traits: traits(), ...common() }),
  ]),
);
export type SegmentMessage = z.output<typeof segmentMessageSchema>;

export interface SegmentOutcome {
  index: number;
  messageId: string | null;
  type: string;
  status: 'accepted' | 'duplicate' | 'rejected' | 'ignored';
  reason?: string;
  /** A group call's account: `created`, `updated` or `unchanged` by its traits. */
  account?: 'created' | 'updated' | 'unchanged';
}

type Deps = {
  clock: Clock;
  accounts: AccountRepo;
  revenue: RevenueRepo;
  usage: UsageRepo;
  dirty: DirtyAccounts;
  claims: EventClaims;
  contacts: ContactRepo;
  links: UserLinks;
  events: EventPublisher;
  segments: TendConfig['segments'];
};

const derivedMessageId = (message: unknown) => `derived-${createHash('sha256').update(JSON.stringify(message)).digest('hex').slice(0, 32)}`;
/** A trait `role` Tend knows (`Executive Sponsor` too); a job title such as `CTO` is not a role and is left out. */
const contactRole = (v: unknown) => {
  const role =
    typeof v === 'string'
      ? v
          .trim()
          .toLowerCase()
          .replace(/[\s_]+/g, '-')
      : undefined;
  return role && ['champion', 'admin', 'executive-sponsor', 'user'].includes(role) ? role : undefined;
};
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
/**
 * The event time as sent. No clock-skew correction against the arrival time: Segment's webhook
 * already sends its corrected `timestamp`, server SDKs stamp their own, and a correction would
 * move a retried event by its retry delay, perhaps into another day's usage.
 */
const whenOf = (m: SegmentMessage, now: Date) => m.timestamp ?? m.originalTimestamp ?? m.receivedAt ?? m.sentAt ?? now.toISOString();
const issues = (e: z.core.$ZodError) => e.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');

/**
 * Records a Segment delivery: `group` ties a user to an account (the group is the account) and
 * creates or updates that account from its traits (segment-traits.ts), `identify` traits make
 * the user a contact, `track` and `page` are usage events of the account named by
 * `context.groupId`, else of the account the user was last grouped into. Replays of a
 * messageId count once. Every message gets its own outcome; a bad one never fails the others.
 */
export async function ingestSegment(
  deps: Deps,
  body: z.output<typeof segmentBodySchema>,
): Promise<{ accepted: number; duplicates: number; rejected: number; results: SegmentOutcome[] }> {
  const now = deps.clock.now();
  const raw = body.batch ? body.batch.map((m) => ({ ...m, context: { ...(body.context ?? {}), ...((m.context as object) ?? {}) } })) : [body];
  const results: SegmentOutcome[] = [];
  const messages: { index: number; m: SegmentMessage }[] = [];
  raw.forEach((candidate, index) => {
    const type = String((candidate as { type?: unknown }).type);
    const messageId = str((candidate as { messageId?: unknown }).messageId) ?? null;
    if (['screen', 'alias'].includes(type))
      return void results.push({ index, messageId, type, status: 'ignored', reason: `${type} calls carry nothing Tend uses` });
    const parsed = segmentMessageSchema.safeParse(candidate);
    if (!parsed.success) return void results.push({ index, messageId, type, status: 'rejected', reason: issues(parsed.error) });
    // The tracking API makes messageId optional; the same message again then gets the same derived id.
    messages.push({ index, m: { ...parsed.data, messageId: parsed.data.messageId || derivedMessageId(candidate) } });
  });

  // Groups first: a track later in the same batch belongs to the group named before it, and to
  // the account that group created. One at a time: a second group of a new account sees it.
  const inBatch = new Map<string, string>();
  for (const { index, m } of messages) {
    if (m.type !== 'group') continue;
    const user = m.userId ?? m.anonymousId ?? undefined;
    const outcome = await ingestGroup(deps, { groupId: m.groupId, messageId: m.messageId!, user, traits: m.traits, at: whenOf(m, now) }, now);
    if (user && outcome.status !== 'rejected') inBatch.set(user, m.groupId);
    results.push({ index, messageId: m.messageId!, type: 'group', ...outcome });
  }

  // An identify's `traits.company` (Segment's other way to describe the account) acts as a group
  // call of that user: it creates or updates the account first, so the contact has it. A new
  // company without its own email takes the identified user's as its primary contact.
  const companyRejected = new Map<number, string>();
  for (const { index, m } of messages) {
    if (m.type !== 'identify') continue;
    const company = m.traits?.company as Record<string, unknown> | undefined;
    const companyId = str(company?.id);
    if (!company || !companyId) continue;
    const validId = idSchema.safeParse(companyId);
    if (!validId.success) {
      companyRejected.set(index, `traits.company.id: ${validId.error.issues.map((i) => i.message).join('; ')}`);
      continue;
    }
    const user = m.userId ?? m.anonymousId ?? undefined;
    const outcome = await ingestGroup(
      deps,
      { groupId: companyId, messageId: `${m.messageId}#company`, user, traits: company, newAccountEmail: m.traits?.email, at: whenOf(m, now) },
      now,
    );
    if (outcome.status === 'rejected') companyRejected.set(index, (outcome.reason ?? '').replace(/traits\./g, 'traits.company.'));
    else if (user) inBatch.set(user, companyId);
  }

  const rest = messages.filter((x) => x.m.type !== 'group');
  const unlinked = rest
    .filter(({ m }) => !str(m.context?.groupId))
    .map(({ m }) => m.userId ?? m.anonymousId)
    .filter((u): u is string => !!u && !inBatch.has(u));
  const stored = unlinked.length ? await deps.links.accountsOf(unlinked) : new Map<string, string>();
  const accountOf = (m: SegmentMessage) => {
    const user = m.userId ?? m.anonymousId ?? undefined;
    const company = m.type === 'identify' ? str((m.traits?.company as { id?: unknown } | undefined)?.id) : undefined;
    return str(m.context?.groupId) ?? company ?? (user ? (inBatch.get(user) ?? stored.get(user)) : undefined);
  };

  const events: { index: number; e: UsageEvent }[] = [];
  const contacts: { index: number; c: ContactUpsert; messageId: string; accountId: string }[] = [];
  for (const { index, m } of rest) {
    const base = { index, messageId: m.messageId!, type: m.type };
    const accountId = accountOf(m);
    const companyReason = companyRejected.get(index);
    if (companyReason) {
      results.push({ ...base, status: 'rejected', reason: companyReason });
      continue;
    }
    if (!accountId) {
      results.push({ ...base, status: 'rejected', reason: 'no account: set context.groupId, or send a group call for this user first' });
      continue;
    }
    if (m.type === 'identify') {
      const t = m.traits ?? {};
      const name = str(t.name) ?? ([str(t.firstName), str(t.lastName)].filter(Boolean).join(' ') || undefined);
      const candidate = { accountId, email: str(t.email), name, role: contactRole(t.role), timezone: str(m.context?.timezone) ?? str(t.timezone) };
      const parsed = contactUpsertSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
      if (!parsed.success) results.push({ ...base, status: 'rejected', reason: issues(parsed.error).replace(/^email:/, 'traits.email:') });
      else contacts.push({ index, c: parsed.data, messageId: m.messageId!, accountId });
      continue;
    }
    const props = (m.properties ?? {}) as Record<string, unknown>;
    const candidate = {
      id: m.messageId,
      accountId,
      userId: m.userId ?? m.anonymousId,
      name: m.type === 'track' ? m.event : 'page',
      timestamp: whenOf(m, now),
      properties: { ...props, ...(m.type === 'page' && !props.feature && m.category ? { feature: m.category } : {}) },
    };
    const parsed = usageEventSchema.safeParse(candidate);
    if (!parsed.success) results.push({ ...base, status: 'rejected', reason: issues(parsed.error) });
    else events.push({ index, e: parsed.data });
  }

  if (events.length) {
    const out = await ingestEvents(
      deps,
      events.map((x) => x.e),
    );
    out.results?.forEach((r, i) =>
      results.push({
        index: events[i]!.index,
        messageId: r.id,
        type: rest.find((x) => x.index === events[i]!.index)!.m.type,
        status: r.status,
        ...(r.reason ? { reason: r.reason } : {}),
      }),
    );
  }
  if (contacts.length) {
    const out = await ingestContacts(
      deps,
      contacts.map((x) => x.c),
    );
    const rejectedAt = new Map(out.rejected.map((r) => [r.index, r.error]));
    const firsts = await Promise.all(
      contacts.map((x) =>
        rejectedAt.has(contacts.indexOf(x)) ? undefined : deps.claims.claim(x.accountId, [x.messageId], now).then((f) => f.get(x.messageId)),
      ),
    );
    contacts.forEach((x, i) => {
      const reason = rejectedAt.get(i);
      results.push({
        index: x.index,
        messageId: x.messageId,
        type: 'identify',
        status: reason ? 'rejected' : firsts[i] ? 'accepted' : 'duplicate',
        ...(reason ? { reason } : {}),
      });
    });
  }
  results.sort((a, b) => a.index - b.index);
  const count = (s: SegmentOutcome['status']) => results.filter((r) => r.status === s).length;
  return { accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), results };
}
