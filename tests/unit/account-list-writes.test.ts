import { describe, expect, it } from 'vitest';
import type { AccountRepo } from '../../functions/core/ports.ts';
import type { Account } from '../../functions/core/types.ts';
import { accountsWithListEntries, type ListEntryWriter } from '../../functions/data/account-list-entries.ts';

const stored: Account = { id: 'acme', name: 'Acme', segment: 'tech-touch', startDate: '2026-01-01T00:00:00.000Z', arr: 1000, seats: 5 } as Account;

/** A repository holding one account at revision 3, and a writer that records what it was asked. */
function setup() {
  const calls = { reads: 0, changed: [] as { account: Account; rev: number }[] };
  const repo = {
    read: async () => (calls.reads++, { account: stored, rev: 3 }),
    write: async () => true,
    setStage: async () => undefined,
  } as unknown as AccountRepo;
  const writer = { accountChanged: async (account: Account, rev: number) => void calls.changed.push({ account, rev }) } as unknown as ListEntryWriter;
  return { calls, accounts: accountsWithListEntries(repo, writer) };
}

describe('account writes keep the list entries', () => {
  it.each([
    ['an upsert that sends every field but changes only seats', { name: 'Acme', arr: 1000, seats: 9 }, [], 0],
    ['an ARR change', { name: 'Acme', arr: 2000 }, [], 1],
    ['a new owner', { owner: 'alex' }, [], 1],
    ['a removed listed field', {}, ['arr'], 1],
    ['a removed field the entries do not hold', {}, ['segmentSet'], 0],
  ])('%s', async (_, set, remove, times) => {
    const { calls, accounts } = setup();
    await accounts.read('acme');
    await accounts.write('acme', { set, remove }, 3);
    expect(calls.changed).toHaveLength(times);
    // No second read: the account before the write is the one read for it.
    expect(calls.reads).toBe(1);
    if (times) expect(calls.changed[0]!.rev).toBe(4);
  });

  it('writes a new account whole from its write, and reads again only a write whose read it did not see', async () => {
    const { calls, accounts } = setup();
    await accounts.write('new', { set: { name: 'New', segment: 'tech-touch', startDate: '2026-02-01T00:00:00.000Z' }, remove: [] }, undefined);
    expect(calls.changed[0]).toMatchObject({ account: { id: 'new', name: 'New' }, rev: 1 });
    await accounts.write('acme', { set: { name: 'Renamed' }, remove: [] }, 3);
    expect(calls.reads).toBe(1);
    expect(calls.changed[1]).toMatchObject({ account: stored, rev: 3 });
    // A write of no listed field, unseen: nothing read, nothing written.
    await accounts.write('acme', { set: { seats: 1 }, remove: [] }, 4);
    expect(calls.reads).toBe(1);
    expect(calls.changed).toHaveLength(2);
  });

  it('refreshes the entries after a play sets the stage', async () => {
    const { calls, accounts } = setup();
    await accounts.setStage('acme', 'adoption', new Date());
    expect(calls.changed).toHaveLength(1);
  });

  it('a failed entry update after the account write landed: the write stands and the failure goes to onError (thrown without one)', async () => {
    const repo = { read: async () => ({ account: stored, rev: 3 }), write: async () => true, setStage: async () => undefined } as unknown as AccountRepo;
    const writer = {
      accountChanged: async () => {
        throw new Error('throttled');
      },
    } as unknown as ListEntryWriter;
    const failures: string[] = [];
    const guarded = accountsWithListEntries(repo, writer, (id, err) => failures.push(`${id}: ${(err as Error).message}`));
    await guarded.read('acme');
    expect(await guarded.write('acme', { set: { arr: 5000 }, remove: [] }, 3)).toBe(true);
    await guarded.setStage('acme', 'adoption', new Date());
    expect(failures).toEqual(['acme: throttled', 'acme: throttled']);
    const bare = accountsWithListEntries(repo, writer);
    await bare.read('acme');
    await expect(bare.write('acme', { set: { arr: 5000 }, remove: [] }, 3)).rejects.toThrow('throttled');
  });
});
