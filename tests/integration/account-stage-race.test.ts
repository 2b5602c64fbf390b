import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccount, type AccountDeps } from '../../functions/core/accounts.ts';
import type { AccountRepo } from '../../functions/core/ports.ts';
import { accountsWithListEntries, listEntryWriter } from '../../functions/data/account-list-entries.ts';
import { accountRepo } from '../../functions/data/accounts.ts';
import { keys } from '../../functions/data/keys.ts';
import { revenueRepo } from '../../functions/data/revenue.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * A play sets an account's stage while an upsert of the same account is between its read and its
 * write (on dynalite, with the list entries kept as deps.ts keeps them). The upsert must not write
 * back the stage it read: into the list entries (the Accounts page's `stage=` filter) or anywhere.
 */
describe('a stage set between an upsert read and its write', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-04-01T09:00:00Z'), paused: true });
  }, 60_000);
  afterAll(() => rt?.stop());

  const listed = () => accountsWithListEntries(accountRepo(rt.db, rt.tableName), listEntryWriter(rt.db, rt.tableName));
  const deps = (accounts: AccountRepo): AccountDeps => ({
    clock: { now: () => new Date(rt.clock.nowMs()) },
    accounts,
    revenue: revenueRepo(rt.db, rt.tableName),
    events: { publish: async () => undefined },
    segments: { highTouchArr: 50_000, mediumTouchArr: 10_000 },
    csms: [{ id: 'sam', name: 'Sam', email: 'sam@acme.example' }],
  });

  it('refuses a write conditional on the revision read before the stage moved', async () => {
    const accounts = listed();
    await upsertAccount(deps(accounts), { id: 'stage-a', name: 'Stage A', arr: 12_000, primaryContact: { email: 'a@stage.example' } });
    const read = await accounts.read('stage-a');
    await accounts.setStage('stage-a', 'adoption', new Date(rt.clock.nowMs()));
    expect(await accounts.write('stage-a', { set: { owner: 'sam' }, remove: [] }, read!.rev)).toBe(false);
  });

  it('an upsert racing a play ends with the play stage on the account and in every list entry', async () => {
    const accounts = listed();
    await upsertAccount(deps(accounts), { id: 'stage-b', name: 'Stage B', arr: 12_000, primaryContact: { email: 'b@stage.example' } });
    let raced = false;
    const racing: AccountRepo = {
      ...accounts,
      async read(id) {
        const read = await accounts.read(id);
        // The play's step lands once, just after the upsert's first read.
        if (!raced) {
          raced = true;
          await accounts.setStage(id, 'retention', new Date(rt.clock.nowMs()));
        }
        return read;
      },
    };
    const out = await upsertAccount(deps(racing), { id: 'stage-b', name: 'Stage B', arr: 12_000, owner: 'sam', primaryContact: { email: 'b@stage.example' } });
    expect(out.outcome).toBe('changed');
    expect(out.account).toMatchObject({ owner: 'sam', stage: 'retention' });
    // Three entries of their own and the score order's, on the score item.
    const entries = [...(await rt.items('stage-b', 'LIST#')), ...(await rt.items('stage-b', keys.score('stage-b').sk))];
    expect(entries).toHaveLength(4);
    for (const e of entries) expect(e).toMatchObject({ own: 'sam', stg: 'retention' });
  });
});
