import { describe, expect, it } from 'vitest';
import { ACCOUNT_REVISION, accountFromItem, LAST_POINT } from '../../functions/data/account-item.ts';

describe('accountFromItem: the account item as the domain sees it, whichever read found it', () => {
  const item = {
    pk: 'ACCOUNT#acme',
    sk: 'PROFILE',
    gsi1pk: 'ACCOUNTS#3',
    gsi1sk: 'acme',
    id: 'acme',
    name: 'Acme',
    [ACCOUNT_REVISION]: 7,
    [LAST_POINT]: { at: '2026-01-01T00:00:00Z', arr: 1000 },
    milestone_firstValue: '2026-02-01T00:00:00.000Z',
  };

  it.each([
    ['the storage keys', ['pk', 'sk', 'gsi1pk', 'gsi1sk']],
    ["the upsert's revision", [ACCOUNT_REVISION]],
    ['the last revenue point', [LAST_POINT]],
  ])('leaves out %s', (_, attributes) => {
    const account = accountFromItem(item) as unknown as Record<string, unknown>;
    for (const a of attributes) expect(account, a).not.toHaveProperty(a);
  });

  it('folds milestone attributes into milestones and keeps the fields', () => {
    expect(accountFromItem(item)).toEqual({ id: 'acme', name: 'Acme', milestones: { firstValue: '2026-02-01T00:00:00.000Z' } });
  });
});
