import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, useApi, useGet } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { Async, BandBadge, TableHead } from '../components/bits.tsx';
import { addDays } from '../dates.ts';
import { apiToday } from '../hooks/renewal-months.ts';
import { fmtDay, fmtMoney } from '../format.ts';
import { can } from '../session.ts';
import { useSession } from '../use-session.ts';
import type { PlayDef, Run, Task } from '../types.ts';

interface AccountAnswer {
  account: {
    id: string;
    name: string;
    arr?: number;
    seats?: number;
    plan?: string;
    segment: string;
    status: string;
    owner?: string;
    renewalDate?: string;
    startDate?: string;
    primaryContact: { email: string; name?: string; role?: string };
    csm?: { name: string; email?: string };
  };
  health: {
    score: number;
    tier: string;
    band?: string | null;
    trend: { change7d: number | null; change30d: number | null; fallingFast: boolean };
    components: { id: string; label: string; weight: number; score: number | null; coverage: number }[];
    driversDown: string[];
    driversUp: string[];
    flags: { flag?: string; name?: string }[] | Record<string, unknown>;
    computedAt: string;
  } | null;
  plays: Run[];
  tasks: Task[];
}
interface TimelineItem {
  at: string;
  kind: string;
  ref: string;
  summary: string;
  detail?: Record<string, string | number | boolean | null>;
}
interface Note {
  noteId: string;
  author: string;
  text: string;
  createdAt: string;
  pinned?: boolean;
}

const LIVE = new Set(['running', 'paused']);

export default function Account() {
  const { id = '' } = useParams();
  const path = `/v1/accounts/${encodeURIComponent(id)}`;
  const view = useGet<AccountAnswer>(path);
  const timeline = useGet<{ items: TimelineItem[] }>(`${path}/timeline`, { limit: 100 });
  const notes = useGet<{ notes: Note[] }>(`${path}/notes`, { limit: 20 });
  const plays = useGet<{ plays: PlayDef[] }>('/v1/plays');
  const contacts = useGet<{ contacts: { email: string; name?: string; role?: string; leftAt?: string }[] }>(`${path}/contacts`);
  return (
    <Async loaded={view} what="the account">
      {(v) => (
        <>
          <h1>
            {v.account.name} <span className="muted">({v.account.id})</span>
          </h1>
          <div className="kpis">
            <div className="kpi">
              <div className="label">Health</div>
              <div className="value" data-testid="account-score">
                {v.health ? v.health.score : '—'} <BandBadge band={v.health?.band ?? 'unscored'} />
              </div>
            </div>
            <div className="kpi">
              <div className="label">ARR</div>
              <div className="value" data-testid="account-arr">
                {fmtMoney(v.account.arr)}
              </div>
            </div>
            <div className="kpi">
              <div className="label">Renews</div>
              <div className="value">{fmtDay(v.account.renewalDate)}</div>
            </div>
            <div className="kpi">
              <div className="label">Owner</div>
              <div className="value">{v.account.owner ?? 'unassigned'}</div>
            </div>
            <div className="kpi">
              <div className="label">Plan · segment</div>
              <div className="value" style={{ fontSize: 16 }}>
                {v.account.plan ?? '—'} · {v.account.segment}
              </div>
            </div>
          </div>
          <div className="grid">
            <ScorePanel v={v} timeline={timeline.data?.items} />
            <TasksPanel accountId={v.account.id} tasks={v.tasks} onChange={view.reload} />
            <PlaysPanel accountId={v.account.id} runs={v.plays} defs={plays.data?.plays ?? []} onChange={view.reload} />
            <section className="panel" aria-labelledby="h-contacts">
              <h2 id="h-contacts">Contacts</h2>
              <ul className="plain" data-testid="contacts">
                <li>
                  {v.account.primaryContact.name ?? v.account.primaryContact.email} &lt;{v.account.primaryContact.email}&gt; · primary
                  {v.account.primaryContact.role ? ` · ${v.account.primaryContact.role}` : ''}
                </li>
                {(contacts.data?.contacts ?? [])
                  .filter((c) => c.email.toLowerCase() !== v.account.primaryContact.email.toLowerCase())
                  .map((c) => (
                    <li key={c.email}>
                      {c.name ?? c.email} &lt;{c.email}&gt;
                      {c.role ? ` · ${c.role}` : ''}
                      {c.leftAt ? ` · left ${fmtDay(c.leftAt)}` : ''}
                    </li>
                  ))}
                {v.account.csm && (
                  <li>
                    CSM: {v.account.csm.name}
                    {v.account.csm.email ? ` <${v.account.csm.email}>` : ''}
                  </li>
                )}
              </ul>
            </section>
            <NotesPanel accountId={v.account.id} notes={notes} />
            <section className="panel" aria-labelledby="h-emails">
              <h2 id="h-emails">Emails sent</h2>
              <ul className="plain" data-testid="emails">
                {(timeline.data?.items ?? [])
                  .filter((i) => i.kind.startsWith('email.'))
                  .map((i) => (
                    <li key={`${i.kind}-${i.ref}-${i.at}`}>
                      {fmtDay(i.at)} · {i.summary}
                    </li>
                  ))}
              </ul>
            </section>
            <section className="panel" aria-labelledby="h-timeline" style={{ gridColumn: '1 / -1' }}>
              <h2 id="h-timeline">Timeline</h2>
              <Async loaded={timeline} what="the timeline">
                {(t) => (
                  <ul className="plain">
                    {t.items.map((i) => (
                      <li key={`${i.kind}-${i.ref}-${i.at}`}>
                        <span className="muted">{i.at.slice(0, 16).replace('T', ' ')}</span> · {i.summary}
                      </li>
                    ))}
                  </ul>
                )}
              </Async>
            </section>
          </div>
        </>
      )}
    </Async>
  );
}

