import { ValidationError } from '../core/errors.ts';

const bad = (what: string) =>
  new ValidationError(`cursor: not a cursor this API returned for ${what}`, [{ field: 'cursor', message: 'not a cursor this API returned' }]);

/** A page's LastEvaluatedKey as the opaque cursor the API hands out. */
export const encodeCursor = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);

/**
 * A client's cursor, back to the ExclusiveStartKey it was: only string attributes, exactly the
 * key names expected, and the partition the Query reads (`partition` names the attribute and its
 * value), so a forged cursor is a 400 and never points a Query at another partition.
 */
export function decodeCursor(cursor: string, names: readonly string[], partition: [string, string], what: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad(what);
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw bad(what);
  const entries = Object.entries(key as Record<string, unknown>);
  const shaped =
    entries.length === names.length &&
    entries.every(([k, v]) => names.includes(k) && typeof v === 'string' && v.length <= 1024) &&
    (key as Record<string, unknown>)[partition[0]] === partition[1];
  if (!shaped) throw bad(what);
  return key as Record<string, string>;
}
