import type { Account, AccountUpsert } from './types.ts';

const DATES = new Set(['startDate', 'renewalDate']);

function canonical(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * True when an upsert would change nothing the account already holds: a re-run import (or a
 * retried request) then writes nothing, not even `updatedAt`.
 */
export function upsertChangesNothing(current: Account, input: AccountUpsert): boolean {
  return Object.entries(input).every(([k, v]) => {
    if (v === undefined) return true;
    // `segment` in a request pins (or with `auto` unpins) it: compare with the pin, not the segment in force.
    if (k === 'segment') return (current.segmentSet ?? 'auto') === v;
    const stored = (current as unknown as Record<string, unknown>)[k];
    if (DATES.has(k)) return typeof stored === 'string' && Date.parse(stored) === Date.parse(String(v));
    return canonical(stored) === canonical(v);
  });
}
