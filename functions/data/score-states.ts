import { paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { dayOf } from '../core/clock.ts';
import type { BookFields, BookNote, ScoreState, ScoreStateRepo } from '../core/metrics/score-states.ts';
import type { ClearedFlag } from '../core/flags/cleared.ts';
import type { ActiveFlag } from '../core/flags/rules.ts';
import { batchWrite } from './batch.ts';
import { ttlIn } from './items.ts';
import { keys, TABLE_KEYS } from './keys.ts';

/** Days the states are kept: the review goes back 34 days, and reads the day before. */
const KEEP_DAYS = 40;
/** Characters of states per item: well under DynamoDB's 400 KB item. */
const CHUNK_CHARS = 300_000;

// A state as a short JSON tuple: the item's size is its write units (1 a KB), so no attribute
// names per account, times as base-36 milliseconds, bands as a letter, flags as tuples (0: none,
// when a later field follows), the account's book fields last (absent in states from before them).
type Flag = [string, string, string] | [string, string, string, string];
type Book = [number, string] | [number, string, string];
export type Tuple = [string, string, number | null, string | null, string | 0, number | '', (Flag[] | 0)?, (Flag[] | 0)?, Book?];
/** A book note: the account and time, then its book fields (none: it left the book). */
type NoteTuple = [string, string] | [string, string, ...Book];
/** An ISO time as base-36 milliseconds, when it reads back the same; anything else kept as written (it has a `-`). */
const time = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms.toString(36) : iso;
};
const isoOf = (t: string) => (t.includes('-') ? t : new Date(parseInt(t, 36)).toISOString());
const BANDS: Record<string, ScoreState['band']> = { g: 'green', y: 'yellow', r: 'red', n: null };
const DAY = 86_400_000;

/** A state as its compact tuple (also the rescorings' scored-today records: data/scored-today.ts). */
export function tupleOf(s: ScoreState): Tuple {
  const at = Date.parse(s.computedAt.slice(0, 10));
  const out: Tuple = [
    s.accountId,
    time(s.computedAt),
    s.score,
    s.tier,
    s.band === undefined ? 0 : s.band === null ? 'n' : s.band[0]!,
    s.firstDay ? Math.round((at - Date.parse(s.firstDay)) / DAY) : '',
  ];
  if (s.flags || s.clearedFlags || s.book) out.push(s.flags ? Object.entries(s.flags).map(([name, f]): Flag => [name, f.kind, time(f.since)]) : 0);
  if (s.clearedFlags || s.book)
    out.push(s.clearedFlags ? Object.entries(s.clearedFlags).map(([name, f]): Flag => [name, f.kind, time(f.since), time(f.clearedAt)]) : 0);
  if (s.book) out.push(bookTuple(s.book));
  return out;
}

const bookTuple = (b: BookFields): Book => (b.owner ? [b.arr, b.segment, b.owner] : [b.arr, b.segment]);
const bookOfTuple = ([arr, segment, owner]: Book): BookFields => ({ arr, segment, ...(owner ? { owner } : {}) });

/**
 * A day's states decode to tens of thousands of objects per review: built field by field (no
 * object spreads), with the times and first days met before taken from `seen` (a daily run's
 * flags share their start times). `scoresOnly`: the account, time and score alone (the day before a review).
 */
export function stateOfTuple(row: Tuple, seen: Map<string, string>, scoresOnly = false): ScoreState {
  const [accountId, at, score, tier, band, firstDay, flags, cleared, book] = row;
  const iso = (t: string) => {
    let out = seen.get(t);
    if (out === undefined) seen.set(t, (out = isoOf(t)));
    return out;
  };
  const computedAt = iso(at);
  const state: ScoreState = { accountId, computedAt, score, tier: scoresOnly ? null : tier };
  if (scoresOnly) return state;
  if (band !== 0) state.band = BANDS[band];
  if (firstDay !== '') {
    const key = `${computedAt.slice(0, 10)}-${firstDay}`;
    let day = seen.get(key);
    if (day === undefined) seen.set(key, (day = new Date(Date.parse(computedAt.slice(0, 10)) - firstDay * DAY).toISOString().slice(0, 10)));
    state.firstDay = day;
  }
  if (flags && flags.length) {
    const out: Record<string, ActiveFlag> = {};
    for (const [name, kind, since] of flags) out[name] = { kind, since: iso(since) } as ActiveFlag;
    state.flags = out;
  }
  if (cleared && cleared.length) {
    const out: Record<string, ClearedFlag> = {};
    for (const [name, kind, since, clearedAt] of cleared) out[name] = { kind, since: iso(since), clearedAt: iso(clearedAt!) } as ClearedFlag;
    state.clearedFlags = out;
  }
  if (book) state.book = bookOfTuple(book);
  return state;
}

const noteTuple = (n: BookNote): NoteTuple => (n.book ? [n.accountId, time(n.at), ...bookTuple(n.book)] : [n.accountId, time(n.at)]);
const noteOfTuple = ([accountId, at, ...book]: NoteTuple): BookNote => ({
  accountId,
  at: isoOf(at),
  ...(book.length ? { book: bookOfTuple(book as Book) } : {}),
});

