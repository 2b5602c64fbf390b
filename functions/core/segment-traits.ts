import { formatPath } from './format-path.ts';
import { accountUpsertSchema } from './schemas.ts';
import type { Account, AccountUpsert } from './types.ts';

/**
 * What a Segment `group` call's traits mean for its account (docs/api.md, "Segment"): Segment's
 * reserved `name`, `email` (the group's email: the primary contact), `plan`, `createdAt`, and
 * the custom `arr`/`mrr`, `seats`, `renewalDate`, `status`, `segment`, `csm`, `csmEmail` and `owner`
 * (a CSM id or email of tend.config.ts `csms`).
 * Other traits (`industry`, `employees`, `website`...) have no account field and are ignored.
 */
export type GroupAccount =
  /** Nothing to write: the call only ties the user to a known account. */
  { kind: 'link' } | { kind: 'upsert'; input: AccountUpsert } | { kind: 'rejected'; reason: string };

/** Trait read for each account field (`arr` may come from `mrr`). */
const TRAIT_OF: Record<string, string> = {
  id: 'groupId',
  name: 'traits.name',
  primaryContact: 'traits.email',
  startDate: 'traits.createdAt',
  csm: 'traits.csm',
  'csm.email': 'traits.csmEmail',
  owner: 'traits.owner',
};
const MAPPED = ['name', 'email', 'plan', 'arr', 'mrr', 'seats', 'renewalDate', 'status', 'segment', 'csm', 'csmEmail', 'owner'];
const CLEAN_NUMBER = /^-?\d+(\.\d+)?$/;
const DATES = new Set(['startDate', 'renewalDate']);

/** A trait as Tend reads it: null and blank strings are "not sent" (Segment sends null for cleared traits). */
function present(traits: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(traits)) {
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * Subscription statuses as billing systems name them (Stripe's are the common ones products
 * forward as a trait), read as Tend's status and payment status. Tend's own values pass as they are.
 */
const STATUS_WORDS: Record<string, { status?: string; paymentStatus?: string }> = {
  trialing: { status: 'trial' },
  canceled: { status: 'churned' },
  cancelled: { status: 'churned' },
  past_due: { status: 'active', paymentStatus: 'late' },
  unpaid: { status: 'active', paymentStatus: 'failed' },
};
const statusOf = (v: unknown) => {
  const word = lower(v);
  return typeof word === 'string' && Object.hasOwn(STATUS_WORDS, word) ? STATUS_WORDS[word]! : { status: word };
};

/** `createdAt` as Unix time (seconds, or milliseconds past 1e11) is read as the moment it names. */
const dateOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? new Date(v < 1e11 ? v * 1000 : v).toISOString() : v);
const sameEmail = (a: unknown, b: string | undefined) => typeof a === 'string' && a.toLowerCase() === b?.toLowerCase();

/**
 * Builds the account upsert a group call's traits describe. A known account (`stored`) keeps
 * whatever the traits leave out: its name and primary contact are carried over (the upsert
 * writes `primaryContact` whole), and `createdAt` is read only to create one, since the start
 * date drives onboarding and may have come from your CRM. An unknown account needs `name` and `email`.
 */
export function accountFromTraits(groupId: string, traits: Record<string, unknown> | undefined, stored: Account | undefined): GroupAccount {
  const t = present(traits ?? {});
  const carried = MAPPED.filter((k) => t[k] !== undefined);
  if (stored && carried.length === 0) return { kind: 'link' };
  if (!stored) {
    const missing = ['name', 'email'].filter((k) => t[k] === undefined).map((k) => `traits.${k}`);
    if (missing.length)
      return {
        kind: 'rejected',
        reason: `account "${groupId}" not found: send traits.name and traits.email to create it (missing ${missing.join(', ')}), or create it with POST /v1/accounts first`,
      };
  }

  // Numbers also come as strings from some sources: "12000" is 12000, "12k" or "$12,000" is refused.
  const refused: string[] = [];
  const number = (trait: string) => {
    const v = t[trait];
    if (v === undefined || typeof v === 'number') return v;
    if (typeof v === 'string' && CLEAN_NUMBER.test(v)) return Number(v);
    refused.push(`traits.${trait}: a number such as 12000 or "12000", got ${JSON.stringify(v)}`);
    return undefined;
  };
  const arr = number('arr');
  const mrr = t.arr === undefined ? number('mrr') : undefined;
  const seats = number('seats');
  if (t.csmEmail !== undefined && t.csm === undefined && !stored?.csm) refused.push("traits.csm: the CSM's name, needed with traits.csmEmail");
  if (refused.length) return { kind: 'rejected', reason: refused.join('; ') };

  const candidate: Record<string, unknown> = {
    id: groupId,
    name: t.name ?? stored?.name,
    // A different address is a different person: the stored contact's name and role are not theirs.
    primaryContact: t.email === undefined || (stored && sameEmail(t.email, stored.primaryContact.email)) ? stored?.primaryContact : { email: t.email },
    plan: t.plan,
    // Cents at most: 99.99 a month is 1199.88 a year, not 1199.8799999999999.
    arr: mrr === undefined ? arr : Math.round(mrr * 1200) / 100,
    seats,
    startDate: stored ? undefined : dateOf(t.createdAt),
    renewalDate: dateOf(t.renewalDate),
    ...statusOf(t.status),
    segment: lower(t.segment),
    csm: csmOf(t, stored),
    owner: t.owner,
  };
  const parsed = accountUpsertSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
  if (parsed.success) return { kind: 'upsert', input: parsed.data };
  const traitOf = (path: readonly PropertyKey[]) => {
    const field = formatPath(path);
    if (field === 'arr' && mrr !== undefined) return 'traits.mrr';
    return TRAIT_OF[field] ?? TRAIT_OF[String(path[0])] ?? `traits.${field}`;
  };
  // The date schema is a union, whose own message ("Invalid input") says nothing.
  const messageOf = (i: { path: readonly PropertyKey[]; message: string }) =>
    DATES.has(String(i.path[0])) ? 'an ISO-8601 date (2026-03-02) or date-time with offset (2026-03-02T09:28:55Z)' : i.message;
  return { kind: 'rejected', reason: parsed.error.issues.map((i) => `${traitOf(i.path)}: ${messageOf(i)}`).join('; ') };
}

/** `csm` is the CSM's name, `csmEmail` their address; the stored address stays while the name does. */
function csmOf(t: Record<string, unknown>, stored: Account | undefined): unknown {
  if (t.csm === undefined && t.csmEmail === undefined) return undefined;
  const name = t.csm ?? stored?.csm?.name;
  const email = t.csmEmail ?? (stored?.csm && stored.csm.name === name ? stored.csm.email : undefined);
  return email === undefined ? { name } : { name, email };
}
