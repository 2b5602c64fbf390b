import * as sesModule from 'aws-ses-v2-local';
import { clearStore, getStoreReadonly, type Email } from 'aws-ses-v2-local/dist/store.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTag } from '../functions/core/email/policy.ts';

/**
 * What the stand-in can be told to do to the next SendEmail calls, as SES and the network do:
 * refuse them (`throttle`, `daily-quota`), store the email and then fail to answer
 * (`error-after-store`: a 500; `drop-after-store`: the connection is cut; `hang-after-store`: no
 * answer until the stand-in stops, a crash's view), or take the request and never store it
 * (`error-before-store`: a 500; `hang-before-store`: no answer). Closing the port is `closePort()`.
 */
export type SesFault = 'throttle' | 'daily-quota' | 'error-after-store' | 'drop-after-store' | 'hang-after-store' | 'error-before-store' | 'hang-before-store';

/** An email of the outbox as `GET /local/outbox` shows it: sent at the virtual clock's time, with what its tags say. */
export type SentEmail = Omit<Email, 'at'> & { at: string; accountId?: string; play?: string; step?: string; category?: string };

/** Resolves when `port` can be listened on (then frees it), rejects with the listen error (EADDRINUSE) when not. */
async function portFree(port: number) {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise((resolve) => probe.close(resolve));
}

/** The address inside `Name <address>`, lower-cased. */
const addressOf = (to: string) => (to.match(/<([^>]+)>/)?.[1] ?? to).trim().toLowerCase();

/** An SES sending event as EventBridge delivers it from a configuration set (`source: aws.ses`). */
export type SesEventSink = (detailType: string, detail: Record<string, unknown>) => void;

interface SendEmailBody {
  ConfigurationSetName?: string;
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  EmailTags?: { Name: string; Value: string }[];
}

/** Emails the outbox keeps at least (it is trimmed to these once it holds twice as many). */
export const OUTBOX_KEEP = 10_000;

/**
 * SES v2 on aws-ses-v2-local: the handlers send through the SDK as on AWS; the outbox keeps every
 * message. Like SES with a configuration set's event destination, each stored email produces a
 * Send and a Delivery event (a Bounce for bounce@simulator.amazonses.com, a Complaint after the
 * Delivery for complaint@simulator.amazonses.com, as SES's mailbox simulator does), with the
 * message's tags, into `onEvent` (the runtime's local EventBridge).
 */
export class LocalSes {
  private server?: Server;
  endpoint = '';
  private port = 0;
  private readonly faults: SesFault[] = [];
  private readonly hung = new Set<ServerResponse>();
  onEvent?: SesEventSink;
  /** The virtual clock's time, for the events' timestamps. */
  now: () => Date = () => new Date();
  /** What each stored message's request said that the store forgets: the virtual time and the tags. */
  private readonly sentMeta = new Map<string, { at: string; tags: Record<string, string> }>();
  /** Emails dropped from the front of the outbox (see outbox()). */
  private dropped = 0;

  async start(port = 0) {
    clearStore();
    this.dropped = 0;
    // The package's start never settles when its port is taken: find that out first, as an EADDRINUSE error.
    if (port) await portFree(port);
    // A CommonJS module: its default export arrives one level deeper depending on the loader.
    const m = sesModule as unknown as { default: typeof sesModule.default | { default: typeof sesModule.default } };
    const start = typeof m.default === 'function' ? m.default : m.default.default;
    this.server = await start({ host: '127.0.0.1', port });
    if (!this.server.listening) await new Promise((resolve) => this.server!.once('listening', resolve));
    const handlers = this.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    this.server.removeAllListeners('request');
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const handle = () => {
        for (const h of handlers) h.call(this.server, req, res);
      };
      if (req.method !== 'POST' || !req.url?.startsWith('/v2/email/outbound-emails')) return handle();
      this.sendEmail(req, res, this.faults.shift(), handle);
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.endpoint = `http://127.0.0.1:${this.port}`;
  }

  /** The next `count` SendEmail calls meet `fault` (queued after faults already set). */
  faultNext(fault: SesFault, count = 1) {
    for (let i = 0; i < count; i++) this.faults.push(fault);
  }

  /** The next `requests` SendEmail calls are refused with 429 TooManyRequestsException (SES's throttling). */
  throttleNext(requests: number) {
    this.faultNext('throttle', requests);
  }

  /** Faults not yet met. */
  get pendingFaults(): number {
    return this.faults.length;
  }

