import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const start = Date.parse('2026-05-04T00:00:00Z');

describe('rescoring after new data', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date(start), paused: true });
  });
  afterAll(() => rt?.stop());

  const rescore = () => rt.scheduler.fire(rt.scheduler.schedules.find((s) => s.expression.startsWith('rate'))!);
  const event = (id: string, userId: string) => ({ id, accountId: 'fresh', userId, name: 'used', timestamp: new Date(start + 3_600_000).toISOString(), properties: { feature: 'reports' } });

  it('rescores an account once after a burst of events, writes only when the score moved, and clears its mark', async () => {
    await rt.request('POST', '/v1/accounts', { id: 'fresh', name: 'Fresh', seats: 4, arr: 5000, startDate: new Date(start).toISOString(), primaryContact: { email: 'a@fresh.example' } });
    for (let i = 0; i < 5; i++) await rt.request('POST', '/v1/events', { events: [event(`e${i}`, 'u1')] });
    expect((await rt.items('fresh', 'DIRTY')).length).toBe(1);

    await rescore();
    const first = await rt.items('fresh', 'SCORE');
    expect(first.find((i) => i.sk === 'SCORE')?.score).toEqual(expect.any(Number));
    expect(await rt.items('fresh', 'DIRTY')).toEqual([]);

    // A replayed event changes no data and no score: the account is rescored but nothing is written.
    await rt.request('POST', '/v1/events', { events: [event('e0', 'u1')] });
    const before = (await rt.items('fresh', 'SCORE')).find((i) => i.sk === 'SCORE');
    await rescore();
    expect((await rt.items('fresh', 'SCORE')).find((i) => i.sk === 'SCORE')).toEqual(before);

    // A second user moves the score: it is written.
    await rt.request('POST', '/v1/events', { events: [event('e9', 'u2')] });
    await rescore();
    const after = (await rt.items('fresh', 'SCORE')).find((i) => i.sk === 'SCORE');
    expect(after?.score).not.toBe(before?.score);
    // Nothing marked: a run finds nothing to do.
    await rescore();
    expect((await rt.items('fresh', 'SCORE')).find((i) => i.sk === 'SCORE')).toEqual(after);
  });
});
