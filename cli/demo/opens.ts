import { fnv1a } from '../../functions/core/hash.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { engagementOn } from './book.ts';
import type { SyntheticAccount } from './synthetic.ts';

/**
 * The demo's customers read some of their email: each new email in the outbox is opened with
 * the account's engagement (an archetype's activity; ghosts never open), reported as SES would,
 * an `Email Opened` event on the local EventBridge. Decided by a hash, not the seeded random, so
 * adding opens leaves the rest of a seeded demo unchanged.
 */
export function openNewEmails(rt: LocalRuntime, accounts: SyntheticAccount[], seen: number, day: number): number {
  const byContact = new Map(accounts.map((a) => [a.contact.email.toLowerCase(), a]));
  for (const email of rt.ses.sentSince(seen)) {
    const account = email.destination.to.map((t) => byContact.get(t.toLowerCase())).find(Boolean);
    if (!account) continue;
    const chance = engagementOn(account, day);
    if ((fnv1a(`${account.id}|${email.subject}|${day}`) % 1000) / 1000 >= chance) continue;
    const mail = { timestamp: rt.clock.now().toISOString(), messageId: email.messageId, destination: email.destination.to, tags: { account: [account.id] } };
    rt.events.put([
      { Source: 'aws.ses', DetailType: 'Email Opened', Detail: JSON.stringify({ eventType: 'Open', mail, open: { timestamp: rt.clock.now().toISOString() } }) },
    ]);
  }
  return rt.ses.sentTotal;
}
