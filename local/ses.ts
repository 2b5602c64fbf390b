import * as sesModule from 'aws-ses-v2-local';
import { clearStore, getStoreReadonly, type Email } from 'aws-ses-v2-local/dist/store.js';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** SES v2 on aws-ses-v2-local: the handlers send through the SDK as on AWS; the outbox keeps every message. */
export class LocalSes {
  private server?: Server;
  endpoint = '';
  private throttled = 0;

  async start(port = 0) {
    clearStore();
    // A CommonJS module: its default export arrives one level deeper depending on the loader.
    const m = sesModule as unknown as { default: typeof sesModule.default | { default: typeof sesModule.default } };
    const start = typeof m.default === 'function' ? m.default : m.default.default;
    this.server = await start({ host: '127.0.0.1', port });
    if (!this.server.listening) await new Promise((resolve) => this.server!.once('listening', resolve));
    // In front of the stand-in: answer SendEmail as SES does when the account's send rate is exceeded.
    const handlers = this.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    this.server.removeAllListeners('request');
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.throttled > 0 && req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
        this.throttled--;
        req.resume();
        res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
        return void res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
      }
      for (const handle of handlers) handle.call(this.server, req, res);
    });
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `requests` SendEmail calls are refused with 429 TooManyRequestsException (SES's throttling). */
  throttleNext(requests: number) {
    this.throttled = requests;
  }

  /** Every email sent so far, oldest first (headers as sent, Simple content). */
  outbox(): readonly Email[] {
    return getStoreReadonly().emails;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
