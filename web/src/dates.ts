/** Calendar helpers on UTC days (`YYYY-MM-DD`): the API's days are UTC. */
export const DAY_MS = 86_400_000;
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
export const monthOf = (day: string) => day.slice(0, 7);
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
export const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
export function addQuarters(quarter: string, n: number): string {
  const y = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6)) - 1 + n;
  return `${y + Math.floor(q / 4)}-Q${(((q % 4) + 4) % 4) + 1}`;
}
/** The months of the next `count` months from `day`'s: `[from, to)` windows, the first from `day` itself. */
export function monthWindows(day: string, count: number): { month: string; from: string; to: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const month = addMonths(monthOf(day), i);
    return { month, from: i === 0 ? day : `${month}-01`, to: `${addMonths(month, 1)}-01` };
  });
}
