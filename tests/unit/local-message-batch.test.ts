import { describe, expect, it } from 'vitest';
import { messageBatch } from '../../local/message-batch.ts';

describe('messageBatch', () => {
  it('sends what is queued before pending microtasks run as one batch, in order, and later messages apart', async () => {
    const sent: number[][] = [];
    const post = messageBatch<number>((batch) => sent.push(batch));
    // Two chains of microtasks in lockstep, as concurrent SDK calls reach the handler.
    await Promise.all([Promise.resolve().then(() => post(1)), Promise.resolve().then(() => post(2))]);
    post(3);
    post(4);
    expect(sent).toEqual([[1, 2]]);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('sends nothing when nothing was queued', async () => {
    const sent: unknown[][] = [];
    messageBatch((batch) => sent.push(batch));
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([]);
  });
});
