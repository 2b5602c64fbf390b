import { DAY_MS } from '../clock.ts';
import type { Account, Contact } from '../types.ts';

/** How recently a key person must have left for it to be news: after that the flag clears. */
export const LEFT_RECENTLY_DAYS = 30;

/** Relationship signals and facts from an account's contacts (its primary contact included). */
export function relationshipFacts(account: Pick<Account, 'primaryContact'>, contacts: Contact[], now: Date) {
  const active = contacts.filter((c) => !c.leftAt);
  const primary = account.primaryContact;
  const people = new Map(active.map((c) => [c.email.toLowerCase(), c.role]));
  if (!contacts.some((c) => c.email.toLowerCase() === primary.email.toLowerCase() && c.leftAt)) people.set(primary.email.toLowerCase(), primary.role);
  const hasRole = (role: string) => [...people.values()].includes(role as Contact['role']);
  const leftRecently = (role: string) =>
    contacts.some((c) => c.role === role && c.leftAt && now.getTime() - new Date(c.leftAt).getTime() <= LEFT_RECENTLY_DAYS * DAY_MS);
  return {
    signals: { executiveSponsor: hasRole('executive-sponsor') ? 'yes' : 'no', stakeholders: people.size },
    championLeft: leftRecently('champion') && !hasRole('champion'),
    sponsorLeft: leftRecently('executive-sponsor') && !hasRole('executive-sponsor'),
  };
}
