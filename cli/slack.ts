import { resolve } from 'node:path';
import type { SlackRecord } from '../local/slack.ts';
import { devSession } from './local-state.ts';

export interface SlackCommandOptions {
  data: string;
  fail?: string;
  count?: number;
  retryAfter?: number;
  clear?: boolean;
  json?: boolean;
}

/**
 * `tend slack`: the messages the running `tend dev`'s Slack stand-in received (local/slack.ts),
 * oldest first; `--fail 500|ratelimited [--count n] [--retry-after s]` makes its next calls fail,
 * so retries can be watched; `--clear` forgets the messages.
 */
export async function slackCommand(options: SlackCommandOptions) {
  const session = devSession(resolve(options.data));
  if (!session) throw new Error(`no running tend dev with data in ${options.data}: start one with \`tend dev\` (the Slack stand-in lives in it)`);
  const url = `${session.url}/local/slack`;
  if (options.fail !== undefined || options.clear) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fail: options.fail, count: options.count, retryAfter: options.retryAfter, clear: options.clear }),
    });
    if (!res.ok) throw new Error(`the stand-in refused: ${await res.text()}`);
    if (options.fail !== undefined) console.log(`The next ${options.count ?? 1} Slack call(s) will fail with ${options.fail}.`);
    if (options.clear) console.log('Slack messages cleared.');
    return;
  }
  const { messages, calls } = (await (await fetch(url)).json()) as { messages: SlackRecord[]; calls: number };
  if (options.json) return console.log(JSON.stringify({ messages, calls }));
  if (!messages.length) return console.log(`No Slack messages yet (${calls} calls).`);
  for (const m of messages) console.log(`${m.at}  ${m.channel.padEnd(14)} ${m.text}`);
  console.log(`${messages.length} message(s), ${calls} call(s) received (refused ones included).`);
}
