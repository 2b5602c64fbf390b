import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/data/keys.ts';
import { renewalIndex } from '../../functions/data/renewal-index.ts';

/** A BatchGet answered from the stored contribution items, the keys it leaves unprocessed retried. */
function fakeContributions(items: Record<string, Record<string, unknown>>, unprocessedOnce: string[]) {
  const asked: number[] = [];
  const left = new Set(unprocessedOnce);
  const db = {
    send: async (command: { input: { RequestItems: Record<string, { Keys: { pk: string }[] }> } }) => {
      const [[table, { Keys }]] = Object.entries(command.input.RequestItems) as [[string, { Keys: { pk: string }[] }]];
      asked.push(Keys.length);
      const later = Keys.filter((k) => left.delete(k.pk));
      return {
        Responses: { [table]: Keys.filter((k) => !later.includes(k) && items[k.pk]).map((k) => items[k.pk]!) },
        ...(later.length ? { UnprocessedKeys: { [table]: { Keys: later } } } : {}),
      };
    },
  };
  return { db: Object.assign(Object.create(DynamoDBDocumentClient.prototype) as DynamoDBDocumentClient, db), asked };
}

describe('the book index by account (the review of a failed scoring)', () => {
  it("reads each account's entry from its stored contribution, 100 keys a request, unprocessed keys again; none when not in the book", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `a${i}`);
    const items: Record<string, Record<string, unknown>> = Object.fromEntries(
      ids
        .filter((id) => id !== 'a7')
        .map((id) => [
          keys.metricContribution(id).pk,
          { contribution: { renewal: { accountId: id, segment: 'tech-touch', arr: 100, band: 'red', name: id, owner: 'alex', renewalDate: '2026-06-01' } } },
        ]),
    );
    // A churned account's contribution has no entry.
    items[keys.metricContribution('a9').pk] = { contribution: {} };
    const { db, asked } = fakeContributions(items, [keys.metricContribution('a3').pk]);
    const found = await renewalIndex(db, 't').entriesOf(ids);
    expect(asked).toEqual([100, 1, 50]);
    expect(found.size).toBe(148);
    expect(found.has('a7') || found.has('a9')).toBe(false);
    expect(found.get('a3')).toEqual({ accountId: 'a3', segment: 'tech-touch', arr: 100, band: 'red', name: 'a3', owner: 'alex', renewalDate: '2026-06-01' });
  });
});
