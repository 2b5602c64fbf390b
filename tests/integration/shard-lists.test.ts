import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SHARDS } from '../../functions/data/keys.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

const every = Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i);

/**
 * An operator's list of shards (a manual run of the daily scoring, the rescoring or the plays' sweep)
 * that names a shard twice does the shard once: BatchGetItem and BatchWriteItem refuse a key twice
 * in one request, so a repeated shard failed the whole batch on every retry.
 */
describe('shard lists with a shard named twice', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T05:00:00Z'), paused: true });
    for (const id of ['dup-a', 'dup-b', 'dup-c', 'dup-d']) {
      const res = await rt.request('POST', '/v1/accounts', {
        id,
        name: id,
        seats: 5,
        startDate: '2025-01-01T00:00:00Z',
        primaryContact: { email: `cs@${id}.example` },
      });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    }
    const events = ['dup-a', 'dup-b', 'dup-c', 'dup-d'].map((accountId, i) => ({
      id: `dup-e${i}`,
      accountId,
      userId: 'u1',
      name: 'used',
      timestamp: '2026-03-02T04:00:00Z',
      properties: { feature: 'reports' },
    }));
    expect((await rt.request('POST', '/v1/events', { events })).status).toBeLessThan(300);
  }, 120_000);
  afterAll(() => rt?.stop());

  it('the daily scoring scores each account once', async () => {
    const scoring = rt.lambdas.byLogicalId('ScoringHandler');
    const result = (await rt.lambdas.invoke(scoring.arn, { shards: [...every, ...every] })) as { scored: number; failed: number };
    expect(result).toMatchObject({ scored: 4, failed: 0 });
  });

  it('the rescoring rescores each marked account once', async () => {
    rt.clock.advanceTo(rt.clock.nowMs() + 2 * 3_600_000);
    const scoring = rt.lambdas.byLogicalId('ScoringHandler');
    const result = (await rt.lambdas.invoke(scoring.arn, { shards: [...every, ...every], dirty: true })) as { rescored: number };
    expect(result.rescored).toBe(4);
  });

  it("the plays' sweep sweeps each shard once", async () => {
    const starter = rt.lambdas.byLogicalId('PlaysStarter');
    const once = await rt.lambdas.invoke(starter.arn, { sweep: true, shards: every });
    const twice = await rt.lambdas.invoke(starter.arn, { sweep: true, shards: [...every, ...every] });
    expect(twice).toEqual(once);
  });
});
