import { splitAddress, type AggregateCut, type Counters } from '../core/metrics/contribution.ts';
import { keys } from './keys.ts';

/*
 * How the aggregate items (contribution.ts addresses: `cut|sk` → counters) are stored, so that one
 * change costs a few UpdateItems instead of one per address (docs/data-model.md, "Metric aggregates"):
 *
 * - `book` (`METRICS#2#book`): the whole book, segment and plan. Their groups are few and fixed
 *   (`all`, 3 segments, 3 plans and `none`), so one item per period (`P#M#2026-03`), start day
 *   (`T#2026-03-05`) and the book now (`N`) holds them all, one attribute per counter named
 *   `<cut>|<group>|<counter>`. A change moves each of these items once, whatever the cuts it moves.
 * - `owner` and `cohort` (`METRICS#2#<cut>`): groups without a bound (hundreds of CSMs, a cohort a
 *   month), so never side by side in one item; instead one item per group and year (`Y#2026#<group>`)
 *   holds its 12 months, 4 quarters and the year, one attribute per counter named `<period>|<counter>`:
 *   a change in a month moves one item, not three. Start days (`T#day#group`) and the book (`N#group`)
 *   keep an item each.
 * - The renewal days (`whole|R#day`) stay where the book index reads them (`METRICS#whole`, renewal-index.ts).
 *
 * Bounds: a book item holds at most 8 groups x 15 counters (period), 8 x 9 (book) or 8 x (1 + the
 * day's starts) (start day): under 8 KB for any book; a group's year item at most 17 periods x 15
 * counters: under 16 KB whatever its size. More owners or cohorts make more items, never bigger ones.
 */

/** The families of stored items, one partition each. */
export const STORED_FAMILIES = ['book', 'owner', 'cohort'] as const;
export type StoredFamily = (typeof STORED_FAMILIES)[number];

/** The family a cut's counters are stored in (its partition: `keys.metricStoredPartition`). */
export const storedFamilyOf = (cut: AggregateCut): StoredFamily => (cut === 'owner' || cut === 'cohort' ? cut : 'book');

/** An address's sort key cut into its kind, its period key or day, and its group (the prefixes are fixed-width; a group may hold `#`). */
function partsOf(sk: string): { kind: 'P' | 'T' | 'N' | 'R'; at: string; group: string } {
  if (sk.startsWith('P#Y#')) return { kind: 'P', at: sk.slice(2, 8), group: sk.slice(9) };
  if (sk.startsWith('P#')) return { kind: 'P', at: sk.slice(2, 11), group: sk.slice(12) };
  if (sk.startsWith('T#')) return { kind: 'T', at: sk.slice(2, 12), group: sk.slice(13) };
  if (sk.startsWith('N#')) return { kind: 'N', at: '', group: sk.slice(2) };
  if (sk.startsWith('R#')) return { kind: 'R', at: sk.slice(2), group: '' };
  throw new Error(`not an aggregate sort key: ${sk}`);
}

/** Where an address's counters are stored: the item's key, and the prefix of each counter's attribute name. */
export function slotOf(address: string): { pk: string; sk: string; prefix: string } {
  const { cut, sk } = splitAddress(address);
  const { kind, at, group } = partsOf(sk);
  if (kind === 'R') return { ...keys.metricAggregate(cut, sk), prefix: '' };
  const family = storedFamilyOf(cut);
  if (family === 'book') return { ...keys.metricStored(family, kind === 'N' ? 'N' : `${kind}#${at}`), prefix: `${cut}|${group}|` };
  if (kind === 'P') return { ...keys.metricStored(family, `Y#${at.slice(2, 6)}#${group}`), prefix: `${at}|` };
  return { ...keys.metricStored(family, sk), prefix: '' };
}

/** The stored items' attributes to add for a difference of addresses (`pk|sk` → key and attributes). */
export function storedUpdates(diff: Map<string, Counters>): Map<string, { key: { pk: string; sk: string }; counters: Counters }> {
  const out = new Map<string, { key: { pk: string; sk: string }; counters: Counters }>();
  for (const [address, counters] of diff) {
    const { pk, sk, prefix } = slotOf(address);
    const id = `${pk}|${sk}`;
    const entry = out.get(id) ?? { key: { pk, sk }, counters: {} };
    for (const [f, v] of Object.entries(counters)) entry.counters[prefix + f] = (entry.counters[prefix + f] ?? 0) + v;
    out.set(id, entry);
  }
  return out;
}

/** Whole stored items holding these addresses' counters (rebuild, and the benches' seeds). */
export const storedItemsOf = (items: Map<string, Counters>): Record<string, unknown>[] =>
  [...storedUpdates(items).values()].map(({ key, counters }) => ({ ...counters, ...key }));

/**
 * The addresses' sort keys and counters a stored item holds, for one cut (`cut` given: a book item
 * holds three): the inverse of `slotOf`, what the readers had from the former one-item-per-address layout.
 */
export function addressesOf(item: Record<string, unknown>, cut: AggregateCut): [string, Counters][] {
  const { pk: rawPk, sk: rawSk, ...attributes } = item;
  const [pk, sk] = [String(rawPk), String(rawSk)];
  if (!pk.startsWith(keys.metricStoredPartition(''))) return [[sk, attributes as Counters]];
  const out = new Map<string, Counters>();
  const put = (addressSk: string, counter: string, value: unknown) => {
    const c = out.get(addressSk) ?? {};
    c[counter] = Number(value);
    out.set(addressSk, c);
  };
  const book = pk === keys.metricStoredPartition('book');
  for (const [name, value] of Object.entries(attributes)) {
    if (book) {
      // `<cut>|<group>|<counter>`: book groups and counters hold no `|`.
      const [i, j] = [name.indexOf('|'), name.lastIndexOf('|')];
      if (name.slice(0, i) !== cut) continue;
      const group = name.slice(i + 1, j);
      put(sk === 'N' ? `N#${group}` : `${sk}#${group}`, name.slice(j + 1), value);
    } else if (sk.startsWith('Y#')) {
      // `<period key>|<counter>` in the group's year item.
      const i = name.indexOf('|');
      put(`P#${name.slice(0, i)}#${sk.slice(7)}`, name.slice(i + 1), value);
    } else put(sk, name, value);
  }
  return [...out];
}
