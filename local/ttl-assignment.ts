/**
 * What an UpdateExpression makes of an item's TTL attribute when that can be read off the request:
 * a plain `SET <ttl> = :value` (the ttl by name, or by a `#name` standing for it). The local TTL
 * index then takes the value from the request instead of reading the item back after the write
 * (one DynamoDB request less per ingest claim and rate count). Anything else that names the TTL
 * (if_not_exists, arithmetic, REMOVE, a nested path) answers `undefined`: read it back.
 */
export function assignedTtlValue(
  updateExpression: string,
  names: Record<string, string> | undefined,
  values: Record<string, unknown> | undefined,
  ttlAttribute: string,
): { value: unknown } | undefined {
  // `<path> = :v` where the right side is one value and the action ends there (comma, end, or the next section).
  const assignment = /(?:^|[\s,])(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)(?=\s*(?:,|$)|\s+(?:SET|REMOVE|ADD|DELETE)\s)/gi;
  let found: { value: unknown } | undefined;
  for (const [, path, placeholder] of updateExpression.matchAll(assignment)) {
    const attribute = path!.startsWith('#') ? names?.[path!] : path;
    if (attribute !== ttlAttribute) continue;
    if (found || !values || !(placeholder! in values)) return undefined;
    found = { value: values[placeholder!] };
  }
  // The TTL named once, in that assignment, and nowhere else (e.g. not also inside if_not_exists).
  return found && mentions(updateExpression, names, ttlAttribute) === 1 ? found : undefined;
}

/** How many times the expression names the attribute, directly or through `#names`. */
function mentions(expression: string, names: Record<string, string> | undefined, attribute: string): number {
  let count = 0;
  for (const [token] of expression.matchAll(/[#:]?[A-Za-z0-9_]+/g)) {
    if (!token.startsWith(':') && (token.startsWith('#') ? names?.[token] : token) === attribute) count++;
  }
  return count;
}
