/**
 * The Accounts page's view (kept in the URL) and how GET /v1/accounts names it. The app says `band`
 * for health and `plan` for Starter/Pro/Enterprise, as the API does (API_NAME would map a difference).
 */
export const ACCOUNT_VIEW_KEYS = ['band', 'segment', 'plan', 'owner', 'stage', 'flag', 'q', 'sort', 'cursor'] as const;
export type AccountView = Partial<Record<(typeof ACCOUNT_VIEW_KEYS)[number], string>>;

const API_NAME: Record<string, string> = {};

export function viewOf(params: URLSearchParams): AccountView {
  const view: AccountView = {};
  for (const k of ACCOUNT_VIEW_KEYS) {
    const v = params.get(k);
    if (v) view[k] = v;
  }
  return view;
}

export function apiQueryOf(view: AccountView, limit: number): Record<string, string | number> {
  const q: Record<string, string | number> = { limit };
  for (const [k, v] of Object.entries(view)) if (v) q[API_NAME[k] ?? k] = v;
  return q;
}
