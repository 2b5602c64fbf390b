import { useCallback, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useGet } from '../api.ts';
import { AccountLink, Async, TableHead } from '../components/bits.tsx';
import { PlayDiagram } from '../components/PlayDiagram.tsx';
import { PlayLift } from '../components/PlayLift.tsx';
import { fmtInt, fmtPct } from '../format.ts';
import { useToday } from '../hooks/renewal-months.ts';
import { quarterOf } from '../dates.ts';
import type { GroupOutcomes, Outcomes, PlayDef } from '../types.ts';

/** The cuts of the outcomes (GET /v1/metrics/outcomes `cut`): a run counts under the groups its account had when it began. */
const CUTS = ['segment', 'plan', 'owner'] as const;

export default function Plays() {
  const { play } = useParams();
  const plays = useGet<{ plays: PlayDef[] }>('/v1/plays');
  const today = useToday();
  const period = today ? quarterOf(today.slice(0, 7)) : undefined;
  const [params, setParams] = useSearchParams();
  const cut = CUTS.find((c) => c === params.get('cut'));
  const group = cut ? (params.get('group') ?? undefined) : undefined;
  const outcomes = useGet<Outcomes>(period ? '/v1/metrics/outcomes' : null, { period, ...(cut ? { cut } : {}) });
  // The whole book, or the chosen group's figures (a group with nothing counted in the period has none).
  const shown: GroupOutcomes | undefined = group ? outcomes.data?.groups?.[group] : outcomes.data;
  const label = group ? `${period} · ${cut} ${group}` : period;
  const pick = (next: { cut?: string; group?: string }) =>
    setParams((p) => {
      for (const [k, v] of Object.entries(next))
        if (v) p.set(k, v);
        else p.delete(k);
      return p;
    });
  return (
    <>
      <h1>Plays{play ? `: ${play}` : ''}</h1>
      <Async loaded={plays} what="plays">
        {(p) => (
          <>
            <nav aria-label="Plays" className="actions" style={{ marginBottom: 12 }}>
              {p.plays.map((d) => (
                <Link
                  key={d.id}
                  to={{ pathname: `/plays/${d.id}`, search: cut ? `?${new URLSearchParams({ cut, ...(group ? { group } : {}) })}` : '' }}
                  aria-current={d.id === play ? 'page' : undefined}
                >
                  {d.id}
                </Link>
              ))}
            </nav>
            <div className="filters" data-testid="outcomes-cut">
              <label>
                Outcomes by
                <select name="cut" value={cut ?? ''} onChange={(e) => pick({ cut: e.target.value, group: undefined })}>
                  <option value="">the whole book</option>
                  {CUTS.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
              {cut && (
                <label>
                  Group
                  <select name="group" value={group ?? ''} onChange={(e) => pick({ group: e.target.value })}>
                    <option value="">all</option>
                    {Object.keys(outcomes.data?.groups ?? {}).map((g) => (
                      <option key={g} value={g}>
                        {g}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </div>
            {play ? (
              p.plays.find((d) => d.id === play) ? (
                <PlayDetail def={p.plays.find((d) => d.id === play)!} outcomes={shown} period={label} />
              ) : (
                <p className="error">No play {play}.</p>
              )
            ) : (
              <PlayList defs={p.plays} outcomes={shown} period={label} />
            )}
          </>
        )}
      </Async>
    </>
  );
}

function PlayList({ defs, outcomes, period }: { defs: PlayDef[]; outcomes: GroupOutcomes | undefined; period: string | undefined }) {
  return (
    <section className="panel">
      <h2>Every play{period ? `, ${period}` : ''}</h2>
      <table data-testid="plays-table">
        <TableHead
          columns={[
            'Play',
            'What it does',
            { label: 'Started', num: true },
            { label: 'Live', num: true },
            { label: 'Completed', num: true },
            { label: 'Exited', num: true },
          ]}
        />
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

interface StepFigures {
  play: string;
  runs: number;
  live: number;
  /** The figures count the newest runs only (the API reads at most 5,000). */
  truncated: boolean;
  steps: {
    step: string;
    day: number;
    waiting: number;
    done: number;
    skipped: number;
    reasons: { reason: string; outcome: string; count: number }[];
    accounts: string[];
  }[];
  ended: { completed: number; cancelled: number; failed: number; exited: Record<string, number> };
}

function PlayDetail({ def, outcomes, period }: { def: PlayDef; outcomes: GroupOutcomes | undefined; period: string | undefined }) {
  const figures = useGet<StepFigures>(`/v1/plays/${encodeURIComponent(def.id)}/steps`);
  const [params, setParams] = useSearchParams();
  const picked = params.get('step') ?? undefined;
  // Keeps the outcomes' cut and group in the address.
  const onPick = useCallback(
    (step: string) =>
      setParams((p) => {
        p.set('step', step);
        return p;
      }),
    [setParams],
  );
  const o = outcomes?.plays.find((x) => x.play === def.id);
  const f = figures.data;
  const byStep = useMemo(() => Object.fromEntries((f?.steps ?? []).map((s) => [s.step, { at: s.waiting, done: s.done, skipped: s.skipped }])), [f]);
  const ends = useMemo(
    () =>
      f
        ? {
            completed: f.ended.completed,
            ...f.ended.exited,
            ...(f.ended.cancelled ? { cancelled: f.ended.cancelled } : {}),
            ...(f.ended.failed ? { failed: f.ended.failed } : {}),
          }
        : {},
    [f],
  );
  const pickedStep = f?.steps.find((s) => s.step === picked);
  return (
    <>
      <p>{def.description}</p>
      {f ? <PlayDiagram play={def} figures={byStep} ends={ends} picked={picked} onPick={onPick} /> : <p className="muted">Counting runs…</p>}
      {f && (
        <p className="muted" data-testid="play-runs">
          {fmtInt(f.runs)} {f.truncated ? 'newest runs' : 'runs'}, {fmtInt(f.live)} live
        </p>
      )}
      <div className="grid" style={{ marginTop: 16 }}>
        <section className="panel" aria-labelledby="h-steps" style={{ gridColumn: '1 / -1' }}>
          <h2 id="h-steps">Steps</h2>
          <table data-testid="steps-table">
            <TableHead columns={['Step', { label: 'Here now', num: true }, { label: 'Done', num: true }, { label: 'Skipped', num: true }, 'Why']} />
            <tbody>
              {(f?.steps ?? []).map((s) => (
                <tr key={s.step} data-step={s.step}>
                  <td>
                    <button type="button" className="secondary" onClick={() => onPick(s.step)}>
                      {s.step}
                    </button>
                  </td>
                  <td className="num" data-testid={`waiting-${s.step}`}>
                    {s.waiting}
                  </td>
                  <td className="num">{s.done}</td>
                  <td className="num">{s.skipped}</td>
                  <td>
                    {s.reasons.map((r) => (
                      <div key={`${r.outcome}-${r.reason}`}>
                        {r.count} × {r.outcome}: {r.reason}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" aria-labelledby="h-outcomes">
          <h2 id="h-outcomes">Outcomes{period ? `, ${period}` : ''}</h2>
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
        <PlayLift play={def.id} />
        {pickedStep && (
          <section className="panel" aria-labelledby="h-at-step">
            <h2 id="h-at-step">Accounts waiting at {pickedStep.step}</h2>
            {pickedStep.accounts.length === 0 ? (
              <p className="muted">None now.</p>
            ) : (
              <ul className="plain" data-testid="step-accounts">
                {pickedStep.accounts.map((id) => (
                  <li key={id}>
                    <AccountLink id={id} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
        <section className="panel" aria-labelledby="h-email" style={{ gridColumn: '1 / -1' }}>
          <h2 id="h-email">Email performance per template, {period}</h2>
          <table>
            <TableHead
              columns={[
                'Template',
                { label: 'Sent', num: true },
                { label: 'Opened', num: true },
                { label: 'Clicked', num: true },
                { label: 'Replied', num: true },
                { label: 'Bounced', num: true },
                { label: 'Unsubscribed', num: true },
              ]}
            />
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
