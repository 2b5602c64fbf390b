import { describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { churnModelRepo, CHURN_MODEL_CACHE_MS } from '../../functions/data/models.ts';

/** A table holding one model item, counting the requests it is sent. */
function table() {
  const state = { item: { pk: 'MODEL', sk: 'CHURN', auc: 0.7 } as Record<string, unknown> | undefined, gets: 0, fail: false };
  const db = {
    send: async (command: { constructor: { name: string }; input: { Item?: Record<string, unknown> } }) => {
      if (command.constructor.name === 'PutCommand') return void (state.item = command.input.Item);
      state.gets++;
      if (state.fail) throw new Error('throttled');
      return { Item: state.item };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, state };
}

describe('the churn model, kept per container', () => {
  it('is read once for every scoring invocation within the cache time, and again after it', async () => {
    const { db, state } = table();
    let now = 0;
    const repo = churnModelRepo(db, 't', { now: () => now });
    await Promise.all([repo.get(), repo.get()]);
    for (let i = 0; i < 10; i++) expect(await repo.get()).toMatchObject({ auc: 0.7 });
    expect(state.gets).toBe(1);
    // A model fitted meanwhile (elsewhere: another process's `tend model fit`) applies once the cache time has passed.
    state.item = { pk: 'MODEL', sk: 'CHURN', auc: 0.9 };
    now = CHURN_MODEL_CACHE_MS - 1;
    expect(await repo.get()).toMatchObject({ auc: 0.7 });
    now = CHURN_MODEL_CACHE_MS;
    expect(await repo.get()).toMatchObject({ auc: 0.9 });
    expect(state.gets).toBe(2);
  });

  it('keeps no model yet as such, applies its own put at once, and keeps no failed read', async () => {
    const { db, state } = table();
    state.item = undefined;
    const repo = churnModelRepo(db, 't', { now: () => 0 });
    expect(await repo.get()).toBeUndefined();
    expect(await repo.get()).toBeUndefined();
    expect(state.gets).toBe(1);
    await repo.put({ auc: 0.8 } as never);
    expect(await repo.get()).toMatchObject({ auc: 0.8 });

    const failing = churnModelRepo(db, 't', { now: () => 0 });
    state.fail = true;
    await expect(failing.get()).rejects.toThrow('throttled');
    state.fail = false;
    expect(await failing.get()).toMatchObject({ auc: 0.8 });
  });
});
