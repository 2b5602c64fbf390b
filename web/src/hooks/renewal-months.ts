import { useGet, type Api } from '../api.ts';
import { addDays, monthWindows } from '../dates.ts';
import { RENEWAL_DAYS, RENEWAL_MONTHS_READ } from '../overview-reads.ts';
import type { Metrics, Renewals } from '../types.ts';

/** Today on the API's clock (the local runtime's clock is virtual): the metrics' `asOf`, read from the aggregates. */
export function useToday(): string | undefined {
  return useGet<Metrics>('/v1/metrics').data?.asOf.slice(0, 10);
}

export { RENEWAL_DAYS };

/** The months of the next 180 days: the first from today, the last up to day 180 (so the chart and the list cover the same days). */
export function renewalWindows(today: string): { month: string; from: string; to: string }[] {
  const end = addDays(today, RENEWAL_DAYS);
  return monthWindows(today, 7)
    .filter((w) => w.from < end)
    .map((w) => ({ ...w, to: w.to < end ? w.to : end }));
}

/**
 * Renewals due in each month of the next 180 days, by band: one read (`byMonth`; `limit=1`, the totals are what counts).
 * `days`, not `to`: the window is counted from the API's today, so the read need not wait for it.
 */
export function useRenewalMonths() {
  const answer = useGet<Renewals>(...RENEWAL_MONTHS_READ);
  return answer.error ? [] : answer.data?.byMonth;
}

const todays = new WeakMap<object, Promise<string>>();
/** Today on the API's clock, read once per session (for a snooze: "tomorrow" is the API's tomorrow). */
export function apiToday(api: Api): Promise<string> {
  let t = todays.get(api);
  if (!t) todays.set(api, (t = api.get<Metrics>('/v1/metrics').then((m) => m.asOf.slice(0, 10))));
  return t;
}
