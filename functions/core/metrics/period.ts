/**
 * A reporting period: `[from, to)` as UTC days (`yyyy-mm-dd`). Months and quarters are named
 * (`2026-03`, `2026-Q1`); any other span is given by its two days.
 */
export interface Period {
  from: string;
  to: string;
}

const day = (y: number, m: number) => new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10);

/** `2026-Q1`, `2026-03`, `2026`, or `2026-01-01..2026-04-01` to its `[from, to)` days; throws on anything else. */
export function periodOf(name: string): Period {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(name);
  if (quarter) {
    const [y, q] = [Number(quarter[1]), Number(quarter[2])];
    return { from: day(y, 3 * q - 2), to: day(y, 3 * q + 1) };
  }
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(name);
  if (month) return { from: day(Number(month[1]), Number(month[2])), to: day(Number(month[1]), Number(month[2]) + 1) };
  const year = /^(\d{4})$/.exec(name);
  if (year) return { from: day(Number(year[1]), 1), to: day(Number(year[1]) + 1, 1) };
  const span = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(name);
  if (span && span[1]! < span[2]!) return { from: span[1]!, to: span[2]! };
  throw new Error(`"${name}" is not a period: use 2026-Q1, 2026-03, 2026 or 2026-01-01..2026-04-01`);
}

/** Whether a date or timestamp falls in the period (a timestamp's UTC day decides). */
export const within = (at: string, p: Period) => at.slice(0, 10) >= p.from && at.slice(0, 10) < p.to;

/** A ratio, or null when there is nothing to divide by (a figure of an empty set is not 0%). */
export const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
