import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScoringInputs } from '../core/ports.ts';
import type { ScoringInput } from '../core/score/input.ts';
import type { Contact, Survey, Ticket, UsageDay } from '../core/types.ts';
import { keys } from './keys.ts';
import { stripKeys } from './items.ts';
import { accountFromItem } from './account-item.ts';
import { listingOf, isScored, scoreFactsOf } from './scores.ts';

const list = (v: unknown) => (v instanceof Set ? [...(v as Set<string>)] : undefined);

/** A usage-day item as the scorer sees it (other attributes, such as ingest's event ids, are ignored). */
function usageDayOf(i: Record<string, unknown>): UsageDay {
  return {
    day: String(i.day),
    users: list(i.users) ?? [],
    features: list(i.features) ?? [],
    userFeatures: list(i.userFeatures) ?? [],
    sessions: list(i.sessions),
    departments: list(i.departments),
    sessionSeconds: list(i.sessionSeconds),
    apiUsers: list(i.apiUsers),
    emailsSent: list(i.emailsSent),
    emailsOpened: list(i.emailsOpened),
    emailsClicked: list(i.emailsClicked),
    emailsReplied: list(i.emailsReplied),
  };
}

/**
 * Everything the scorer reads about an account in ONE Query: the `S#` range from the oldest
 * usage day needed to the end holds the days, the account, its people, its score and its
 * feedback (docs/data-model.md). Eventually consistent: half the read units, and a stale score
 * only makes the conditional score write refuse (the run then publishes nothing).
 */
export function scoringInputs(db: DynamoDBDocumentClient, table: string): ScoringInputs {
  return {
    async load(accountId, fromDay) {
      const range = keys.scoringRange(accountId, fromDay);
      const input: ScoringInput = { days: [], surveys: [], tickets: [], contacts: [] };
      const query = {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': range.pk, ':from': range.from, ':to': range.to },
      };
      const accountSk = keys.account(accountId).sk;
      const scoreSk = keys.score(accountId).sk;
      for await (const page of paginateQuery({ client: db }, query)) {
        for (const item of page.Items ?? []) {
          const sk = String(item.sk);
          if (sk.startsWith(keys.usageDayPrefix)) input.days.push(usageDayOf(item));
          else if (sk === accountSk) input.account = accountFromItem(item);
          else if (sk === scoreSk) {
            // An item that is only the list entry (an account write made it) holds no score yet.
            if (isScored(item)) input.previous = scoreFactsOf(item, accountId);
            input.listing = listingOf(item);
          } else if (sk.startsWith(keys.contactPrefix)) input.contacts.push(stripKeys(item) as unknown as Contact);
          else if (sk.startsWith(keys.surveyPrefix)) input.surveys.push(stripKeys(item) as unknown as Survey);
          else if (sk.startsWith(keys.ticketPrefix)) input.tickets.push(stripKeys(item) as unknown as Ticket);
        }
      }
      return input;
    },
  };
}
