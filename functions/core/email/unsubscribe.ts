import type { Clock } from '../clock.ts';
import type { PreferenceRepo } from '../ports.ts';
import { optOutCategories } from './policy.ts';
import { verifyToken, type UnsubscribeClaims } from './token.ts';
import type { SendOutcomes } from '../metrics/email-outcomes.ts';

export interface UnsubscribeDeps {
  clock: Clock;
  preferences: Pick<PreferenceRepo, 'optOut'>;
  key: () => Promise<string>;
  /** Where the unsubscribe is recorded on the send the link came from, for its template's count. */
  outcomes?: Pick<SendOutcomes, 'recordOnSend'>;
}

/** Checks a link's token without changing anything (the confirmation page); throws TokenError. */
export async function checkUnsubscribe(deps: UnsubscribeDeps, token: string | undefined): Promise<UnsubscribeClaims> {
  return verifyToken(await deps.key(), token, deps.clock.now());
}

/** RFC 8058 one-click: verifies the token, then records the opt-out at once. Replays change nothing. */
export async function unsubscribe(deps: UnsubscribeDeps, token: string | undefined): Promise<{ contact: string; categories: string[] }> {
  const claims = await checkUnsubscribe(deps, token);
  const categories = optOutCategories(claims.category);
  await deps.preferences.optOut(claims.accountId, claims.contact, categories, deps.clock.now());
  if (claims.sendKey) await deps.outcomes?.recordOnSend(claims.accountId, claims.sendKey, 'unsubscribed', deps.clock.now());
  return { contact: claims.contact, categories };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small self-contained page: the confirmation (a button that POSTs) or the outcome. */
export function unsubscribePage(input: { title: string; message: string; productName: string; form?: { token: string } }): string {
  const form = input.form
    ? `<form method="post" action="?token=${encodeURIComponent(input.form.token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="padding:10px 18px;background:#2457d6;color:#fff;border:0;border-radius:6px;font-size:16px;">Unsubscribe</button></form>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(input.title)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;background:#f4f5f7;margin:0;padding:32px 12px;"><main style="max-width:480px;margin:0 auto;background:#fff;border-radius:8px;padding:28px 32px;color:#1f2933;">
<h1 style="font-size:20px;">${escape(input.title)}</h1><p>${escape(input.message)}</p>${form}<p style="font-size:12px;color:#6b7785;">${escape(input.productName)}</p></main></body></html>`;
}
