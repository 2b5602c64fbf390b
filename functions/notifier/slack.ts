import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackPoster } from '../core/alerts/notify.ts';

/**
 * `chat.postMessage` through Slack's official SDK. The SDK retries a 5xx or a dropped connection
 * itself (twice, within ~2 s: a Lambda must not wait Slack's default half hour) and waits out a
 * 429's Retry-After; what still fails is thrown, so the claim is released and the invocation retried.
 * `slackApiUrl`: the local stand-in (local/slack.ts) when running on this machine.
 */
export function slackPoster(token: () => Promise<string>, options: { slackApiUrl?: string; retryConfig?: WebClientOptions['retryConfig'] } = {}): SlackPoster {
  let client: { token: string; web: WebClient } | undefined;
  return {
    async post(channel, message) {
      const current = await token();
      // A rotated token (read again after the cache expires) gets a client of its own.
      if (client?.token !== current)
        client = {
          token: current,
          web: new WebClient(current, {
            ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
            retryConfig: options.retryConfig ?? { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
            rejectRateLimitedCalls: false,
            timeout: 5_000,
          }),
        };
      const out = await client.web.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false });
      return { ts: String(out.ts ?? '') };
    },
  };
}
