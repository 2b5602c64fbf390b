import { useGet, type Api } from '../api.ts';
import { monthWindows } from '../dates.ts';
import type { Metrics, Renewals } from '../types.ts';

/** Today on the API's clock (the local runtime's clock is virtual): the metrics' `asOf`, read from the aggregates. */
export function useToday(): string | undefined {
  return useGet<Metrics>('/v1/metrics').data?.asOf.slice(0, 10);
}

/** Renewals due in each of the next `count` months, by band: one read (`byMonth`; `limit=1`, the totals are what counts). */
export function useRenewalMonths(today: string | undefined, count = 6) {
  const windows = today ? monthWindows(today, count) : [];
  const answer = useGet<Renewals>(today ? '/v1/renewals' : null, { from: today, to: windows[windows.length - 1]?.to, limit: 1 });
  return answer.error ? [] : answer.data?.byMonth;
}

const todays = new WeakMap<object, Promise<string>>();
/** Today on the API's clock, read once per session (for a snooze: "tomorrow" is the API's tomorrow). */
export function apiToday(api: Api): Promise<string> {
  let t = todays.get(api);
  if (!t) todays.set(api, (t = api.get<Metrics>('/v1/metrics').then((m) => m.asOf.slice(0, 10))));
  return t;
}
