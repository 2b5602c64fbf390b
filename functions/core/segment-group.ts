import { upsertChangesNothing } from './account-diff.ts';
import { upsertAccount, type AccountDeps } from './accounts.ts';
import type { EventClaims, UserLinks } from './ports.ts';
import { accountFromTraits } from './segment-traits.ts';
import { csmNamed } from './owners.ts';

export type GroupDeps = AccountDeps & { claims: EventClaims; links: UserLinks };

export interface GroupCall {
  groupId: string;
  messageId: string;
  user: string | undefined;
  traits: Record<string, unknown> | undefined;
  /** The message's time: a user's later group call wins over an older replay. */
  at: string;
  /** The primary contact's address for an account these traits create without an `email` of their own. */
  newAccountEmail?: unknown;
}

export interface GroupOutcome {
  status: 'accepted' | 'duplicate' | 'rejected';
  reason?: string;
  /** What the traits did to the account; absent when they carry nothing for it. */
  account?: 'created' | 'updated' | 'unchanged';
}

/**
 * One `group` call: creates or updates the account its traits describe (as POST /v1/accounts
 * does, so `account.created` starts onboarding), then ties the user to it. Everything is checked
 * before anything is written, and a replayed messageId writes no account: re-applying it after a
 * newer call would undo that call's traits.
 */
export async function ingestGroup(deps: GroupDeps, call: GroupCall, now: Date): Promise<GroupOutcome> {
  const stored = await deps.accounts.get(call.groupId);
  const traits = !stored && call.traits && call.traits.email == null && call.newAccountEmail ? { ...call.traits, email: call.newAccountEmail } : call.traits;
  const wanted = accountFromTraits(call.groupId, traits, stored);
  if (wanted.kind === 'rejected') return { status: 'rejected', reason: wanted.reason };
  const owner = wanted.kind === 'upsert' ? wanted.input.owner : undefined;
  if (owner !== undefined && !csmNamed(deps.csms ?? [], owner))
    return {
      status: 'rejected',
      reason: `traits.owner: "${owner}" is not a CSM of tend.config.ts (csms: ${(deps.csms ?? []).map((c) => c.id).join(', ') || 'none'})`,
    };
  if (!call.user) return { status: 'rejected', reason: 'userId or anonymousId: required to tie a user to the account' };

  let account: GroupOutcome['account'];
  if (wanted.kind === 'upsert') {
    // Segment's retries and duplicates change nothing: nothing is written, not even updatedAt.
    const nothingNew = !!stored?.announcedAt && upsertChangesNothing(stored, wanted.input);
    const replay = !nothingNew && !!stored && (await deps.claims.claimed(call.groupId, call.messageId));
    if (!nothingNew && !replay) await upsertAccount(deps, wanted.input, { source: 'segment' });
    account = nothingNew || replay ? 'unchanged' : stored ? 'updated' : 'created';
  }
  await deps.links.link(call.user, call.groupId, call.at);
  const first = (await deps.claims.claim(call.groupId, [call.messageId], now)).get(call.messageId);
  return { status: first ? 'accepted' : 'duplicate', ...(account ? { account } : {}) };
}
