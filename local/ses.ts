import * as sesModule from 'aws-ses-v2-local';
import { clearStore, getStoreReadonly, type Email } from 'aws-ses-v2-local/dist/store.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** SES v2 on aws-ses-v2-local: the handlers send through the SDK as on AWS; the outbox keeps every message. */
export class LocalSes {
  private server?: Server;
  endpoint = '';

  async start(port = 0) {
    clearStore();
    // A CommonJS module: its default export arrives one level deeper depending on the loader.
    const m = sesModule as unknown as { default: typeof sesModule.default | { default: typeof sesModule.default } };
    const start = typeof m.default === 'function' ? m.default : m.default.default;
    this.server = await start({ host: '127.0.0.1', port });
    if (!this.server.listening) await new Promise((resolve) => this.server!.once('listening', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every email sent so far, oldest first (headers as sent, Simple content). */
  outbox(): readonly Email[] {
    return getStoreReadonly().emails;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
