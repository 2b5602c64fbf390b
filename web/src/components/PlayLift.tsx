import { useGet } from '../api.ts';
import { TableHead } from './bits.tsx';
import { fmtInt, fmtNum, fmtPct } from '../format.ts';

/** GET /v1/plays/{play}/lift, as docs/api.md "Plays: holdouts and lift" gives it (the parts shown here). */
interface Group {
  n: number;
  pending: number;
  rate?: number | null;
  mean?: number | null;
  value?: number | null;
}
interface OutcomeLift {
  id: string;
  label: string;
  kind: 'rate' | 'mean' | 'ratio';
  treated: Group;
  heldOut: Group;
  difference: number | null;
  interval: { low: number; high: number } | null;
  stillNeeded: { minimumEffect: number; moreRuns: number } | null;
  verdict: string;
}
interface Lift {
  holdout: { share: number; days: number; ended: { endedAt: string; reason: string } | null } | null;
  runs: { treated: number; heldOut: number; truncated: boolean };
  outcomes?: OutcomeLift[];
}

const VERDICTS: Record<string, string> = {
  'treated-lower': 'lower with the play',
  'treated-higher': 'higher with the play',
  'no-detectable-difference': 'no difference detected',
  'not-enough-data': 'not enough data yet',
};

/** A group's figure in the outcome's own unit: a rate in %, a health change in points, NRR in %. */
function figure(kind: OutcomeLift['kind'], g: Group): string {
  if (kind === 'mean') return fmtNum(g.mean);
  return fmtPct(kind === 'rate' ? g.rate : g.value);
}
const points = (kind: OutcomeLift['kind'], n: number) => (kind === 'mean' ? fmtNum(n) : fmtPct(n));

/** Did the play change anything: its treated runs against the runs it held out (docs/holdouts.md). */
export function PlayLift({ play }: { play: string }) {
  const lift = useGet<Lift>(`/v1/plays/${encodeURIComponent(play)}/lift`);
  const l = lift.data;
  return (
    <section className="panel" aria-labelledby="h-lift" style={{ gridColumn: '1 / -1' }}>
      <h2 id="h-lift">Lift against the holdout</h2>
      {!l ? (
        <p className="muted">{lift.error ? `Lift unavailable: ${lift.error}` : 'Reading runs…'}</p>
      ) : !l.holdout ? (
        <p className="muted" data-testid="lift-none">
          This play holds no accounts out, so its effect cannot be measured: give it a <code>holdout</code> share in tend.config.ts (docs/holdouts.md).
        </p>
      ) : (
        <>
          <p className="muted" data-testid="lift-runs">
            {l.holdout.share}% held out{l.holdout.ended ? ` until ${l.holdout.ended.endedAt.slice(0, 10)}` : ''} · {fmtInt(l.runs.treated)} treated runs,{' '}
            {fmtInt(l.runs.heldOut)} held out{l.runs.truncated ? ' (the newest runs only)' : ''}
          </p>
          <table data-testid="lift-table">
            <TableHead
              columns={[
                'Outcome',
                { label: 'With the play', num: true },
                { label: 'Held out', num: true },
                { label: 'Difference (95% interval)', num: true },
                'Verdict',
              ]}
            />
            <tbody>
              {(l.outcomes ?? []).map((o) => (
                <tr key={o.id}>
                  <td>{o.label}</td>
                  <td className="num">
                    {figure(o.kind, o.treated)} <span className="muted">n={fmtInt(o.treated.n)}</span>
                  </td>
                  <td className="num">
                    {figure(o.kind, o.heldOut)} <span className="muted">n={fmtInt(o.heldOut.n)}</span>
                  </td>
                  <td className="num">
                    {o.difference === null ? '—' : points(o.kind, o.difference)}
                    {o.interval ? ` (${points(o.kind, o.interval.low)} to ${points(o.kind, o.interval.high)})` : ''}
                  </td>
                  <td>
                    {VERDICTS[o.verdict] ?? o.verdict}
                    {o.stillNeeded ? `: about ${fmtInt(o.stillNeeded.moreRuns)} more runs` : ''}
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
