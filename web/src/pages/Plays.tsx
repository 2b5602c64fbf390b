import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi, useGet } from '../api.ts';
import { AccountLink, Async } from '../components/bits.tsx';
import { PlayDiagram, type StepFigures } from '../components/PlayDiagram.tsx';
import { fmtInt, fmtPct } from '../format.ts';
import { useToday } from '../hooks/renewal-months.ts';
import { quarterOf } from '../dates.ts';
import type { Outcomes, PlayDef, Run } from '../types.ts';

/** How many runs the page reads to count steps (newest first); the figures say when there were more. */
const MAX_RUNS = 1000;

function useRuns(play: string | undefined) {
  const api = useApi();
  const [state, setState] = useState<{ runs: Run[]; more: boolean } | undefined>();
  useEffect(() => {
    if (!play) return;
    let live = true;
    setState(undefined);
    (async () => {
      const runs: Run[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.get<{ runs: Run[]; cursor: string | null }>(`/v1/plays/${encodeURIComponent(play)}/runs`, { limit: 100, cursor });
        runs.push(...page.runs);
        cursor = page.cursor ?? undefined;
      } while (cursor && runs.length < MAX_RUNS && live);
      if (live) setState({ runs, more: !!cursor });
    })().catch(() => live && setState({ runs: [], more: false }));
    return () => {
      live = false;
    };
  }, [api, play]);
  return state;
}

export default function Plays() {
  const { play } = useParams();
  const plays = useGet<{ plays: PlayDef[] }>('/v1/plays');
  const today = useToday();
  const period = today ? quarterOf(today.slice(0, 7)) : undefined;
  const outcomes = useGet<Outcomes>(period ? '/v1/metrics/outcomes' : null, { period });
  return (
    <>
      <h1>Plays{play ? `: ${play}` : ''}</h1>
      <Async loaded={plays} what="plays">
        {(p) => (
          <>
            <nav aria-label="Plays" className="actions" style={{ marginBottom: 12 }}>
              {p.plays.map((d) => (
                <Link key={d.id} to={`/plays/${d.id}`} aria-current={d.id === play ? 'page' : undefined}>
                  {d.id}
                </Link>
              ))}
            </nav>
            {play ? (
              p.plays.find((d) => d.id === play) ? (
                <PlayDetail def={p.plays.find((d) => d.id === play)!} outcomes={outcomes.data} period={period} />
              ) : (
                <p className="error">No play {play}.</p>
              )
            ) : (
              <PlayList defs={p.plays} outcomes={outcomes.data} period={period} />
            )}
          </>
        )}
      </Async>
    </>
  );
}

