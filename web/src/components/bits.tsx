import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Loaded } from '../api.ts';

export function BandBadge({ band }: { band: string | null | undefined }) {
  const b = band ?? 'unscored';
  return <span className={`band ${b}`}>{b}</span>;
}

export function AccountLink({ id, name }: { id: string; name?: string }) {
  return <Link to={`/accounts/${encodeURIComponent(id)}`}>{name ?? id}</Link>;
}

/** A headline figure; `to` is the page listing the accounts behind it. */
export function Kpi({ label, value, to, testId }: { label: string; value: ReactNode; to?: string; testId?: string }) {
  const body = (
    <>
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>
        {value}
      </div>
    </>
  );
  return <div className="kpi">{to ? <Link to={to}>{body}</Link> : body}</div>;
}

/** Loading and error states of one API read, then its content. */
export function Async<T>({ loaded, children, what }: { loaded: Loaded<T>; children: (data: T) => ReactNode; what: string }) {
  if (loaded.error)
    return (
      <p className="error" role="alert">
        Could not load {what}: {loaded.error.message}
      </p>
    );
  if (loaded.data === undefined) return <p className="muted">Loading {what}…</p>;
  // Busy while a new read replaces what is shown (a filter changed): screen readers and tests wait for it.
  return <div aria-busy={loaded.loading}>{children(loaded.data)}</div>;
}

/** The link that lists the accounts behind a figure of the API (its `query`). */
export const figureLink = (apiQuery: string) => `/figure?q=${encodeURIComponent(apiQuery)}`;

/** A table's header row: column labels, `num` ones right-aligned like their figures. */
export function TableHead({ columns }: { columns: (string | { label: string; num: true })[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) =>
          typeof c === 'string' ? (
            <th key={i} scope="col">
              {c}
            </th>
          ) : (
            <th key={i} scope="col" className="num">
              {c.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
