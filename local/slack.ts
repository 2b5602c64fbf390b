import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The token the local runtime gives the notifier (SLACK_BOT_TOKEN); any other is `invalid_auth`, as Slack answers. */
export const LOCAL_SLACK_TOKEN = 'xoxb-local-tend-stand-in';

/** A message the stand-in accepted, as `chat.postMessage` received it. */
export interface SlackRecord {
  channel: string;
  text: string;
  blocks?: unknown;
  ts: string;
  /** The virtual clock's time when it arrived. */
  at: string;
}

/**
 * What the stand-in does to the next calls, as Slack and the network do: `500` (an internal
 * error: the SDK retries), `ratelimited` (429 with Retry-After: the SDK waits and retries).
 */
export type SlackFault = { kind: '500' } | { kind: 'ratelimited'; retryAfterSeconds: number };

/**
 * Slack's Web API on this machine, for the real `WebClient` (its `slackApiUrl` points here):
 * `chat.postMessage` and `auth.test`, answered as Slack answers them (HTTP 200 with `ok`, or
 * `ok: false` and an `error`), every accepted message recorded like the SES outbox, and faults on
 * demand so retries are tested for real. Only what Tend calls is implemented; any other method is
 * `unknown_method`, as Slack says.
 */
export class LocalSlack {
  private server?: Server;
  endpoint = '';
  readonly messages: SlackRecord[] = [];
  private readonly faults: SlackFault[] = [];
  /** Every request received, including refused ones: how a test sees the SDK's retries. */
  calls = 0;
  /** The virtual clock's time, for the records and the `ts` Slack gives each message. */
  now: () => Date = () => new Date();
  private seq = 0;

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => this.server!.listen(port, '127.0.0.1', resolve).once('error', reject));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise((r) => this.server!.close(r));
  }

  /** The next `count` calls fail this way (then calls succeed again). */
  fail(fault: SlackFault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  clear(): void {
    this.messages.length = 0;
    this.faults.length = 0;
    this.calls = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/^\/api\//, '');
    const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    this.calls++;
    const fault = this.faults.shift();
    if (fault?.kind === '500') return answer(500, { ok: false, error: 'internal_error' });
    if (fault?.kind === 'ratelimited') return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSeconds) });
    const params = parseParams(raw, String(req.headers['content-type'] ?? ''));
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || String(params.token ?? '');
    if (token !== LOCAL_SLACK_TOKEN) return answer(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    if (method === 'auth.test')
      return answer(200, {
        ok: true,
        url: 'https://tend-local.slack.com/',
        team: 'Tend (local)',
        user: 'tend',
        team_id: 'T0LOCAL',
        user_id: 'U0TEND',
        bot_id: 'B0TEND',
      });
    if (method !== 'chat.postMessage') return answer(200, { ok: false, error: 'unknown_method' });
    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (!channel) return answer(200, { ok: false, error: 'channel_not_found' });
    const text = typeof params.text === 'string' ? params.text : '';
    const blocks = typeof params.blocks === 'string' ? (JSON.parse(params.blocks) as unknown) : params.blocks;
    if (!text && !blocks) return answer(200, { ok: false, error: 'no_text' });
    const now = this.now();
    const ts = `${Math.floor(now.getTime() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    // A member id (U..., W...) opens a direct message: Slack answers with the DM's channel id.
    const answeredChannel = /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
    const record: SlackRecord = { channel, text, ...(blocks ? { blocks } : {}), ts, at: now.toISOString() };
    this.messages.push(record);
    return answer(200, { ok: true, channel: answeredChannel, ts, message: { type: 'message', text, ts, bot_id: 'B0TEND' } });
  }
}

/** The SDK posts form-encoded bodies (objects as JSON strings); a JSON body is taken too. */
function parseParams(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}
