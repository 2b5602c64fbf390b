import { useSearchParams } from 'react-router';
import { useGet } from '../api.ts';
import { AccountLink, Async } from '../components/bits.tsx';
import { addDays } from '../dates.ts';
import { fmtDay } from '../format.ts';
import { useToday } from '../hooks/renewal-months.ts';
import { useSession } from '../use-session.ts';
import type { Changes, Csm, Task } from '../types.ts';
import { TaskActions } from './Account.tsx';

/** A CSM's day: their tasks due and overdue, and what changed this week on their accounts; complete and snooze inline. */
export default function MyDay() {
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const csms = useGet<{ csms: Csm[] }>('/v1/csms');
  const csm = params.get('csm') ?? me.csmId ?? csms.data?.csms[0]?.id;
  const today = useToday();
  const tasks = useGet<{ tasks: Task[] }>(csm ? '/v1/tasks' : null, { owner: csm, sort: 'due', limit: 100 });
  const book = useGet<{ accounts: { id: string; name: string }[] }>(csm ? `/v1/csms/${encodeURIComponent(csm)}/accounts` : null, { limit: 100 });
  // The server keeps to this CSM's accounts (however many): the book below only names them.
  const changes = useGet<Changes>(today && csm ? '/v1/changes' : null, { since: today ? addDays(today, -7) : undefined, top: 100, owner: csm });
  const mine = new Map((book.data?.accounts ?? []).map((a) => [a.id, a.name]));
  const changed = new Map<string, string[]>();
  const note = (id: string, what: string) => changed.set(id, [...(changed.get(id) ?? []), what]);
  for (const a of changes.data?.turnedRed.accounts ?? []) note(a.accountId, `turned red (${a.scoreThen} → ${a.score})`);
  for (const f of changes.data?.flagsRaised.accounts ?? []) note(f.accountId, `flag ${f.flag}${f.clearedAt ? ' (cleared since)' : ''}`);
  for (const m of [...(changes.data?.movers.down ?? []), ...(changes.data?.movers.up ?? [])]) note(m.accountId, `score ${m.scoreThen} → ${m.score}`);

  return (
    <>
      <h1>My day</h1>
      {!me.csmId && (
        <div className="filters">
          <label>
            CSM
            <select value={csm ?? ''} onChange={(e) => setParams({ csm: e.target.value })}>
              {(csms.data?.csms ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <div className="grid">
        <section className="panel" aria-labelledby="h-tasks">
          <h2 id="h-tasks">Tasks due and overdue</h2>
          <Async loaded={tasks} what="tasks">
            {(t) => {
              const due = t.tasks.filter((x) => x.overdue || (today && x.dueAt.slice(0, 10) <= addDays(today, 7)));
              return due.length === 0 ? (
                <p className="muted">Nothing due this week.</p>
              ) : (
                <ul className="plain" data-testid="my-tasks">
                  {due.map((x) => (
                    <li key={x.id} data-task={x.id}>
                      <strong>{x.title}</strong> · <AccountLink id={x.accountId} name={mine.get(x.accountId)} />
                      <div className={x.overdue ? 'error' : 'muted'}>
                        {x.overdue ? 'overdue since' : 'due'} {fmtDay(x.dueAt)} · {x.priority}
                        {x.status === 'snoozed' ? ` · snoozed until ${fmtDay(x.snoozedUntil)}` : ''}
                      </div>
                      <TaskActions task={x} onChange={tasks.reload} />
                    </li>
                  ))}
                </ul>
              );
            }}
          </Async>
        </section>
        <section className="panel" aria-labelledby="h-changed">
          <h2 id="h-changed">My accounts that changed this week</h2>
          {changes.data && book.data ? (
            changed.size === 0 ? (
              <p className="muted">No change on your accounts.</p>
            ) : (
              <ul className="plain">
                {[...changed].map(([id, what]) => (
                  <li key={id}>
                    <AccountLink id={id} name={mine.get(id)} />: {what.join('; ')}
                  </li>
                ))}
              </ul>
            )
          ) : (
            <p className="muted">Loading…</p>
          )}
        </section>
      </div>
    </>
  );
}
