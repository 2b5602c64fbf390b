import { paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ContactRepo } from '../core/ports.ts';
import type { Contact } from '../core/types.ts';
import { keys } from './keys.ts';
import { stripKeys, writeIf } from './items.ts';

/** Contacts as items under their account, keyed by email: a re-post updates the same contact. */
export function contactRepo(db: DynamoDBDocumentClient, table: string): ContactRepo {
  return {
    async upsert(contacts, now) {
      await Promise.all(
        contacts.map((c) => {
          const { left, ...fields } = c;
          const values: Record<string, unknown> = { ':now': now.toISOString() };
          const names: Record<string, string> = {};
          const sets = ['updatedAt = :now'];
          const removes: string[] = [];
          for (const [k, v] of Object.entries({ ...fields, email: c.email.toLowerCase() })) {
            if (v === undefined) continue;
            names[`#${k}`] = k;
            values[`:${k}`] = v;
            sets.push(`#${k} = :${k}`);
          }
          if (left === true) sets.push('leftAt = if_not_exists(leftAt, :now)');
          if (left === false) removes.push('leftAt');
          // Written only when something differs: a re-run import leaves the contact (and updatedAt) as it was.
          const differs = [
            'attribute_not_exists(pk)',
            ...Object.keys(names).map((n) => `attribute_not_exists(${n}) OR ${n} <> ${n.replace('#', ':')}`),
            ...(left === true ? ['attribute_not_exists(leftAt)'] : left === false ? ['attribute_exists(leftAt)'] : []),
          ];
          // Refused when nothing differs: a replayed contact writes nothing.
          return writeIf(
            db,
            new UpdateCommand({
              TableName: table,
              Key: keys.contact(c.accountId, c.email),
              UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
              ConditionExpression: differs.map((d) => `(${d})`).join(' OR '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          );
        }),
      );
    },
    async list(accountId) {
      const out: Contact[] = [];
      const query = {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':p': keys.contactPrefix },
      };
      for await (const page of paginateQuery({ client: db }, query)) for (const i of page.Items ?? []) out.push(stripKeys(i) as unknown as Contact);
      return out;
    },
  };
}