  /** Nothing listens on the port any more: connections are refused (open ones are cut) until `openPort`. */
  async closePort() {
    const server = this.server!;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async openPort() {
    await new Promise<void>((resolve, reject) => this.server!.listen(this.port, '127.0.0.1', resolve).once('error', reject));
  }

  private sendEmail(req: IncomingMessage, res: ServerResponse, fault: SesFault | undefined, handle: () => void) {
    if (fault === 'throttle' || fault === 'daily-quota') {
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
      return void res.end(JSON.stringify({ message: fault === 'throttle' ? 'Maximum sending rate exceeded.' : 'Daily message quota exceeded.' }));
    }
    if (fault === 'error-before-store') {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailure' });
      return void res.end(JSON.stringify({ message: 'Internal Failure' }));
    }
    if (fault === 'hang-before-store') {
      req.resume();
      return void this.hung.add(res);
    }
    // The package answers with res.send -> res.end; what it stored is known there (express parsed the body into req.body).
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      const chunk = args[0];
      const messageId = res.statusCode === 200 && chunk ? (JSON.parse(String(chunk)) as { MessageId?: string }).MessageId : undefined;
      if (!messageId) return end(...args);
      const body = (req as IncomingMessage & { body?: SendEmailBody }).body ?? {};
      this.sentMeta.set(messageId, { at: this.now().toISOString(), tags: Object.fromEntries((body.EmailTags ?? []).map((t) => [t.Name, t.Value])) });
      this.emitEvents(messageId, body);
      this.outbox(); // trims what a long run has sent
      if (fault === 'error-after-store') {
        const body = JSON.stringify({ message: 'Internal Failure' });
        res.statusCode = 500;
        res.setHeader('x-amzn-errortype', 'InternalFailure');
        res.setHeader('content-length', Buffer.byteLength(body));
        return end(body);
      }
      if (fault === 'drop-after-store') {
        res.socket?.destroy();
        return res;
      }
      if (fault === 'hang-after-store') {
        this.hung.add(res);
        return res;
      }
      return end(...args);
    }) as typeof res.end;
    handle();
  }

  private emitEvents(messageId: string, body: SendEmailBody) {
    if (!this.onEvent) return;
    const timestamp = this.now().toISOString();
    const destination = body.Destination?.ToAddresses ?? [];
    const tags: Record<string, string[]> = {};
    for (const t of body.EmailTags ?? []) tags[t.Name] = [t.Value];
    if (body.ConfigurationSetName) tags['ses:configuration-set'] = [body.ConfigurationSetName];
    const mail = { timestamp, source: body.FromEmailAddress, messageId, destination, tags };
    const to = destination.map(addressOf);
    this.onEvent('Email Sent', { eventType: 'Send', mail, send: {} });
    if (to.includes('bounce@simulator.amazonses.com')) {
      this.onEvent('Email Bounced', {
        eventType: 'Bounce',
        mail,
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: 'bounce@simulator.amazonses.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
          timestamp,
        },
      });
      return;
    }
    this.onEvent('Email Delivered', { eventType: 'Delivery', mail, delivery: { timestamp, recipients: to, smtpResponse: '250 2.6.0 Message received' } });
    if (to.includes('complaint@simulator.amazonses.com'))
      this.onEvent('Email Complaint Received', {
        eventType: 'Complaint',
        mail,
        complaint: { complainedRecipients: [{ emailAddress: 'complaint@simulator.amazonses.com' }], timestamp },
      });
  }

  /**
   * The emails sent so far, oldest first (headers as sent, Simple content): the newest OUTBOX_KEEP
   * at least (older ones are dropped, with what `sent` adds to them, so a simulated year does not
   * keep every email in memory). `sentTotal` counts them all; `sentSince` reads on from a count.
   */
  outbox(): readonly Email[] {
    const store = getStoreReadonly();
    if (store.emails.length >= 2 * OUTBOX_KEEP) {
      const dropped = store.emails.splice(0, store.emails.length - OUTBOX_KEEP);
      this.dropped += dropped.length;
      for (const e of dropped) this.sentMeta.delete(e.messageId);
    }
    return store.emails;
  }

  /** Emails stored since the start, dropped ones included. */
  get sentTotal(): number {
    return this.dropped + getStoreReadonly().emails.length;
  }

  /** The emails stored after the first `count` (those the outbox still holds). */
  sentSince(count: number): readonly Email[] {
    const outbox = this.outbox();
    return outbox.slice(Math.max(0, count - this.dropped));
  }

  /** The outbox at the virtual clock's times, with the account, play and step each email was for; `to` and `account` filter it. */
  sent(filter: { to?: string; account?: string } = {}): SentEmail[] {
    const to = filter.to ? addressOf(filter.to) : undefined;
    return this.outbox()
      .map((email) => {
        const meta = this.sentMeta.get(email.messageId);
        const tag = (name: string) => (meta?.tags[name] !== undefined ? decodeTag(meta.tags[name]) : undefined);
        return {
          ...email,
          at: meta?.at ?? new Date(email.at).toISOString(),
          accountId: tag('account'),
          play: tag('play'),
          step: tag('step'),
          category: meta?.tags.category,
        };
      })
      .filter((e) => (!to || e.destination.to.some((d) => addressOf(d) === to)) && (!filter.account || e.accountId === filter.account));
  }

  async stop() {
    // Requests left hanging end with the process: their callers see the connection cut.
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
    const server = this.server;
    if (!server?.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}
