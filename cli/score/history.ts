import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoricScore } from '../../functions/core/score/backtest.ts';

/**
 * Every stored daily score (`SCORE#<day>` items). A scan, read once for an offline analysis;
 * segments of the table are read in parallel so a large table is read at its provisioned pace.
 */
export async function readHistory(client: DynamoDBClient, table: string, onProgress?: (items: number) => void): Promise<HistoricScore[]> {
  const db = DynamoDBDocumentClient.from(client);
  const out: HistoricScore[] = [];
  const segments = 4;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: table,
            Segment: segment,
            TotalSegments: segments,
            FilterExpression: 'begins_with(sk, :h)',
            ExpressionAttributeValues: { ':h': 'SCORE#' },
            ExclusiveStartKey: start,
          }),
        );
        for (const i of page.Items ?? []) {
          out.push({ accountId: String(i.accountId), day: String(i.day ?? String(i.sk).slice(6)), segment: String(i.segment ?? 'tech-touch'), signals: (i.signals ?? {}) as HistoricScore['signals'], score: (i.score as number | null) ?? null, tier: (i.tier as string | null) ?? null });
        }
        onProgress?.(out.length);
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  return out;
}
