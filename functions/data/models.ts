import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChurnModel } from '../core/churn/fit.ts';
import { keys } from './keys.ts';
import { stripKeys } from './items.ts';

/** The churn model fitted by `tend model fit`, stored in the table so every scorer reads the same one. */
export function churnModelRepo(db: DynamoDBDocumentClient, table: string) {
  return {
    async get(): Promise<ChurnModel | undefined> {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.churnModel }));
      return out.Item ? (stripKeys(out.Item) as unknown as ChurnModel) : undefined;
    },
    async put(model: ChurnModel): Promise<void> {
      await db.send(new PutCommand({ TableName: table, Item: { ...keys.churnModel, ...model } }));
    },
  };
}
