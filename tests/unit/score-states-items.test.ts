import { describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScoreState } from '../../functions/core/metrics/score-states.ts';
import { scoreStates } from '../../functions/data/score-states.ts';

/** A table of one partition in memory: puts (single or batched) kept by key, a Query answers them all. */
function fakeTable() {
  const items = new Map<string, Record<string, unknown>>();
  const keep = (i: Record<string, unknown>) => items.set(`${String(i.pk)}|${String(i.sk)}`, i);
  const db = {
    send: async (command: { input: Record<string, any> }) => {
      const input = command.input;
      if (input.RequestItems)
        for (const r of Object.values(input.RequestItems)[0] as { PutRequest: { Item: Record<string, unknown> } }[]) keep(r.PutRequest.Item);
      else if (input.Item) keep(input.Item);
      else return { Items: [...items.values()].sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1)) };
      return {};
    },
  };
  // The paginator asks for a document client: one whose `send` is the fake's.
  return { db: Object.assign(Object.create(DynamoDBDocumentClient.prototype) as DynamoDBDocumentClient, db), items };
}

const states: ScoreState[] = [
  {
    accountId: 'a',
    computedAt: '2026-05-11T07:00:00.000Z',
    score: 70,
    tier: 'Stable',
    band: 'yellow',
    firstDay: '2026-04-07',
    flags: { slipping: { kind: 'risk', since: '2026-05-10T07:00:00.000Z' } },
  },
  { accountId: 'b', computedAt: '2026-05-11T08:00:00.123Z', score: null, tier: null, band: null },
  {
    accountId: 'c',
    computedAt: '2026-05-11T09:00:00.000Z',
    score: 10,
    tier: 'Critical',
    clearedFlags: { quiet: { kind: 'risk', since: '2026-05-01', clearedAt: '2026-05-09T01:02:03.004Z' } },
  },
];

describe('score state items', () => {
  it('read back exactly as written, with the failures, the shard complete', async () => {
    const { db } = fakeTable();
    const repo = scoreStates(db, 't');
    await repo.put('2026-05-11', 3, states, ['z']);
    const day = await repo.read('2026-05-11');
    expect(day.states).toEqual(states);
    expect([...day.shards]).toEqual([3]);
    expect(day.failed).toEqual(['z']);
  });

  it('cut a large shard into chunks, and a retried write that shrank ignores its leftovers', async () => {
    const { db, items } = fakeTable();
    const repo = scoreStates(db, 't');
    const many = Array.from({ length: 6000 }, (_, i) => ({ ...states[0]!, accountId: `account-${i}` }));
    await repo.put('2026-05-11', 0, many, []);
    expect(items.size).toBeGreaterThan(1);
    await repo.put('2026-05-11', 0, states.slice(0, 1), []);
    const day = await repo.read('2026-05-11');
    expect(day.states).toEqual(states.slice(0, 1));
    expect(day.shards.has(0)).toBe(true);
  });

  it('read back the book kept with each state, and the book notes, exactly as written', async () => {
    const { db } = fakeTable();
    const repo = scoreStates(db, 't');
    const booked: ScoreState[] = [
      { ...states[0]!, book: { arr: 12_000, segment: 'high-touch', owner: 'alex' } },
      { ...states[1]!, book: { arr: 0, segment: 'tech-touch' } },
      { ...states[2]!, book: { arr: 5, segment: 'tech-touch' } },
    ];
    await repo.put('2026-05-11', 0, booked, []);
    const notes = [
      { accountId: 'a', at: '2026-05-11T10:00:00.000Z', book: { arr: 9_000, segment: 'high-touch' } },
      { accountId: 'b', at: '2026-05-11T11:30:00.000Z' },
    ];
    await repo.note(notes);
    const day = await repo.read('2026-05-11');
    expect(day.states).toEqual(booked);
    expect(day.notes).toEqual(notes);
  });

  it('read the scores alone when asked (the day before a review): account, time and score', async () => {
    const { db } = fakeTable();
    const repo = scoreStates(db, 't');
    await repo.put('2026-05-11', 0, states, []);
    const day = await repo.read('2026-05-11', { scoresOnly: true });
    expect(day.states).toEqual(states.map((s) => ({ accountId: s.accountId, computedAt: s.computedAt, score: s.score, tier: null })));
  });

  it('log a rescoring batch under the day each score was computed', async () => {
    const { db, items } = fakeTable();
    await scoreStates(db, 't').log([states[0]!, { ...states[1]!, computedAt: '2026-05-10T23:59:00.000Z' }]);
    expect([...items.values()].map((i) => i.pk).sort()).toEqual(['SCORESTATES#2026-05-10', 'SCORESTATES#2026-05-11']);
  });
});
