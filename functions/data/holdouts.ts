import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HoldoutEnd, HoldoutRepo } from '../core/ports.ts';
import { keys } from './keys.ts';
import { stripKeys, writeIf } from './items.ts';

/** The end of a play's holdout, when an admin ended it early (docs/holdouts.md): one item per play, the first end stands. */
export function holdoutRepo(db: DynamoDBDocumentClient, table: string): HoldoutRepo {
  const read = async (play: string) => {
    const out = await db.send(new GetCommand({ TableName: table, Key: keys.holdoutEnd(play) }));
    return out.Item ? (stripKeys(out.Item) as unknown as HoldoutEnd) : undefined;
  };
  return {
    ended: read,
    async end(record) {
      const ended = await writeIf(
        db,
        new PutCommand({ TableName: table, Item: { ...keys.holdoutEnd(record.play), ...record }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return { ended, record: ended ? record : ((await read(record.play)) ?? record) };
    },
  };
}
