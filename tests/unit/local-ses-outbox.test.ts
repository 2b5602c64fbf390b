import { clearStore, saveEmail, type Email } from 'aws-ses-v2-local/dist/store.js';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSes, OUTBOX_KEEP } from '../../local/ses.ts';

const email = (i: number) => ({ messageId: `m-${i}`, subject: `email ${i}`, destination: { to: ['a@example.com'] } }) as unknown as Email;

describe("LocalSes's outbox is bounded by a count; sentTotal and sentSince read on across what was dropped", () => {
  afterEach(() => clearStore());

  it.each([10, OUTBOX_KEEP, 2 * OUTBOX_KEEP + 3, 5 * OUTBOX_KEEP])('%i emails stored: the outbox keeps the newest, the total counts them all', (n) => {
    const ses = new LocalSes(); // the store is the package's (start() clears it); emails are saved into it directly here
    clearStore();
    let cursor = 0;
    let read = 0;
    for (let i = 0; i < n; i++) {
      saveEmail(email(i));
      if (i % 997 === 0) {
        read += ses.sentSince(cursor).length;
        cursor = ses.sentTotal;
      }
    }
    read += ses.sentSince(cursor).length;
    const outbox = ses.outbox();
    expect(ses.sentTotal).toBe(n);
    expect(read).toBe(n);
    expect(outbox.length).toBeLessThan(2 * OUTBOX_KEEP);
    expect(outbox.length).toBeGreaterThanOrEqual(Math.min(n, OUTBOX_KEEP));
    expect(outbox.at(-1)!.messageId).toBe(`m-${n - 1}`);
  });
});
