import { signToken } from './token.ts';

/** The unsubscribe links of one email: the https URL (List-Unsubscribe lists it first) and an optional mailto. */
export interface UnsubscribeLinks {
  linksFor(target: { contact: string; accountId: string; category: string; sendKey?: string }, now: Date): Promise<{ url: string; mailto?: string }>;
}

export interface LinkOptions {
  /** The signing key, read once (at cold start, from Secrets Manager or the local runtime). */
  key: () => Promise<string>;
  /** Public base URL of the API, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com`. */
  baseUrl: string;
  tokenDays: number;
  mailto?: string;
}

export const UNSUBSCRIBE_PATH = '/v1/unsubscribe';

export function unsubscribeLinks(options: LinkOptions): UnsubscribeLinks {
  return {
    async linksFor(target, now) {
      const token = signToken(await options.key(), { ...target, expires: Math.floor(now.getTime() / 1000) + options.tokenDays * 86_400 });
      const url = `${options.baseUrl.replace(/\/+$/, '')}${UNSUBSCRIBE_PATH}?token=${token}`;
      return { url, mailto: options.mailto ? `mailto:${options.mailto}?subject=unsubscribe` : undefined };
    },
  };
}

/** RFC 8058 one-click headers, https link first (RFC 2369 lets clients use the first one they support). */
export function unsubscribeHeaders(links: { url: string; mailto?: string }): { name: string; value: string }[] {
  return [
    {
      name: 'List-Unsubscribe',
      value: [links.url, links.mailto]
        .filter(Boolean)
        .map((l) => `<${l}>`)
        .join(', '),
    },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ];
}
