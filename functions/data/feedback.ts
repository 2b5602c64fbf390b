import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedbackRepo } from '../core/ports.ts';
import type { Survey, Ticket } from '../core/types.ts';
import { keys } from './keys.ts';
import { stripKeys, ttlIn } from './items.ts';
import { surveyEntry, ticketEntry } from '../core/timeline.ts';
import { timelineItemOf } from './timeline.ts';
import { batchWrite } from './batch.ts';

const FEEDBACK_TTL_DAYS = 400;

const writeAll = (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) =>
  batchWrite(
    db,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

/** One item per survey answer (keyed by time and id) and per ticket (keyed by id: a re-post updates it). */
export function feedbackRepo(db: DynamoDBDocumentClient, table: string): FeedbackRepo {
  return {
    async putSurveys(surveys) {
      await writeAll(
        db,
        table,
        // Each answer's timeline entry rides in the same batch (docs/data-model.md#timeline).
        surveys.flatMap((s) => [
          { ...keys.survey(s.accountId, s.answeredAt, s.id), ...s, expiresAt: ttlIn(new Date(s.answeredAt), FEEDBACK_TTL_DAYS) },
          timelineItemOf(surveyEntry(s)),
        ]),
      );
    },
    async putTickets(tickets) {
      await writeAll(
        db,
        table,
        tickets.flatMap((t) => [
          { ...keys.ticket(t.accountId, t.id), ...t, expiresAt: ttlIn(new Date(t.openedAt), FEEDBACK_TTL_DAYS) },
          timelineItemOf(ticketEntry(t)),
        ]),
      );
    },
    async recent(accountId, fromDay) {
      const surveys: Survey[] = [];
      const tickets: Ticket[] = [];
      const query = {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.survey(accountId, '', '').pk,
          ':from': keys.surveysFrom(accountId, fromDay).sk,
          ':to': keys.ticketsEnd(accountId).sk,
        },
      };
      for await (const page of paginateQuery({ client: db }, query)) {
        for (const item of page.Items ?? []) {
          if (String(item.sk).startsWith(keys.surveyPrefix)) surveys.push(stripKeys(item) as unknown as Survey);
          else tickets.push(stripKeys(item) as unknown as Ticket);
        }
      }
      return { surveys, tickets };
    },
  };
}
