import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunRepo } from '../core/ports.ts';
import type { RunRecord } from '../core/types.ts';
import { keys } from './keys.ts';
import { stripKeys } from './items.ts';

/** One run record per account and play: where the run is, what it did and when. */
export function runRepo(db: DynamoDBDocumentClient, table: string): RunRepo {
  return {
    async get(accountId, play) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.run(accountId, play) }));
      return out.Item ? (stripKeys(out.Item) as unknown as RunRecord) : undefined;
    },
    async start(run) {
      // A redrive re-runs the first task: keep the steps already done.
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.run(run.accountId, run.play),
          UpdateExpression: 'SET accountId = :a, play = :p, executionName = :e, schedule = :s, #status = :running, startedAt = if_not_exists(startedAt, :t), steps = if_not_exists(steps, :empty)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':a': run.accountId, ':p': run.play, ':e': run.executionName, ':s': run.schedule, ':running': 'running', ':t': run.startedAt, ':empty': {} },
        }),
      );
    },
    async stepDone(accountId, play, { id, ...step }) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.run(accountId, play),
          UpdateExpression: 'SET steps.#id = :step, lastStep = :id',
          ExpressionAttributeNames: { '#id': id },
          ExpressionAttributeValues: { ':step': step, ':id': id },
        }),
      );
    },
    async finish(accountId, play, status, at) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.run(accountId, play),
          UpdateExpression: 'SET #status = :s, finishedAt = :t',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s': status, ':t': at.toISOString() },
        }),
      );
    },
  };
}
