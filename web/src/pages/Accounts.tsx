import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useApi, useGet } from '../api.ts';
import { AccountLink, Async, BandBadge } from '../components/bits.tsx';
import { apiQueryOf, viewOf, type AccountView } from '../account-query.ts';
import { fmtDay, fmtMoney } from '../format.ts';
import type { Csm } from '../types.ts';

export interface AccountRow {
  customer: { id: string; name: string };
  plan: string;
  healthScore: { score: number | null; tier: string | null; band: string | null };
  stage: string;
  priority: string;
  nextAction?: string;
  segment: string;
  flags: string[];
  arr?: number;
  owner?: string | null;
  renewalDate?: string;
}
interface AccountPage {
  accounts: AccountRow[];
  cursor: string | null;
}

const PAGE = 50;
const features = tableFeatures({});
const helper = createColumnHelper<typeof features, AccountRow>();
const columns = helper.columns([
  helper.accessor((r) => r.customer.name, { id: 'name', header: 'Account', cell: (c) => <AccountLink id={c.row.original.customer.id} name={c.getValue()} /> }),
  helper.accessor((r) => r.healthScore.score, {
    id: 'score',
    header: 'Health',
    cell: (c) => (
      <>
        <BandBadge band={c.row.original.healthScore.band} /> {c.getValue() ?? ''}
      </>
    ),
  }),
  helper.accessor((r) => r.arr, { id: 'arr', header: 'ARR', cell: (c) => fmtMoney(c.getValue()) }),
  helper.accessor('plan', { header: 'Plan' }),
  helper.accessor('segment', { header: 'Segment' }),
  helper.accessor((r) => r.owner ?? '', { id: 'owner', header: 'Owner' }),
  helper.accessor('stage', { header: 'Stage' }),
  helper.accessor((r) => r.renewalDate, { id: 'renewalDate', header: 'Renews', cell: (c) => fmtDay(c.getValue()) }),
  helper.accessor((r) => r.flags.join(', '), { id: 'flags', header: 'Flags' }),
]);
/** Columns the API sorts by (server-side: the order holds across pages). */
const SORTABLE = new Set(['name', 'score', 'arr', 'renewalDate']);

const FILTERS: { key: keyof AccountView; label: string; options: string[] }[] = [
  { key: 'band', label: 'Health band', options: ['green', 'yellow', 'red'] },
  { key: 'segment', label: 'Segment', options: ['high-touch', 'medium-touch', 'tech-touch'] },
  { key: 'plan', label: 'Plan', options: ['Starter', 'Pro', 'Enterprise'] },
  { key: 'stage', label: 'Stage', options: ['Onboarding', 'Adoption', 'Retention', 'Expansion', 'At-Risk'] },
];

