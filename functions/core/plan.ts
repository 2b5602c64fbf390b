import type { Account } from './types.ts';

/** The three plans Tend reports and filters by (the brief's Starter, Pro and Enterprise). */
export const PLANS = ['Starter', 'Pro', 'Enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/**
 * An account's plan, one of PLANS, wherever Tend shows, filters or cuts by plan (card, account
 * list, metrics): the plan name the account was sent with when it says which (`Pro annual`,
 * `enterprise-2026`), else the ARR segment (high-touch is Enterprise, medium-touch Pro).
 */
export function planOf(account: Pick<Account, 'plan' | 'segment'>): Plan {
  const plan = account.plan?.toLowerCase() ?? '';
  if (/enterprise/.test(plan)) return 'Enterprise';
  if (/\bpro\b|professional|business|growth|team/.test(plan)) return 'Pro';
  if (/starter|free|basic|trial/.test(plan)) return 'Starter';
  return account.segment === 'high-touch' ? 'Enterprise' : account.segment === 'medium-touch' ? 'Pro' : 'Starter';
}
