import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TaskRepo } from '../core/ports.ts';
import type { CsmTask } from '../core/types.ts';
import { keys } from './keys.ts';
import { putIfAbsent, stripKeys } from './items.ts';

/** CSM tasks: on the account's partition, and in gsi1 by owner so a CSM lists what is due. */
export function taskRepo(db: DynamoDBDocumentClient, table: string): TaskRepo {
  return {
    create: (task) => putIfAbsent(db, table, { ...keys.task(task.accountId, task.id), ...keys.taskIndex(task.owner, task.dueAt, task.id), ...task }),
    async forAccount(accountId) {
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':p': keys.taskPrefix },
        }),
      );
      return (out.Items ?? []).map((i) => stripKeys(i) as unknown as CsmTask).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    },
  };
}
