/**
 * The play of an id a caller gave (a path parameter, a CLI argument), or undefined. An own-property
 * check: `plays.constructor` or `plays.__proto__` is Object's, not a play.
 */
export function playById<P>(plays: Record<string, P>, id: string): P | undefined {
  return Object.hasOwn(plays, id) ? plays[id] : undefined;
}
