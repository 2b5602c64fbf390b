import { useEffect, useState } from 'react';
import { useApi, useGet } from '../api.ts';
import { monthWindows } from '../dates.ts';
import type { Metrics, Renewals } from '../types.ts';

/** Today on the API's clock (the local runtime's clock is virtual): the metrics' `asOf`, read from the aggregates. */
export function useToday(): string | undefined {
  return useGet<Metrics>('/v1/metrics').data?.asOf.slice(0, 10);
}

/** Renewals due in each of the next `count` months, by band (one read each; `limit=1`: the totals are what counts). */
export function useRenewalMonths(today: string | undefined, count = 6) {
  const api = useApi();
  const [data, setData] = useState<(Renewals & { month: string })[] | undefined>();
  useEffect(() => {
    if (!today) return;
    let live = true;
    Promise.all(
      monthWindows(today, count).map(async (w) => ({ ...(await api.get<Renewals>('/v1/renewals', { from: w.from, to: w.to, limit: 1 })), month: w.month })),
    ).then(
      (d) => live && setData(d),
      () => live && setData([]),
    );
    return () => {
      live = false;
    };
  }, [api, today, count]);
  return data;
}

const todays = new WeakMap<object, Promise<string>>();
/** Today on the API's clock, read once per session (for a snooze: "tomorrow" is the API's tomorrow). */
export function apiToday(api: ReturnType<typeof useApi>): Promise<string> {
  let t = todays.get(api);
  if (!t) todays.set(api, (t = api.get<Metrics>('/v1/metrics').then((m) => m.asOf.slice(0, 10))));
  return t;
}