/** The tuples (states or notes) cut into chunks of at most CHUNK_CHARS characters of JSON. */
function chunksOf<T>(rows: T[], tuple: (row: T) => unknown = tupleOf as (row: T) => unknown): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const s of rows) {
    const json = JSON.stringify(tuple(s));
    if (size + json.length > CHUNK_CHARS && current.length) {
      out.push(`[${current.join(',')}]`);
      [current, size] = [[], 0];
    }
    current.push(json);
    size += json.length + 1;
  }
  out.push(`[${current.join(',')}]`);
  return out;
}

// From the day the states are of, not the machine's clock: on the local runtime's fast clock the
// two differ by weeks, and states kept by wall time would expire (or outlive) the days they cover.
const expiry = (day: string) => ({ [TABLE_KEYS.ttl]: ttlIn(new Date(`${day}T00:00:00Z`), KEEP_DAYS) });

/** The items of the daily run's states of a shard (`put`), for a run that writes them with its other items (data/scoring-writes.ts). */
export function scoreStateRunItems(day: string, shard: number, states: ScoreState[], failed: string[]): Record<string, unknown>[] {
  const chunks = chunksOf(states);
  const write = randomUUID();
  return chunks.map((d, i) => ({ ...keys.scoreStateRun(day, shard, i), write, chunks: chunks.length, d, ...(i === 0 ? { failed } : {}), ...expiry(day) }));
}

/**
 * The score states (docs/data-model.md): one partition per day, `SCORESTATES#<day>`; the daily
 * run's states of a shard as `RUN#<shard>#<chunk>` (each chunk names the run's write and the
 * chunk count, so a retried write that shrank is told from its leftovers), a rescoring batch's
 * writes as `LOG#<time>#<id>` under the day they were computed, the metric upkeep's book notes as
 * `NOTE#<time>#<id>` under the day they were made. They expire after 40 days.
 */
export function scoreStates(db: DynamoDBDocumentClient, table: string): ScoreStateRepo {
  return {
    async put(day, shard, states, failed) {
      await batchWrite(
        db,
        table,
        scoreStateRunItems(day, shard, states, failed).map((Item) => ({ PutRequest: { Item } })),
      );
    },
    async log(states) {
      const byDay = new Map<string, ScoreState[]>();
      for (const s of states) {
        const day = dayOf(new Date(s.computedAt));
        byDay.set(day, [...(byDay.get(day) ?? []), s]);
      }
      for (const [day, ofDay] of byDay) {
        const last = ofDay.reduce((m, s) => (s.computedAt > m ? s.computedAt : m), '');
        for (const d of chunksOf(ofDay))
          await db.send(new PutCommand({ TableName: table, Item: { ...keys.scoreStateLog(day, last, randomUUID()), d, ...expiry(day) } }));
      }
    },
    async note(notes) {
      const byDay = new Map<string, BookNote[]>();
      for (const n of notes) byDay.set(dayOf(new Date(n.at)), [...(byDay.get(dayOf(new Date(n.at))) ?? []), n]);
      for (const [day, ofDay] of byDay) {
        const last = ofDay.reduce((m, n) => (n.at > m ? n.at : m), '');
        for (const d of chunksOf(ofDay, noteTuple))
          await db.send(new PutCommand({ TableName: table, Item: { ...keys.scoreStateNote(day, last, randomUUID()), d, ...expiry(day) } }));
      }
    },
    async read(day, options) {
      const seen = new Map<string, string>();
      const decode = (item: Record<string, unknown>) => (JSON.parse(String(item.d)) as Tuple[]).map((t) => stateOfTuple(t, seen, options?.scoresOnly));
      const runs = new Map<number, Record<string, unknown>[]>();
      const states: ScoreState[] = [];
      const failed: string[] = [];
      const notes: BookNote[] = [];
      for await (const page of paginateQuery(
        { client: db },
        { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.scoreStatePartition(day) } },
      ))
        for (const item of page.Items ?? []) {
          const run = /^RUN#(\d+)#/.exec(String(item.sk));
          if (run) runs.set(Number(run[1]), [...(runs.get(Number(run[1])) ?? []), item]);
          else if (String(item.sk).startsWith('NOTE#')) notes.push(...(JSON.parse(String(item.d)) as NoteTuple[]).map(noteOfTuple));
          else states.push(...decode(item));
        }
      const shards = new Set<number>();
      for (const [shard, items] of runs) {
        // The chunks of the newest write (chunk 0 says which): complete when all of them are there.
        const first = items.find((i) => String(i.sk).endsWith('#000'));
        if (!first) continue;
        const mine = items.filter((i) => i.write === first.write);
        for (const i of mine) states.push(...decode(i));
        failed.push(...((first.failed as string[] | undefined) ?? []));
        if (mine.length === Number(first.chunks)) shards.add(shard);
      }
      return { day, shards, states, failed, notes };
    },
  };
}
