import { StrictMode, Suspense, lazy, useEffect, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, NavLink, Route, Routes } from 'react-router';
import { ApiContext } from './api.ts';
import { SessionContext } from './use-session.ts';
import { startSession, type Session } from './session.ts';

// One chunk per page: the first page loads the shell and its own code only (docs/web-app.md).
const Overview = lazy(() => import('./pages/Overview.tsx'));
const Renewals = lazy(() => import('./pages/Renewals.tsx'));
const Accounts = lazy(() => import('./pages/Accounts.tsx'));
const Account = lazy(() => import('./pages/Account.tsx'));
const MyDay = lazy(() => import('./pages/MyDay.tsx'));
const Plays = lazy(() => import('./pages/Plays.tsx'));
const Figure = lazy(() => import('./pages/Figure.tsx'));

const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/renewals', label: 'Renewals' },
  { path: '/accounts', label: 'Accounts' },
  { path: '/my-day', label: 'My day' },
  { path: '/plays', label: 'Plays' },
];

function Shell({ session }: { session: Session }) {
  const who = session.me.name ?? session.me.email ?? session.me.subject;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Tend</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <NavLink to={p.path} end={p.path === '/'}>
                  {p.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {who} ({session.me.roles.join(', ')})
          </span>
          <button type="button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p aria-live="polite">Loading…</p>}>
          <Routes>
            <Route path="/" element={<Overview />} />
            <Route path="/renewals" element={<Renewals />} />
            <Route path="/accounts" element={<Accounts />} />
            <Route path="/accounts/:id" element={<Account />} />
            <Route path="/my-day" element={<MyDay />} />
            <Route path="/plays" element={<Plays />} />
            <Route path="/plays/:play" element={<Plays />} />
            <Route path="/figure" element={<Figure />} />
            <Route path="*" element={<h1>Not found</h1>} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

/** Local development without an issuer: the dev API key `tend dev` prints. */
function KeyForm({ onKey }: { onKey: (key: string) => void }) {
  const [key, setKey] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (key.trim()) onKey(key.trim());
  };
  return (
    <main className="signin">
      <h1>Sign in to Tend</h1>
      <form onSubmit={submit} className="panel">
        <p>
          <label htmlFor="key">API key (printed by tend dev)</label>
        </p>
        <input id="key" name="key" type="password" value={key} onChange={(e) => setKey(e.target.value)} style={{ width: '100%' }} />
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </main>
  );
}

function App() {
  const [state, setState] = useState<{ session?: Session; needsKey?: (key: string) => void; error?: string }>({});
  useEffect(() => {
    startSession().then(
      (s) => s && setState('session' in s ? { session: s.session } : { needsKey: s.needsKey }),
      (err: Error) => setState({ error: err.message }),
    );
  }, []);
  if (state.error)
    return (
      <main>
        <h1>Tend</h1>
        <p className="error" role="alert">
          Could not sign in: {state.error}
        </p>
      </main>
    );
  if (state.needsKey) return <KeyForm onKey={state.needsKey} />;
  if (!state.session) return <p aria-live="polite">Signing in…</p>;
  return (
    <SessionContext.Provider value={state.session}>
      <ApiContext.Provider value={state.session.api}>
        <BrowserRouter>
          <Shell session={state.session} />
        </BrowserRouter>
      </ApiContext.Provider>
    </SessionContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
