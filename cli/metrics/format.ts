import { plural } from '../../functions/core/plural.ts';
import type { Changes } from '../../functions/core/metrics/changes.ts';
import type { RenewalsReport } from '../../functions/core/metrics/reports.ts';

type Cell = string | number | null | undefined;

// Hand-rolled: a padded text table and RFC 4180 quoting are a few lines each; the well-kept
// packages for them (cli-table3, csv-stringify) are not dependencies, and these two need no options.
/** A text table: a header row, a rule, and columns padded to their widest cell (numbers right-aligned). */
export function textTable(header: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  const numeric = header.map((_, i) => text.some((r) => r[i] !== '-') && text.every((r) => /^(-|[+-]?[\d,]+(\.\d+)?%?)$/.test(r[i]!)));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

/** CSV with a header row: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csv(header: string[], rows: Cell[][]): string {
  const field = (c: Cell) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n');
}

const money = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (r: number | null) => (r === null ? null : `${(r * 100).toFixed(1)}%`);
const signed = (n: number | null | undefined) => (n === null || n === undefined ? null : n > 0 ? `+${n}` : String(n));

const RENEWAL_HEADER = ['renewal', 'account', 'name', 'arr', 'band', 'score', 'tier', 'change7d', 'fallingFast', 'churnRisk', 'flags'];
const renewalRows = (r: RenewalsReport): Cell[][] =>
  r.renewals.map((x) => [
    x.renewalDate.slice(0, 10),
    x.accountId,
    x.name,
    x.arr,
    x.band,
    x.score,
    x.tier,
    x.trend?.change7d ?? null,
    x.trend ? String(x.trend.fallingFast) : null,
    x.churnRisk,
    x.flags.join(' '),
  ]);

export function renewalsCsv(r: RenewalsReport): string {
  return csv(RENEWAL_HEADER, renewalRows(r));
}

export function renewalsText(r: RenewalsReport): string {
  const bands = (['green', 'yellow', 'red', 'unscored'] as const).map((b) => [b, r.byBand[b].accounts, money(r.byBand[b].arr), pct(r.byBand[b].arrShare)]);
  const rows = renewalRows(r).map((row) => [row[0], row[1], money(row[3] as number), row[4], row[5], signed(row[7] as number | null), row[9], row[10]]);
  return [
    `Renewals due ${r.from} to ${r.to} (up to, not including): ${plural(r.total.accounts, 'account')}, ARR ${money(r.total.arr)} (as of ${r.asOf})`,
    '',
    textTable(['band', 'accounts', 'ARR', 'ARR share'], [...bands, ['total', r.total.accounts, money(r.total.arr), null]]),
    '',
    rows.length ? textTable(['renewal', 'account', 'ARR', 'band', 'score', '7d', 'churn risk', 'flags'], rows) : 'No renewals due in the window.',
    '',
    `The accounts of a band: GET ${r.byBand.red.query}`,
  ].join('\n');
}

/** Every change as one row: what changed, the account, and the columns that apply to it. */
const CHANGE_HEADER = ['change', 'account', 'arr', 'from', 'to', 'scoreThen', 'score', 'delta', 'flag', 'since', 'clearedAt', 'renewalDate'];
function changeRows(c: Changes): Cell[][] {
  const band = (kind: string, list: Changes['turnedRed']['accounts']) =>
    list.map((x) => [kind, x.accountId, x.arr, x.from, x.to, x.scoreThen, x.score, null, null, null, null, null]);
  const flag = (kind: string, list: Changes['flagsRaised']['accounts']) =>
    list.map((x) => [kind, x.accountId, null, null, null, null, null, null, x.flag, x.since, x.clearedAt ?? null, null]);
  const mover = (kind: string, list: Changes['movers']['up']) =>
    list.map((x) => [kind, x.accountId, x.arr, null, null, x.scoreThen, x.score, x.change, null, null, null, null]);
  return [
    ...band('turned-red', c.turnedRed.accounts),
    ...band('tier-drop', c.tierDrops.accounts),
    ...flag('flag-raised', c.flagsRaised.accounts),
    ...flag('flag-cleared', c.flagsCleared.accounts),
    ...mover('mover-up', c.movers.up),
    ...mover('mover-down', c.movers.down),
    ...c.renewalsEntering.accounts.map((x) => [
      'renewal-entering',
      x.accountId,
      x.arr,
      null,
      x.band,
      null,
      x.score,
      null,
      null,
      null,
      null,
      x.renewalDate.slice(0, 10),
    ]),
  ];
}

export function changesCsv(c: Changes): string {
  return csv(CHANGE_HEADER, changeRows(c));
}

export function changesText(c: Changes): string {
  const section = (title: string, figure: { count: number; arr: number }, header: string[], rows: Cell[][]) =>
    [`${title}: ${figure.count} (ARR ${money(figure.arr)})`, ...(rows.length ? [textTable(header, rows)] : []), ''].join('\n');
  const bandRows = (list: Changes['turnedRed']['accounts']) => list.map((x) => [x.accountId, money(x.arr), x.from, x.to, x.scoreThen, x.score]);
  const flagRows = (list: Changes['flagsRaised']['accounts']) => list.map((x) => [x.accountId, x.flag, x.since.slice(0, 16), x.clearedAt?.slice(0, 16)]);
  const moverRows = (list: Changes['movers']['up']) => list.map((x) => [x.accountId, money(x.arr), x.scoreThen, x.score, signed(x.change)]);
  const moves = { count: c.movers.up.length + c.movers.down.length, arr: [...c.movers.up, ...c.movers.down].reduce((t, m) => t + m.arr, 0) };
  return [
    `What changed from ${c.from} to ${c.asOf}`,
    '',
    section('Turned red', c.turnedRed, ['account', 'ARR', 'from', 'to', 'score then', 'score'], bandRows(c.turnedRed.accounts)),
    section('Tier drops', c.tierDrops, ['account', 'ARR', 'from', 'to', 'score then', 'score'], bandRows(c.tierDrops.accounts)),
    section('Flags raised', c.flagsRaised, ['account', 'flag', 'since', 'cleared'], flagRows(c.flagsRaised.accounts)),
    section('Flags cleared', c.flagsCleared, ['account', 'flag', 'since', 'cleared'], flagRows(c.flagsCleared.accounts)),
    section('Biggest movers', moves, ['account', 'ARR', 'score then', 'score', 'change'], [...moverRows(c.movers.up), ...moverRows(c.movers.down)]),
    section(
      'Renewals entering the 90-day window',
      c.renewalsEntering,
      ['renewal', 'account', 'ARR', 'band', 'score'],
      c.renewalsEntering.accounts.map((x) => [x.renewalDate.slice(0, 10), x.accountId, money(x.arr), x.band, x.score]),
    ),
  ]
    .join('\n')
    .trimEnd();
}
