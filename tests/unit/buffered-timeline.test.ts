import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../functions/core/timeline.ts';
import { bufferedTimeline } from '../../functions/data/timeline.ts';

/** A document client that records the items of each BatchWriteItem it is sent, and processes them all. */
function recordingClient() {
  const batches: Record<string, unknown>[][] = [];
  const db = {
    send: async (command: { input: { RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> } }) => {
      batches.push(Object.values(command.input.RequestItems).flatMap((requests) => requests.map((r) => r.PutRequest.Item)));
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, batches };
}

const entry = (i: number): TimelineEntry => ({ accountId: `a${i}`, at: '2026-03-02T06:00:00.000Z', kind: 'tier.changed', ref: `r${i}`, summary: `entry ${i}` });

describe('bufferedTimeline: a scoring run’s timeline entries', () => {
  it.each([
    { entries: 0, tally: false, batches: [] },
    { entries: 3, tally: false, batches: [3] },
    { entries: 3, tally: true, batches: [4] },
    { entries: 25, tally: true, batches: [25, 1] },
    { entries: 60, tally: true, batches: [25, 25, 11] },
  ])('$entries entries (tally at the flush: $tally) go out in batches of $batches', async ({ entries, tally, batches }) => {
    const c = recordingClient();
    const timeline = bufferedTimeline(c.db, 'table');
    for (let i = 0; i < entries; i++) await timeline.record([entry(i)]);
    await timeline.flush(tally ? [{ pk: 'HEALTHDAY#2026-03', sk: '2026-03-02#00', accounts: 3 }] : []);
    expect(c.batches.map((b) => b.length)).toEqual(batches);
    const written = c.batches.flat();
    expect(written.filter((i) => String(i.sk).startsWith('TL#'))).toHaveLength(entries);
    expect(written.some((i) => i.pk === 'HEALTHDAY#2026-03')).toBe(tally);
    // Nothing is left for a second flush.
    await timeline.flush();
    expect(c.batches.map((b) => b.length)).toEqual(batches);
  });

  it('writes nothing until a batch is full or the run flushes', async () => {
    const c = recordingClient();
    const timeline = bufferedTimeline(c.db, 'table');
    for (let i = 0; i < 24; i++) await timeline.record([entry(i)]);
    expect(c.batches).toEqual([]);
    await timeline.record([entry(24), entry(25)]);
    expect(c.batches.map((b) => b.length)).toEqual([25]);
  });
});
