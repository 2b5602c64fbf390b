import { splitAddress, type AggregateCut, type Counters } from '../core/metrics/contribution.ts';
import { keys } from './keys.ts';

/*
 * How the aggregate items (contribution.ts addresses: `cut|sk` → counters) are stored, so that one
 * change costs a few UpdateItems instead of one per address (docs/data-model.md, "Metric aggregates"),
 * each cut still in its own partition (`METRICS#<cut>`) so that reading one cut reads nothing of another:
 *
 * - Periods: one item per group and year (`Y#2026#<group>`) holds its 12 months, 4 quarters and the
 *   year, one attribute per counter named `<period>.<code>` (`M03.nA`: March's newArr; codes below,
 *   short because an item's every byte is paid on each write): a change in a month moves one item a
 *   cut, not three.
 * - The book now: the whole book's, segment's and plan's groups are few and fixed (`all`, 3 segments,
 *   3 plans, `none`), so one item (`METRICS#whole`, `N`) holds them all, attributes
 *   `<cut>|<group>|<counter>`; an owner's or cohort's (groups without a bound) keeps its `N#<group>` item.
 * - Start days (`T#day#group`) and renewal days (`R#day`, read by renewal-index.ts) keep an item each.
 *
 * Bounds, at their worst (every counter set, 15 digits each; tests/unit/metric-layout.test.ts): a year
 * item holds at most 17 periods x 15 counters, under 4 KB whatever the book; the book item 9 groups x
 * 9 counters, under 4 KB. More owners or cohorts make more items, never bigger ones.
 */

/** Short stored names of the period counters (contribution.ts `flowsOf`, `sentimentOf`); any other name is stored as it is. */
const CODES: Record<string, string> = {
  newArr: 'nA',
  newLogos: 'nL',
  reactivationArr: 'rA',
  reactivationLogos: 'rL',
  expansionArr: 'eA',
  contractionArr: 'cA',
  churnedArr: 'xA',
  churnedLogos: 'xL',
  npsResponses: 'nR',
  promoters: 'pP',
  passives: 'pS',
  detractors: 'dT',
  csatResponses: 'cR',
  csatSum: 'cS',
  csatSatisfied: 'cT',
};
const NAMES = Object.fromEntries(Object.entries(CODES).map(([name, code]) => [code, name]));
export const PERIOD_COUNTER_CODES = CODES;

/** Cuts whose groups are few and fixed: their book counters share one item. */
const BOOK_CUTS = new Set<string>(['whole', 'segment', 'plan']);
const BOOK_NOW = keys.metricAggregate('whole', 'N');

/** An address's sort key cut into its kind, its period key or day, and its group (the prefixes are fixed-width; a group may hold `#`). */
function partsOf(sk: string): { kind: 'P' | 'T' | 'N' | 'R'; at: string; group: string } {
  if (sk.startsWith('P#Y#')) return { kind: 'P', at: sk.slice(2, 8), group: sk.slice(9) };
  if (sk.startsWith('P#')) return { kind: 'P', at: sk.slice(2, 11), group: sk.slice(12) };
  if (sk.startsWith('T#')) return { kind: 'T', at: sk.slice(2, 12), group: sk.slice(13) };
  if (sk.startsWith('N#')) return { kind: 'N', at: '', group: sk.slice(2) };
  if (sk.startsWith('R#')) return { kind: 'R', at: sk.slice(2), group: '' };
  throw new Error(`not an aggregate sort key: ${sk}`);
}

/** A period key's name within its year's item: `M#2026-03` → `M03`, `Q#2026-Q1` → `Q1`, `Y#2026` → `Y`. */
const periodCode = (key: string) => (key[0] === 'M' ? `M${key.slice(7, 9)}` : key[0] === 'Q' ? key.slice(7, 9) : 'Y');
const periodKeyOf = (code: string, year: string) => (code[0] === 'M' ? `M#${year}-${code.slice(1)}` : code[0] === 'Q' ? `Q#${year}-${code}` : `Y#${year}`);

