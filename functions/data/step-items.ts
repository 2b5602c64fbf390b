import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunRef } from '../core/ports.ts';
import type { RunRecord } from '../core/types.ts';
import type { StepItems } from '../core/plays/snapshot.ts';
import { accountFromItem } from './account-item.ts';
import { stripKeys } from './items.ts';
import { keys } from './keys.ts';
import { isScored, scoreFactsOf } from './scores.ts';
import { batchGetItems } from './batch.ts';

/**
 * A play step's run, account and score in ONE BatchGetItem (three items of the account's
 * partition), strongly consistent as the account read always was: one request where a step made
 * three (the run's GetItem, then the account's and the score's). A run's first task reads the
 * account and the play's live-run lock the same way (`forBegin`).
 */
export function stepItems(db: DynamoDBDocumentClient, table: string): StepItems {
  /** Items of one account's partition by sort key, strongly consistent. */
  const read = async (wanted: Record<string, unknown>[]) => {
    const found = new Map<string, Record<string, unknown>>();
    for (const item of await batchGetItems(db, table, wanted, { consistent: true })) found.set(String(item.sk), item);
    return found;
  };
  return {
    async forBegin(accountId, play) {
      const wanted = { account: keys.account(accountId), lock: keys.liveRun(accountId, play) };
      const found = await read(Object.values(wanted));
      const account = found.get(wanted.account.sk);
      const lock = found.get(wanted.lock.sk);
      return {
        account: account ? accountFromItem(account) : undefined,
        lock: lock ? { executionName: String(lock.executionName), cycle: String(lock.cycle) } : undefined,
      };
    },
    async get(ref: RunRef) {
      const wanted = { run: keys.run(ref.accountId, ref.play, ref.cycle), account: keys.account(ref.accountId), score: keys.score(ref.accountId) };
      const found = await read(Object.values(wanted));
      const run = found.get(wanted.run.sk);
      const account = found.get(wanted.account.sk);
      const score = found.get(wanted.score.sk);
      return {
        run: run ? (stripKeys(run) as unknown as RunRecord) : undefined,
        account: account ? accountFromItem(account) : undefined,
        score: isScored(score) ? scoreFactsOf(score, ref.accountId) : undefined,
      };
    },
  };
}
