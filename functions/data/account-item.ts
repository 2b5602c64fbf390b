import type { Account } from '../core/types.ts';
import { stripKeys } from './items.ts';

/**
 * Milestones are stored as top-level attributes of the account item (`milestone_firstValue`),
 * so recording one is a single conditional SET, without first creating a `milestones` map.
 * The domain still sees `account.milestones.firstValue`: every account read goes through
 * `accountFromItem`.
 */
const MILESTONE_PREFIX = 'milestone_';

/** The revenue history point of the account's last change of ARR, plan or status, written with that change (not part of the domain's account). */
export const LAST_POINT = 'arrLast';

/** The revision each upsert bumps (accounts.ts): an upsert writes only if the account is still as it read it. Not part of the domain's account. */
export const ACCOUNT_REVISION = 'rev';

export const milestoneAttribute = (milestone: string) => `${MILESTONE_PREFIX}${milestone}`;

/** An account item as the domain sees it: keys, revision and last point stripped, milestone attributes folded into `milestones`. */
export function accountFromItem(item: Record<string, unknown>): Account {
  const fields = stripKeys(item);
  delete fields[LAST_POINT];
  delete fields[ACCOUNT_REVISION];
  // Items written before milestones moved to top-level attributes hold them in a `milestones` map.
  const milestones: Record<string, string> = { ...(fields.milestones as Record<string, string> | undefined) };
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith(MILESTONE_PREFIX)) continue;
    milestones[name.slice(MILESTONE_PREFIX.length)] = String(value);
    delete fields[name];
  }
  if (Object.keys(milestones).length > 0) fields.milestones = milestones;
  else delete fields.milestones;
  return fields as unknown as Account;
}