/** Where an address's counters are stored: the item's key, and how each counter's attribute is named. */
function slotOf(address: string): { pk: string; sk: string; name: (counter: string) => string } {
  const { cut, sk } = splitAddress(address);
  const { kind, at, group } = partsOf(sk);
  if (kind === 'P') {
    const prefix = `${periodCode(at)}.`;
    return { ...keys.metricAggregate(cut, `Y#${at.slice(2, 6)}#${group}`), name: (f) => prefix + (CODES[f] ?? f) };
  }
  if (kind === 'N' && BOOK_CUTS.has(cut)) return { ...BOOK_NOW, name: (f) => `${cut}|${group}|${f}` };
  return { ...keys.metricAggregate(cut, sk), name: (f) => f };
}

/** The stored items' attributes to add for a difference of addresses (`pk|sk` → key and attributes). */
export function storedUpdates(diff: Map<string, Counters>): Map<string, { key: { pk: string; sk: string }; counters: Counters }> {
  const out = new Map<string, { key: { pk: string; sk: string }; counters: Counters }>();
  for (const [address, counters] of diff) {
    const { pk, sk, name } = slotOf(address);
    const id = `${pk}|${sk}`;
    const entry = out.get(id) ?? { key: { pk, sk }, counters: {} };
    for (const [f, v] of Object.entries(counters)) entry.counters[name(f)] = (entry.counters[name(f)] ?? 0) + v;
    out.set(id, entry);
  }
  return out;
}

/** Whole stored items holding these addresses' counters (rebuild, and the benches' seeds). */
export const storedItemsOf = (items: Map<string, Counters>): Record<string, unknown>[] =>
  [...storedUpdates(items).values()].map(({ key, counters }) => ({ ...counters, ...key }));

/** The partition and sort key of the item holding a cut's book counters (`N` of `METRICS#whole` for the whole book, segment and plan). */
export const bookNowOf = (cut: AggregateCut): { pk: string; range: { eq: string } | { prefix: string } } =>
  BOOK_CUTS.has(cut) ? { pk: BOOK_NOW.pk, range: { eq: BOOK_NOW.sk } } : { pk: keys.metricPartition(cut), range: { prefix: 'N#' } };

/**
 * The addresses' sort keys and counters a stored item holds for one cut (the book item holds
 * three): the inverse of `storedUpdates`, what the readers had from the one-item-per-address layout.
 */
export function addressesOf(item: Record<string, unknown>, cut: AggregateCut): [string, Counters][] {
  const { pk, sk: rawSk, ...attributes } = item;
  const sk = String(rawSk);
  const book = pk === BOOK_NOW.pk && sk === BOOK_NOW.sk;
  if (!book && !sk.startsWith('Y#')) return [[sk, attributes as Counters]];
  const out = new Map<string, Counters>();
  for (const [name, value] of Object.entries(attributes)) {
    let addressSk: string;
    let counter: string;
    if (book) {
      // `<cut>|<group>|<counter>`: cuts and counters hold no `|`.
      const [i, j] = [name.indexOf('|'), name.lastIndexOf('|')];
      if (name.slice(0, i) !== cut) continue;
      [addressSk, counter] = [`N#${name.slice(i + 1, j)}`, name.slice(j + 1)];
    } else {
      // `<period code>.<counter code>` in the group's year item `Y#<year>#<group>`.
      const i = name.indexOf('.');
      const code = name.slice(i + 1);
      [addressSk, counter] = [`P#${periodKeyOf(name.slice(0, i), sk.slice(2, 6))}#${sk.slice(7)}`, NAMES[code] ?? code];
    }
    const c = out.get(addressSk) ?? {};
    c[counter] = Number(value);
    out.set(addressSk, c);
  }
  return [...out];
}

/** An item's size as DynamoDB counts it: names' bytes, strings' bytes, a number 1 byte per two significant digits plus 1. */
export function storedItemBytes(item: Record<string, unknown>) {
  let bytes = 0;
  for (const [name, v] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    bytes +=
      typeof v === 'number'
        ? Math.ceil(
            String(Math.abs(v))
              .replace(/[.-]/g, '')
              .replace(/^0+|0+$/g, '').length / 2,
          ) + 1
        : Buffer.byteLength(String(v));
  }
  return bytes;
}
