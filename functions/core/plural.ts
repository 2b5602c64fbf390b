/**
 * A count with its noun, singular for exactly one: `1 feature`, `1.5 features`, `0 features`,
 * `3 people` (irregular plurals given). The one place text anywhere in Tend (card, reasons,
 * emails, alerts, CLI) says how many of something there are. `format` writes the number
 * (a rounding, thousands separators); the noun follows the number as written (`1.0` is one).
 */
export function plural(count: number, one: string, many = `${one}s`, format: (n: number) => string = String): string {
  const written = format(count);
  return `${written} ${Number(written.replace(/,/g, '')) === 1 ? one : many}`;
}
