import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi, useGet } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { AccountLink, Async, BandBadge, figureLink, Kpi, TableHead } from '../components/bits.tsx';
import { addMonths, addQuarters, monthOf, quarterOf } from '../dates.ts';
import { useRenewalMonths } from '../hooks/renewal-months.ts';
import { WEEK_CHANGES_READ } from '../overview-reads.ts';
import { useSession } from '../use-session.ts';
import { BAND_COLOURS, BANDS, fmtInt, fmtMoney, fmtNum, fmtPct } from '../format.ts';
import type { Changes, Metrics, Outcomes, Renewals } from '../types.ts';

const pct = (n: number) => `${Math.round(n * 100)}%`;

/** Figures of several periods (months or quarters), read in parallel: each is a few Queries of the aggregates (the counts alone: no health series or outcomes). */
function usePeriods(periods: string[]) {
  const api = useApi();
  const [data, setData] = useState<Metrics[] | undefined>();
  const key = periods.join(',');
  useEffect(() => {
    if (!key) return;
    let live = true;
    Promise.all(key.split(',').map((period) => api.get<Metrics>('/v1/metrics', { period, figures: 'counts' }))).then(
      (d) => live && setData(d),
      () => live && setData([]),
    );
    return () => {
      live = false;
    };
  }, [api, key]);
  return data;
}

