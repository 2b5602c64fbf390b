import { describe, expect, it } from 'vitest';
import { assignedTtlValue } from '../../local/ttl-assignment.ts';

const exp = { N: '1767225600' };

describe('assignedTtlValue', () => {
  it.each<[string, string, Record<string, string> | undefined, Record<string, unknown> | undefined, unknown]>([
    ['a plain SET by name', 'SET expiresAt = :exp', undefined, { ':exp': exp }, { value: exp }],
    [
      'after other actions and a section (ingest claims)',
      'ADD #ids :ids, #users :users SET #day = :day, expiresAt = :exp',
      { '#ids': 'ids', '#users': 'users', '#day': 'day' },
      { ':exp': exp },
      { value: exp },
    ],
    ['before another section (rate counts)', 'SET expiresAt = :exp ADD #n :one', { '#n': 'n' }, { ':exp': exp }, { value: exp }],
    ['through a #name', 'SET #e = :e', { '#e': 'expiresAt' }, { ':e': exp }, { value: exp }],
    ['a placeholder that spells the name', 'SET expiresAt = :expiresAt', undefined, { ':expiresAt': exp }, { value: exp }],
    ['lower-case keywords', 'set a = :a, expiresAt = :exp', undefined, { ':exp': exp }, { value: exp }],
    ['a string value (TTL ignores it; the index drops the key)', 'SET expiresAt = :exp', undefined, { ':exp': { S: 'soon' } }, { value: { S: 'soon' } }],
    [
      'if_not_exists: read back',
      'ADD #f :m SET #day = :day, expiresAt = if_not_exists(expiresAt, :exp)',
      { '#f': 'f', '#day': 'day' },
      { ':exp': exp },
      undefined,
    ],
    ['arithmetic: read back', 'SET expiresAt = :a + :b', undefined, { ':a': exp, ':b': exp }, undefined],
    ['arithmetic on the TTL itself: read back', 'SET expiresAt = expiresAt + :b', undefined, { ':b': exp }, undefined],
    ['REMOVE: read back', 'REMOVE expiresAt', undefined, undefined, undefined],
    ['a nested path of that name: read back', 'SET m.expiresAt = :exp', undefined, { ':exp': exp }, undefined],
    ['a list element: read back', 'SET expiresAt[0] = :exp', undefined, { ':exp': exp }, undefined],
    ['another attribute only', 'SET expiresAtLater = :exp', undefined, { ':exp': exp }, undefined],
    ['a value that is not defined: read back (DynamoDB refuses it)', 'SET expiresAt = :nope', undefined, { ':exp': exp }, undefined],
    ['named twice: read back', 'SET expiresAt = :exp, #e = :exp', { '#e': 'expiresAt' }, { ':exp': exp }, undefined],
  ])('%s', (_, expression, names, values, expected) => {
    expect(assignedTtlValue(expression, names, values, 'expiresAt')).toEqual(expected);
  });
});
