import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { SlackMessage } from '../core/alerts/messages.ts';
import type { SlackPoster } from '../core/alerts/notify.ts';

/**
 * The longest Retry-After a post waits out in the function. Longer, it fails: the claim is
 * released and Lambda retries the event a minute or more later, instead of an invocation that
 * could time out after Slack took the message (its claim would then stay `posting`).
 */
const MAX_RATE_LIMIT_WAIT_S = 10;

type SlackSdk = typeof import('@slack/web-api');

const rateLimitedFor = (sdk: SlackSdk, err: unknown): number | undefined =>
  (err as { code?: string }).code === sdk.ErrorCode.RateLimitedError ? Number((err as { retryAfter?: number }).retryAfter ?? 1) : undefined;

/**
 * The exports of a CommonJS package imported from ESM: Node (and Lambda) give them as the
 * namespace's `default`; a loader that lifts them onto the namespace itself (tsx, running the
 * demo and `tend dev`) gives no `default`. Both are taken.
 */
export function commonJsExports<T extends object>(namespace: T | { default: T }, probe: keyof T): T {
  return probe in namespace ? (namespace as T) : (namespace as { default: T }).default;
}

/**
 * The SDK (with axios under it, about a third of the notifier's cold start) is imported on the first
 * post: the digest and the events no route sends to Slack never load it.
 */
let slackSdk: Promise<SlackSdk> | undefined;
const loadSlackSdk = () => (slackSdk ??= import('@slack/web-api').then((m) => commonJsExports<SlackSdk>(m, 'WebClient')));

/**
 * `chat.postMessage` through Slack's official SDK. The SDK retries a 5xx or a dropped connection
 * itself (twice, within ~2 s: a Lambda must not wait Slack's default half hour); a 429 is waited out
 * here when its Retry-After is short. What still fails is thrown, so the claim is released and the
 * invocation retried. `slackApiUrl`: the local stand-in (local/slack.ts) when running on this machine.
 */
export function slackPoster(
  token: () => Promise<string>,
  options: { slackApiUrl?: string; timeoutMs?: number; retryConfig?: WebClientOptions['retryConfig'] } = {},
): SlackPoster {
  let client: { token: string; web: WebClient } | undefined;
  const post = (web: WebClient, channel: string, message: SlackMessage) =>
    web.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false });
  return {
    async post(channel, message) {
      const [current, sdk] = await Promise.all([token(), loadSlackSdk()]);
      // A rotated token (read again after the cache expires) gets a client of its own.
      if (client?.token !== current)
        client = {
          token: current,
          web: new sdk.WebClient(current, {
            ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
            retryConfig: options.retryConfig ?? { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
            rejectRateLimitedCalls: true,
            timeout: options.timeoutMs ?? 5_000,
          }),
        };
      const web = client.web;
      const out = await post(web, channel, message).catch(async (err: unknown) => {
        const wait = rateLimitedFor(sdk, err);
        if (wait === undefined || wait > MAX_RATE_LIMIT_WAIT_S) throw err;
        await new Promise((r) => setTimeout(r, wait * 1000));
        return post(web, channel, message);
      });
      return { ts: String(out.ts ?? '') };
    },
  };
}
