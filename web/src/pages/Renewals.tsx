import { useNavigate, useSearchParams } from 'react-router';
import { useGet } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { AccountLink, Async, BandBadge, TableHead } from '../components/bits.tsx';
import { addDays } from '../dates.ts';
import { BAND_COLOURS, BANDS, fmtDay, fmtInt, fmtMoney } from '../format.ts';
import { RENEWAL_DAYS, renewalWindows, useRenewalMonths, useToday } from '../hooks/renewal-months.ts';
import type { Renewals as RenewalsAnswer } from '../types.ts';

/** The next 180 days of renewals by month and band; the list of one month (or all) and one band (or all). */
export default function Renewals() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const today = useToday();
  const months = useRenewalMonths();
  const month = params.get('month') ?? '';
  const band = params.get('band') ?? '';
  const span = today ? (renewalWindows(today).find((w) => w.month === month) ?? { from: today, to: addDays(today, RENEWAL_DAYS) }) : undefined;
  const list = useGet<RenewalsAnswer>(span ? '/v1/renewals' : null, { from: span?.from, to: span?.to, band: band || undefined, limit: 500 });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  return (
    <>
      <h1>Renewals</h1>
      <section className="panel" aria-labelledby="h-months">
        <h2 id="h-months">Next 180 days by month (ARR by band)</h2>
        {months ? (
          <Chart
            type="bar"
            stacked
            label="ARR renewing per month by health band"
            labels={months.map((m) => m.month)}
            datasets={BANDS.map((b) => ({ label: b, data: months.map((m) => m.byBand[b].arr), color: BAND_COLOURS[b] }))}
            yFormat={(n) => fmtMoney(n)}
            onPick={(i, d) => navigate(`/renewals?month=${months[i]!.month}&band=${BANDS[d]}`)}
          />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      <section className="panel" aria-labelledby="h-list" style={{ marginTop: 16 }}>
        <h2 id="h-list">
          {month ? `Renewing in ${month}` : 'Renewing in the next 180 days'}
          {band ? `, ${band}` : ''}
        </h2>
        <div className="filters">
          <label>
            Month
            <select value={month} onChange={(e) => set('month', e.target.value)}>
              <option value="">next 180 days</option>
              {(months ?? []).map((m) => (
                <option key={m.month} value={m.month}>
                  {m.month}
                </option>
              ))}
            </select>
          </label>
          <label>
            Band
            <select value={band} onChange={(e) => set('band', e.target.value)}>
              <option value="">all</option>
              {BANDS.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
        </div>
        <Async loaded={list} what="renewals">
          {(r) => (
            <>
              <p data-testid="renewals-total">
                {fmtInt(r.total.accounts)} accounts, {fmtMoney(r.total.arr)} renewing from {r.from} to {r.to}
                {band ? `; ${fmtInt(r.byBand[band as keyof typeof r.byBand]?.accounts)} ${band}` : ''}
              </p>
              <table data-testid="renewals-list">
                <TableHead columns={['Account', 'Renews', 'Band', { label: 'Score', num: true }, { label: 'ARR', num: true }, 'Owner', 'Open plays']} />
                <tbody>
                  {r.renewals.map((row) => (
                    <tr key={row.accountId} data-account={row.accountId}>
                      <td>
                        <AccountLink id={row.accountId} name={row.name} />
                      </td>
                      <td>{fmtDay(row.renewalDate)}</td>
                      <td>
                        <BandBadge band={row.band} />
                      </td>
                      <td className="num">{row.score ?? '—'}</td>
                      <td className="num">{fmtMoney(row.arr)}</td>
                      <td>{row.owner ?? <span className="muted">unassigned</span>}</td>
                      <td>{row.openPlays?.join(', ') || <span className="muted">none</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Async>
      </section>
    </>
  );
}
