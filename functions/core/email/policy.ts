/**
 * What each email category may do. Contacts opt out per category; `renewal` is transactional
 * (it tells the customer about their contract) and is sent to an opted-out contact too.
 */
export type EmailCategory = 'onboarding' | 'tips' | 'renewal' | 'success';
export const OPTIONAL_CATEGORIES = ['onboarding', 'tips', 'success'] as const;

/**
 * Order between plays when a contact's frequency cap is reached: `critical` (renewal notices,
 * save outreach) is always sent; `normal` may use every slot of the cap; `low` (tips) leaves
 * one slot free, so tips are the first to be held back.
 */
export type EmailPriority = 'critical' | 'normal' | 'low';
export const CATEGORY_PRIORITY: Record<EmailCategory, EmailPriority> = { renewal: 'critical', onboarding: 'normal', success: 'normal', tips: 'low' };

export function capSlots(priority: EmailPriority, max: number): number {
  return priority === 'low' ? Math.max(1, max - 1) : max;
}

/** The categories an unsubscribe link of this category opts out of. */
export function optOutCategories(scope: string): string[] {
  return scope === 'all' || scope === 'renewal' ? [...OPTIONAL_CATEGORIES] : [scope];
}

/**
 * SES tag values allow only letters, digits, `_` and `-`: other characters (and `_` itself) are
 * written `_xx` in hex, so an account id survives the round trip through SES events.
 */
export function encodeTag(value: string): string {
  return value.replace(/[^A-Za-z0-9-]/g, (c) => [...Buffer.from(c, 'utf8')].map((b) => `_${b.toString(16).padStart(2, '0')}`).join('')).slice(0, 256);
}

export function decodeTag(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '_' && /^[0-9a-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(value.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}