function ScorePanel({ v, timeline }: { v: AccountAnswer; timeline: TimelineItem[] | undefined }) {
  const points = (timeline ?? [])
    .filter((i) => i.kind === 'score.changed' && typeof i.detail?.score === 'number')
    .map((i) => ({ day: i.at.slice(0, 10), score: i.detail!.score as number }))
    .reverse();
  if (v.health) points.push({ day: v.health.computedAt.slice(0, 10), score: v.health.score });
  return (
    <section className="panel" aria-labelledby="h-score">
      <h2 id="h-score">Score</h2>
      {v.health ? (
        <>
          <p>
            7 days: {v.health.trend.change7d ?? '—'} · 30 days: {v.health.trend.change30d ?? '—'}
            {v.health.trend.fallingFast ? ' · falling fast' : ''}
          </p>
          <Chart
            type="line"
            label="Health score over time"
            labels={points.map((p) => p.day)}
            datasets={[{ label: 'Score', data: points.map((p) => p.score), color: '#0b57d0' }]}
          />
          <h3>Why</h3>
          <ul>
            {v.health.driversDown.map((d) => (
              <li key={d}>▼ {d}</li>
            ))}
            {v.health.driversUp.map((d) => (
              <li key={d}>▲ {d}</li>
            ))}
          </ul>
          <h3>Components</h3>
          <table>
            <TableHead columns={['Component', { label: 'Weight', num: true }, { label: 'Score', num: true }, { label: 'Coverage', num: true }]} />
            <tbody>
              {v.health.components.map((c) => (
                <tr key={c.id}>
                  <td>{c.label}</td>
                  <td className="num">{c.weight}</td>
                  <td className="num">{c.score ?? '—'}</td>
                  <td className="num">{Math.round(c.coverage * 100)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted">Not scored yet.</p>
      )}
    </section>
  );
}

/** Runs a write, then `done`; a refusal is shown in words. */
function useAction(done: () => void) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      done();
    } catch (err) {
      setError(err instanceof ApiError ? `${err.status}: ${err.message}` : String(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

export function TaskActions({ task, onChange }: { task: Task; onChange: () => void }) {
  const api = useApi();
  const { me } = useSession();
  const { error, busy, run } = useAction(onChange);
  if (!can.work(me)) return null;
  const base = `/v1/tasks/${encodeURIComponent(task.accountId)}/${encodeURIComponent(task.id)}`;
  const by = me.email ?? me.subject;
  return (
    <span className="actions">
      <button type="button" disabled={busy} onClick={() => void run(() => api.post(`${base}/complete`, { by }))} aria-label={`Complete: ${task.title}`}>
        Complete
      </button>
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() => void run(async () => api.post(`${base}/snooze`, { until: addDays(await apiToday(api), 1) }))}
        aria-label={`Snooze a day: ${task.title}`}
      >
        Snooze a day
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function TasksPanel({ tasks, onChange }: { accountId: string; tasks: Task[]; onChange: () => void }) {
  const open = tasks.filter((t) => t.status !== 'done');
  return (
    <section className="panel" aria-labelledby="h-tasks">
      <h2 id="h-tasks">Open tasks</h2>
      {open.length === 0 ? (
        <p className="muted">No open task.</p>
      ) : (
        <ul className="plain" data-testid="tasks">
          {open.map((t) => (
            <li key={t.id} data-task={t.id}>
              <strong>{t.title}</strong>
              <div className="muted">
                {[t.priority, `due ${fmtDay(t.dueAt)}`, t.owner || 'team queue', t.status].filter(Boolean).join(' · ')}
                {t.snoozedUntil ? ` until ${fmtDay(t.snoozedUntil)}` : ''}
              </div>
              <TaskActions task={t} onChange={onChange} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PlaysPanel({ accountId, runs, defs, onChange }: { accountId: string; runs: Run[]; defs: PlayDef[]; onChange: () => void }) {
  const api = useApi();
  const { me } = useSession();
  const { error, busy, run } = useAction(onChange);
  const [toStart, setToStart] = useState('');
  const control = (play: string, action: string) =>
    run(() => api.post(`/v1/accounts/${encodeURIComponent(accountId)}/plays/${encodeURIComponent(play)}/${action}`, { by: me.email ?? me.subject }));
  const allowed = can.controlPlays(me);
  return (
    <section className="panel" aria-labelledby="h-plays">
      <h2 id="h-plays">Plays</h2>
      <ul className="plain" data-testid="plays">
        {runs.map((r) => {
          const def = defs.find((d) => d.id === r.play);
          return (
            <li key={`${r.play}-${r.cycle}`} data-play={r.play} data-status={r.status}>
              <strong>
                <Link to={`/plays/${r.play}`}>{r.play}</Link>
              </strong>{' '}
              <span data-testid={`play-status-${r.play}`}>{r.status}</span> · started {fmtDay(r.startedAt)}
              <div className="muted">
                {(def?.steps ?? Object.keys(r.steps).map((id) => ({ id }))).map((s) => {
                  const rec = r.steps[s.id];
                  return (
                    <span key={s.id}>
                      {rec ? (rec.outcome === 'done' ? '✓' : '–') : r.next?.step === s.id ? '→' : '·'} {s.id}
                      {rec?.outcome === 'skipped' ? ` (skipped${rec.detail ? `: ${rec.detail}` : ''})` : ''}{' '}
                    </span>
                  );
                })}
                {r.next ? ` · next ${r.next.step} on ${fmtDay(r.next.at)}` : ''}
              </div>
              {allowed && LIVE.has(r.status) && (
                <span className="actions">
                  {r.status === 'running' && (
                    <button type="button" disabled={busy} onClick={() => void control(r.play, 'pause')}>
                      Pause {r.play}
                    </button>
                  )}
                  {r.status === 'paused' && (
                    <button type="button" disabled={busy} onClick={() => void control(r.play, 'resume')}>
                      Resume {r.play}
                    </button>
                  )}
                  <button type="button" className="secondary" disabled={busy} onClick={() => void control(r.play, 'cancel')}>
                    Cancel {r.play}
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {allowed && (
        <form
          className="filters"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (toStart) void control(toStart, 'start');
          }}
        >
          <label>
            Play to start
            <select value={toStart} onChange={(e) => setToStart(e.target.value)}>
              <option value="">choose…</option>
              {defs.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.id}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy || !toStart}>
            Start
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function NotesPanel({ accountId, notes }: { accountId: string; notes: ReturnType<typeof useGet<{ notes: Note[] }>> }) {
  const api = useApi();
  const { me } = useSession();
  const [text, setText] = useState('');
  const { error, busy, run } = useAction(() => {
    setText('');
    notes.reload();
  });
  return (
    <section className="panel" aria-labelledby="h-notes">
      <h2 id="h-notes">Notes</h2>
      {can.work(me) && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void run(() => api.post(`/v1/accounts/${encodeURIComponent(accountId)}/notes`, { author: me.email ?? me.subject, text }));
          }}
        >
          <label htmlFor="note-text">Add a note</label>
          <textarea id="note-text" rows={3} style={{ width: '100%' }} value={text} onChange={(e) => setText(e.target.value)} />
          <button type="submit" disabled={busy || !text.trim()}>
            Add note
          </button>
          {error && (
            <span className="error" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
      <Async loaded={notes} what="notes">
        {(n) => (
          <ul className="plain" data-testid="notes">
            {n.notes.map((note) => (
              <li key={note.noteId}>
                {note.pinned ? '📌 ' : ''}
                {note.text}{' '}
                <span className="muted">
                  — {note.author}, {fmtDay(note.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Async>
    </section>
  );
}