function PlayList({ defs, outcomes, period }: { defs: PlayDef[]; outcomes: Outcomes | undefined; period: string | undefined }) {
  return (
    <section className="panel">
      <h2>Every play, {period}</h2>
      <table data-testid="plays-table">
        <thead>
          <tr>
            <th scope="col">Play</th>
            <th scope="col">What it does</th>
            <th scope="col" className="num">
              Started
            </th>
            <th scope="col" className="num">
              Live
            </th>
            <th scope="col" className="num">
              Completed
            </th>
            <th scope="col" className="num">
              Exited
            </th>
          </tr>
        </thead>
        <tbody>
          {defs.map((d) => {
            const o = outcomes?.plays.find((x) => x.play === d.id);
            return (
              <tr key={d.id} data-play={d.id}>
                <td>
                  <Link to={`/plays/${d.id}`}>{d.id}</Link>
                </td>
                <td>{d.description}</td>
                <td className="num">{fmtInt(o?.started ?? 0)}</td>
                <td className="num">{fmtInt(o?.live ?? 0)}</td>
                <td className="num">{fmtInt(o?.completed ?? 0)}</td>
                <td className="num">{fmtInt(o?.exited ?? 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function PlayDetail({ def, outcomes, period }: { def: PlayDef; outcomes: Outcomes | undefined; period: string | undefined }) {
  const runs = useRuns(def.id);
  const [params, setParams] = useSearchParams();
  const picked = params.get('step') ?? undefined;
  const onPick = useCallback((step: string) => setParams({ step }), [setParams]);
  const o = outcomes?.plays.find((x) => x.play === def.id);
  const { figures, reasons } = useMemo(() => {
    const figures: Record<string, StepFigures> = {};
    const reasons: Record<string, Map<string, number>> = {};
    for (const s of def.steps) {
      figures[s.id] = { at: 0, done: 0, skipped: 0 };
      reasons[s.id] = new Map();
    }
    for (const r of runs?.runs ?? []) {
      if ((r.status === 'running' || r.status === 'paused') && r.next && figures[r.next.step]) figures[r.next.step]!.at++;
      for (const [step, rec] of Object.entries(r.steps)) {
        const f = figures[step];
        if (!f) continue;
        if (rec.outcome === 'skipped') f.skipped++;
        else f.done++;
        // Reasons differ by their figures ("reached 222 hours after it was due"): counted by their words.
        const why = (rec.detail ?? rec.outcome).replace(/\d+/g, 'N');
        reasons[step]!.set(why, (reasons[step]!.get(why) ?? 0) + 1);
      }
    }
    return { figures, reasons };
  }, [def, runs]);
  const ends = useMemo(() => ({ completed: o?.completed ?? 0, ...(o?.exits ?? {}), ...(o?.cancelled ? { cancelled: o.cancelled } : {}) }), [o]);
  const atStep = (runs?.runs ?? []).filter((r) => picked && (r.steps[picked] || r.next?.step === picked));
  return (
    <>
      <p>{def.description}</p>
      {runs ? <PlayDiagram play={def} figures={figures} ends={ends} picked={picked} onPick={onPick} /> : <p className="muted">Counting runs…</p>}
      {runs?.more && <p className="muted">Counted the newest {fmtInt(runs.runs.length)} runs.</p>}
      <div className="grid" style={{ marginTop: 16 }}>
        <section className="panel" aria-labelledby="h-steps" style={{ gridColumn: '1 / -1' }}>
          <h2 id="h-steps">Steps</h2>
          <table data-testid="steps-table">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col" className="num">
                  Here now
                </th>
                <th scope="col" className="num">
                  Done
                </th>
                <th scope="col" className="num">
                  Skipped
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {def.steps.map((s) => (
                <tr key={s.id} data-step={s.id}>
                  <td>
                    <button type="button" className="secondary" onClick={() => onPick(s.id)}>
                      {s.id}
                    </button>
                  </td>
                  <td className="num">{figures[s.id]!.at}</td>
                  <td className="num">{figures[s.id]!.done}</td>
                  <td className="num">{figures[s.id]!.skipped}</td>
                  <td>
                    {[...reasons[s.id]!].map(([why, n]) => (
                      <div key={why}>
                        {n} × {why}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="h-outcomes">
          <h2 id="h-outcomes">Outcomes, {period}</h2>
          {o ? (
            <ul className="plain">
              <li>
                Started {fmtInt(o.started)} · live {fmtInt(o.live)}
              </li>
              <li>
                Completed {fmtInt(o.completed)} ({fmtPct(o.completionRate)}) · cancelled {fmtInt(o.cancelled)} · failed {fmtInt(o.failed)}
              </li>
              <li>
                Exits:{' '}
                {Object.entries(o.exits).length
                  ? Object.entries(o.exits)
                      .map(([k, n]) => `${k} ${n}`)
                      .join(', ')
                  : 'none'}
              </li>
              {o.save && (
                <li>
                  Saved {o.save.saved}, lost {o.save.lost} ({fmtPct(o.save.rate)})
                </li>
              )}
              <li>Tasks done on time: {fmtPct(o.onTimeRate)}</li>
            </ul>
          ) : (
            <p className="muted">No run in this period.</p>
          )}
        </section>
        {picked && (
          <section className="panel" aria-labelledby="h-at-step">
            <h2 id="h-at-step">Accounts at or through {picked}</h2>
            <ul className="plain" data-testid="step-accounts">
              {atStep.map((r) => (
                <li key={`${r.accountId}-${r.cycle}`}>
                  <AccountLink id={r.accountId} /> · {r.status} · {r.steps[picked]?.outcome ?? 'waiting'}
                  {r.steps[picked]?.detail ? ` (${r.steps[picked]!.detail})` : ''}
                </li>
              ))}
            </ul>
          </section>
        )}
        <section className="panel" aria-labelledby="h-email" style={{ gridColumn: '1 / -1' }}>
          <h2 id="h-email">Email performance per template, {period}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Template</th>
                <th scope="col" className="num">
                  Sent
                </th>
                <th scope="col" className="num">
                  Opened
                </th>
                <th scope="col" className="num">
                  Clicked
                </th>
                <th scope="col" className="num">
                  Replied
                </th>
                <th scope="col" className="num">
                  Bounced
                </th>
                <th scope="col" className="num">
                  Unsubscribed
                </th>
              </tr>
            </thead>
            <tbody>
              {(outcomes?.email ?? []).map((e) => (
                <tr key={e.template}>
                  <td>{e.template}</td>
                  <td className="num">{fmtInt(e.sent)}</td>
                  <td className="num">
                    {fmtInt(e.opened)} ({fmtPct(e.rates.opened, 0)})
                  </td>
                  <td className="num">
                    {fmtInt(e.clicked)} ({fmtPct(e.rates.clicked, 0)})
                  </td>
                  <td className="num">{fmtInt(e.replied)}</td>
                  <td className="num">{fmtInt(e.bounced)}</td>
                  <td className="num">{fmtInt(e.unsubscribed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}