function csvOf(rows: AccountRow[]): string {
  const cell = (v: unknown) => {
    const raw = v === undefined || v === null ? '' : String(v);
    // A cell a spreadsheet would run as a formula (=, +, -, @ first: an account name is customer data) is kept as text.
    const s = /^[=+\-@\t\r]/.test(raw) && !/^-?\d/.test(raw) ? `'${raw}` : raw;
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = ['id', 'name', 'band', 'score', 'arr', 'plan', 'segment', 'owner', 'stage', 'renewalDate', 'flags'];
  const lines = rows.map((r) =>
    [
      r.customer.id,
      r.customer.name,
      r.healthScore.band,
      r.healthScore.score,
      r.arr,
      r.plan,
      r.segment,
      r.owner,
      r.stage,
      r.renewalDate?.slice(0, 10),
      r.flags.join(' '),
    ]
      .map(cell)
      .join(','),
  );
  return [head.join(','), ...lines].join('\n') + '\n';
}

/** Every account, filtered, sorted and searched by the API, a page at a time; the view is the URL. */
export default function Accounts() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const view = viewOf(params);
  const [history, setHistory] = useState<string[]>([]);
  const page = useGet<AccountPage>('/v1/accounts', apiQueryOf(view, PAGE));
  const csms = useGet<{ csms: Csm[] }>('/v1/csms');
  const [search, setSearch] = useState(view.q ?? '');
  const [exporting, setExporting] = useState<string | undefined>();
  const data = useMemo(() => page.data?.accounts ?? [], [page.data]);
  const table = useTable({ features, columns, data });

  const setView = (change: AccountView) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('cursor' in change)) {
      next.delete('cursor');
      setHistory([]);
    }
    setParams(next);
  };
  const sortBy = (id: string) => setView({ sort: view.sort === id ? `-${id}` : id });
  const exportCsv = async () => {
    const rows: AccountRow[] = [];
    let cursor: string | null = null;
    setExporting('0 accounts…');
    do {
      const { cursor: _c, ...rest } = view;
      const res: AccountPage = await api.get<AccountPage>('/v1/accounts', { ...apiQueryOf(rest, 200), cursor: cursor ?? undefined });
      rows.push(...res.accounts);
      cursor = res.cursor;
      setExporting(`${rows.length} accounts…`);
    } while (cursor);
    const url = URL.createObjectURL(new Blob([csvOf(rows)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'accounts.csv';
    a.click();
    URL.revokeObjectURL(url);
    setExporting(undefined);
  };

  return (
    <>
      <h1>Accounts</h1>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setView({ q: search });
        }}
      >
        <label>
          Search
          <input type="search" name="q" value={search} placeholder="name or id" onChange={(e) => setSearch(e.target.value)} />
        </label>
        {FILTERS.map((f) => (
          <label key={f.key}>
            {f.label}
            <select name={f.key} value={view[f.key] ?? ''} onChange={(e) => setView({ [f.key]: e.target.value })}>
              <option value="">all</option>
              {f.options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          Owner
          <select name="owner" value={view.owner ?? ''} onChange={(e) => setView({ owner: e.target.value })}>
            <option value="">all</option>
            <option value="unassigned">unassigned</option>
            {(csms.data?.csms ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Flag
          <input
            name="flag"
            defaultValue={view.flag ?? ''}
            placeholder="e.g. no-login-7d"
            onBlur={(e) => e.target.value !== (view.flag ?? '') && setView({ flag: e.target.value })}
          />
        </label>
        <button type="submit">Apply</button>
        <button type="button" className="secondary" onClick={() => void exportCsv()} disabled={!!exporting}>
          {exporting ? `Exporting ${exporting}` : 'Export CSV'}
        </button>
      </form>
      <Async loaded={page} what="accounts">
        {(p) => (
          <>
            <table data-testid="accounts-table">
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const id = header.column.id;
                      const sorted = view.sort === id ? 'ascending' : view.sort === `-${id}` ? 'descending' : undefined;
                      return (
                        <th key={header.id} scope="col" aria-sort={sorted ?? (SORTABLE.has(id) ? 'none' : undefined)}>
                          {SORTABLE.has(id) ? (
                            <button type="button" onClick={() => sortBy(id)}>
                              <table.FlexRender header={header} /> {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
                            </button>
                          ) : (
                            <table.FlexRender header={header} />
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {table.getRowModel().rows.map((row) => (
                  <tr key={row.id} data-account={row.original.customer.id}>
                    {row.getAllCells().map((cell) => (
                      <td key={cell.id}>
                        <table.FlexRender cell={cell} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {/* A narrow filter over a large book can fill a page short, even empty, with more to look through (the server bounds each page's reads). */}
            {p.accounts.length === 0 &&
              (p.cursor ? (
                <p className="muted">No match in this stretch of the book: more accounts remain to look through (Next).</p>
              ) : (
                <p className="muted">No account matches.</p>
              ))}
            <nav className="pager" aria-label="Pages of accounts">
              <button
                type="button"
                className="secondary"
                disabled={history.length === 0}
                onClick={() => {
                  const prev = history.slice(0, -1);
                  setHistory(prev);
                  setView({ cursor: history[history.length - 1] ?? '' });
                }}
              >
                Previous
              </button>
              <span className="muted">
                Page {history.length + 1} · {p.accounts.length} shown
              </span>
              <button
                type="button"
                className="secondary"
                disabled={!p.cursor}
                onClick={() => {
                  setHistory([...history, view.cursor ?? '']);
                  setView({ cursor: p.cursor ?? '' });
                }}
              >
                Next
              </button>
            </nav>
          </>
        )}
      </Async>
    </>
  );
}