export default function Overview() {
  const navigate = useNavigate();
  const { me } = useSession();
  const metrics = useGet<Metrics>('/v1/metrics');
  // Read at once, beside the headline figures: both count their windows from the API's today (`days`).
  const renewals = useRenewalMonths();
  // The first accounts of each figure only (counts, ARR and flags by kind are of all): a week's flags can be most of the book.
  const changes = useGet<Changes>(...WEEK_CHANGES_READ);
  // The periods are read beside the headline, counted from the API's today as the session saw it;
  // once the headline is in, from its `asOf` (the local clock may have moved since: then they are read again).
  const today = metrics.data?.asOf.slice(0, 10) ?? me.today;
  const thisMonth = today ? monthOf(today) : undefined;
  const months = thisMonth ? Array.from({ length: 6 }, (_, i) => addMonths(thisMonth, i - 5)) : [];
  const quarters = thisMonth ? Array.from({ length: 4 }, (_, i) => addQuarters(quarterOf(thisMonth), i - 3)) : [];
  // The headline figures are the current quarter's (the API's default period): not read twice.
  const current = metrics.data && metrics.data.period === quarters.at(-1) ? metrics.data : undefined;
  const monthly = usePeriods(months);
  const pastQuarters = usePeriods(quarters.slice(0, -1));
  const quarterly = pastQuarters && current ? [...pastQuarters, current] : undefined;
  // The headline answer carries its period's outcomes; read apart only when it does not.
  const outcomesRead = useGet<Outcomes>(metrics.data && !metrics.data.outcomes ? '/v1/metrics/outcomes' : null, { period: metrics.data?.period });
  const outcomes = { data: metrics.data?.outcomes ?? outcomesRead.data };

  return (
    <>
      <h1>Overview</h1>
      <Async loaded={metrics} what="the portfolio">
        {(m) => {
          const w = m.whole;
          const arr = BANDS.reduce((t, b) => t + w.health[b].arr, 0);
          return (
            <>
              <p className="muted">
                {m.period} as of {m.asOf}
              </p>
              <section className="kpis" aria-label="Headline figures">
                <Kpi label="Accounts" value={fmtInt(w.accounts)} to="/accounts" testId="kpi-accounts" />
                <Kpi label="ARR" value={fmtMoney(arr)} to="/accounts" testId="kpi-arr" />
                <Kpi label="ARR in red" value={fmtMoney(w.health.red.arr)} to="/accounts?band=red" testId="kpi-red-arr" />
                <Kpi label={`NRR ${m.period}`} value={fmtPct(w.retention.nrr)} to={figureLink(w.accountsQuery.starting ?? '')} testId="kpi-nrr" />
                <Kpi label={`GRR ${m.period}`} value={fmtPct(w.retention.grr)} to={figureLink(w.accountsQuery.churned ?? '')} testId="kpi-grr" />
                <Kpi label="NPS" value={fmtNum(w.nps.nps, 0)} to={figureLink(w.accountsQuery.detractors ?? '')} testId="kpi-nps" />
                <Kpi label="CSAT (of 5)" value={fmtNum(w.csat.average, 2)} to={figureLink(w.accountsQuery.dissatisfied ?? '')} testId="kpi-csat" />
              </section>
              <div className="grid">
                <section className="panel" aria-labelledby="h-health">
                  <h2 id="h-health">Health by band now</h2>
                  <Chart
                    type="bar"
                    label="Accounts and ARR by health band"
                    labels={[...BANDS]}
                    datasets={[{ label: 'ARR', data: BANDS.map((b) => w.health[b].arr), color: '#0b57d0' }]}
                    yFormat={(n) => fmtMoney(n)}
                    onPick={(i) => navigate(`/accounts?band=${BANDS[i]}`)}
                  />
                  <table data-testid="health-table">
                    <TableHead columns={['Band', { label: 'Accounts', num: true }, { label: 'ARR', num: true }]} />
                    <tbody>
                      {BANDS.map((b) => (
                        <tr key={b} data-band={b}>
                          <td>
                            <Link to={b === 'unscored' ? figureLink(w.accountsQuery.unscored ?? '') : `/accounts?band=${b}`}>
                              <BandBadge band={b} />
                            </Link>
                          </td>
                          <td className="num" data-testid={`health-${b}-accounts`}>
                            {fmtInt(w.health[b].accounts)}
                          </td>
                          <td className="num" data-testid={`health-${b}-arr`}>
                            {fmtMoney(w.health[b].arr)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
                <section className="panel" aria-labelledby="h-over-time">
                  <h2 id="h-over-time">ARR by band over time</h2>
                  {w.healthOverTime?.length ? (
                    <Chart
                      type="line"
                      stacked
                      label="ARR by health band per day"
                      labels={w.healthOverTime.map((d) => d.day)}
                      datasets={BANDS.map((b) => ({ label: b, data: w.healthOverTime!.map((d) => d.bands[b].arr), color: BAND_COLOURS[b], fill: true }))}
                      yFormat={(n) => fmtMoney(n)}
                      onPick={(_i, d) => navigate(`/accounts?band=${BANDS[d]}`)}
                    />
                  ) : (
                    <p className="muted">No daily scoring runs counted in this period yet.</p>
                  )}
                </section>
                <RenewalsPanel renewals={renewals} />
                <RetentionPanel monthly={monthly} quarterly={quarterly} />
                <ChangesPanel changes={changes.data} />
                <SentimentPanel monthly={monthly} />
                <section className="panel" aria-labelledby="h-onboarding">
                  <h2 id="h-onboarding">Onboarding</h2>
                  <div className="kpis">
                    <Kpi label="Median days to first value" value={fmtNum(w.timeToValue.medianDays, 0)} to={figureLink(w.accountsQuery.slowest ?? '')} />
                    <Kpi label="Reached first value" value={`${fmtInt(w.timeToValue.reached)} of ${fmtInt(w.timeToValue.started)}`} />
                    <Kpi label="Overdue" value={fmtInt(w.timeToValue.overdue)} to={figureLink(w.accountsQuery.overdue ?? '')} />
                    <Kpi label="Onboarding completed" value={outcomes.data ? fmtPct(outcomes.data.onboarding.rate) : '…'} to="/plays/onboarding" />
                  </div>
                </section>
                <section className="panel" aria-labelledby="h-plays">
                  <h2 id="h-plays">Play outcomes ({m.period})</h2>
                  {outcomes.data ? (
                    <table>
                      <TableHead
                        columns={[
                          'Play',
                          { label: 'Started', num: true },
                          { label: 'Live', num: true },
                          { label: 'Completed', num: true },
                          { label: 'Exited', num: true },
                        ]}
                      />
                      <tbody>
                        {outcomes.data.plays.map((p) => (
                          <tr key={p.play}>
                            <td>
                              <Link to={`/plays/${p.play}`}>{p.play}</Link>
                            </td>
                            <td className="num">{fmtInt(p.started)}</td>
                            <td className="num">{fmtInt(p.live)}</td>
                            <td className="num">{fmtInt(p.completed)}</td>
                            <td className="num">{fmtInt(p.exited)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    <p className="muted">Loading…</p>
                  )}
                </section>
              </div>
            </>
          );
        }}
      </Async>
    </>
  );
}

function RenewalsPanel({ renewals }: { renewals: Renewals['byMonth'] | undefined }) {
  const navigate = useNavigate();
  return (
    <section className="panel" aria-labelledby="h-renewals">
      <h2 id="h-renewals">Renewals, next 6 months (ARR by band)</h2>
      {!renewals ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <Chart
            type="bar"
            stacked
            label="ARR renewing per month by health band"
            labels={renewals.map((r) => r.month)}
            datasets={BANDS.map((b) => ({ label: b, data: renewals.map((r) => r.byBand[b].arr), color: BAND_COLOURS[b] }))}
            yFormat={(n) => fmtMoney(n)}
            onPick={(i, d) => navigate(`/renewals?month=${renewals[i]!.month}&band=${BANDS[d]}`)}
          />
          <table data-testid="renewals-table">
            <TableHead columns={['Month', { label: 'Accounts', num: true }, { label: 'ARR', num: true }, { label: 'ARR at risk (red)', num: true }]} />
            <tbody>
              {renewals.map((r) => (
                <tr key={r.month} data-month={r.month}>
                  <td>
                    <Link to={`/renewals?month=${r.month}`}>{r.month}</Link>
                  </td>
                  <td className="num">{fmtInt(r.accounts)}</td>
                  <td className="num">{fmtMoney(r.arr)}</td>
                  <td className="num">
                    <Link to={`/renewals?month=${r.month}&band=red`}>{fmtMoney(r.byBand.red.arr)}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function RetentionPanel({ monthly, quarterly }: { monthly: Metrics[] | undefined; quarterly: Metrics[] | undefined }) {
  const navigate = useNavigate();
  const rows = [...(monthly ?? []), ...(quarterly ?? [])];
  return (
    <section className="panel" aria-labelledby="h-retention">
      <h2 id="h-retention">NRR and GRR by month and quarter</h2>
      {!monthly || !quarterly ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <Chart
            type="line"
            label="Net and gross revenue retention per month"
            labels={monthly.map((m) => m.period)}
            datasets={[
              { label: 'NRR', data: monthly.map((m) => m.whole.retention.nrr), color: '#0b57d0', fill: false },
              { label: 'GRR', data: monthly.map((m) => m.whole.retention.grr), color: '#8250df', fill: false },
            ]}
            yFormat={pct}
            onPick={(i) => navigate(figureLink(monthly[i]!.whole.accountsQuery.starting ?? ''))}
          />
          <table>
            <TableHead
              columns={[
                'Period',
                { label: 'Starting ARR', num: true },
                { label: 'NRR', num: true },
                { label: 'GRR', num: true },
                { label: 'Churned ARR', num: true },
              ]}
            />
            <tbody>
              {rows.map((m) => (
                <tr key={m.period}>
                  <td>
                    <Link to={figureLink(m.whole.accountsQuery.starting ?? '')}>{m.period}</Link>
                  </td>
                  <td className="num">{fmtMoney(m.whole.retention.startingArr)}</td>
                  <td className="num">{fmtPct(m.whole.retention.nrr)}</td>
                  <td className="num">{fmtPct(m.whole.retention.grr)}</td>
                  <td className="num">
                    <Link to={figureLink(m.whole.accountsQuery.churned ?? '')}>{fmtMoney(m.whole.retention.churnedArr)}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ChangesPanel({ changes }: { changes: Changes | undefined }) {
  return (
    <section className="panel" aria-labelledby="h-changes">
      <h2 id="h-changes">This week</h2>
      {!changes ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <div className="kpis">
            <Kpi label="Turned red" value={fmtInt(changes.turnedRed.count)} testId="kpi-turned-red" />
            <Kpi label="Their ARR" value={fmtMoney(changes.turnedRed.arr)} />
            <Kpi label="Flags raised" value={fmtInt(changes.flagsRaised.count)} />
          </div>
          {changes.turnedRed.accounts.length > 0 && (
            <p>
              Turned red:{' '}
              {changes.turnedRed.accounts.map((a, i) => (
                <span key={a.accountId}>
                  {i > 0 && ', '}
                  <AccountLink id={a.accountId} />
                </span>
              ))}
              {changes.turnedRed.count > changes.turnedRed.accounts.length &&
                ` and ${fmtInt(changes.turnedRed.count - changes.turnedRed.accounts.length)} more`}
            </p>
          )}
          <h3>Biggest movers</h3>
          <ul className="plain">
            {[...changes.movers.down, ...changes.movers.up].map((m) => (
              <li key={m.accountId}>
                <AccountLink id={m.accountId} /> {m.scoreThen} → {m.score} ({m.change > 0 ? '+' : ''}
                {m.change})
              </li>
            ))}
          </ul>
          <h3>New flags</h3>
          <ul className="plain">
            {Object.entries(changes.flagsRaised.byFlag).map(([flag, count]) => (
              <li key={flag}>
                <Link to={`/accounts?flag=${flag}`}>{flag}</Link>: {fmtInt(count)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function SentimentPanel({ monthly }: { monthly: Metrics[] | undefined }) {
  return (
    <section className="panel" aria-labelledby="h-sentiment">
      <h2 id="h-sentiment">NPS and CSAT by month</h2>
      {!monthly ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <Chart
            type="line"
            label="NPS per month"
            labels={monthly.map((m) => m.period)}
            datasets={[{ label: 'NPS', data: monthly.map((m) => m.whole.nps.nps), color: '#0b57d0', fill: false }]}
          />
          <table>
            <TableHead
              columns={['Month', { label: 'NPS', num: true }, { label: 'Answers', num: true }, { label: 'CSAT', num: true }, { label: 'Answers', num: true }]}
            />
            <tbody>
              {monthly.map((m) => (
                <tr key={m.period}>
                  <td>{m.period}</td>
                  <td className="num">
                    <Link to={figureLink(m.whole.accountsQuery.detractors ?? '')}>{fmtNum(m.whole.nps.nps, 0)}</Link>
                  </td>
                  <td className="num">
                    <Link to={figureLink(m.whole.accountsQuery.promoters ?? '')}>{fmtInt(m.whole.nps.responses)}</Link>
                  </td>
                  <td className="num">
                    <Link to={figureLink(m.whole.accountsQuery.dissatisfied ?? '')}>{fmtNum(m.whole.csat.average, 2)}</Link>
                  </td>
                  <td className="num">{fmtInt(m.whole.csat.responses)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
