/**
 * One global order from sharded sorted partitions (the account list's index, docs/data-model.md
 * "Sorted account lists"): each shard read a few entries at a time after the position, the
 * heads merged, an entry given out only once every shard has been read past it. A filter drops
 * entries inside the reads, so the reads stop at a budget of entries examined and the page may
 * come back short, with a cursor that is a position in the order (lane and key), never an offset.
 */

/** An entry a shard read gave back (it passed the filter): its sort key and account. */
export interface MergeEntry {
  key: string;
  id: string;
}

export interface ShardRead {
  entries: MergeEntry[];
  /** The last key the read examined (filtered out or not), when the shard may hold more after it. */
  next?: string;
  /** Entries examined, given back or not (DynamoDB's ScannedCount). */
  examined: number;
}

/** Reads up to `limit` entries of one shard of a lane, strictly after `after` in the lane's direction. */
export type ReadShard = (lane: number, shard: number, after: string | undefined, limit: number) => Promise<ShardRead>;

export interface MergeOptions {
  shards: number;
  /** The lanes in order; a lane's direction says how its keys compare. */
  lanes: { descending: boolean }[];
  limit: number;
  /** Where the page starts (undefined: the first page). */
  from?: { lane: number; after?: string };
  /** Entries examined at most before a short page is given back: the first round of reads always goes, later ones share what is left. */
  budget: number;
  /** Rounds of reads at most (each round reads every shard that needs reading, together). */
  maxRounds: number;
  /** The most entries one read asks for. */
  maxRead: number;
}

export interface MergePage {
  entries: MergeEntry[];
  /** Where the next page starts (`after` undefined: at the lane's start); undefined when the list is done. */
  next?: { lane: number; after?: string };
  reads: number;
  examined: number;
}

/** DynamoDB orders string keys by their UTF-8 bytes, which is code point order (JS's `<` compares UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

interface ShardState {
  buffer: MergeEntry[];
  /** The last key examined: every entry of the shard up to it is read. */
  frontier?: string;
  done: boolean;
  nextLimit: number;
}

/**
 * One page: `limit` entries in order (fewer if the budget or the rounds ran out first) and where
 * the next starts. It asks for `limit + 1` so that it knows whether another page exists.
 */
export async function mergePage(read: ReadShard, o: MergeOptions): Promise<MergePage> {
  const out: MergeEntry[] = [];
  // The lane of the last entry given out: the one after it (proof of a next page) may be in the next lane.
  let lastLane = 0;
  let reads = 0;
  let examined = 0;
  let rounds = 0;
  let lane = o.from?.lane ?? 0;
  let after = o.from?.after;
  // A shard's first read asks for its share of the page and a little more (shards are hashed, so even).
  const firstRead = Math.min(o.maxRead, Math.ceil((o.limit + 1) / o.shards) + 2);
  while (lane < o.lanes.length) {
    const sign = o.lanes[lane]!.descending ? -1 : 1;
    const cmp = (a: string, b: string) => sign * compareKeys(a, b);
    const shards: ShardState[] = Array.from({ length: o.shards }, () => ({ buffer: [], frontier: after, done: false, nextLimit: firstRead }));
    let laneRounds = 0;
    for (;;) {
      // Give out what no unread part of any shard can precede.
      for (;;) {
        let head: ShardState | undefined;
        for (const s of shards) if (s.buffer.length && (!head || cmp(s.buffer[0]!.key, head.buffer[0]!.key) < 0)) head = s;
        if (!head) break;
        const key = head.buffer[0]!.key;
        if (shards.some((s) => !s.done && !s.buffer.length && (s.frontier === undefined || cmp(s.frontier, key) < 0))) break;
        out.push(head.buffer.shift()!);
        if (out.length > o.limit) {
          out.pop();
          return { entries: out, next: { lane: lastLane, after: out[out.length - 1]!.key }, reads, examined };
        }
        lastLane = lane;
      }
      // Nothing left to wait for: every shard of the lane is read to its end and given out.
      if (!shards.some((s) => !s.done && !s.buffer.length)) break;
      if (rounds > 0 && (examined >= o.budget || rounds >= o.maxRounds)) {
        // Out of budget: the position every shard of the lane has been read up to (each was read in it, so it moved on).
        if (!laneRounds) return { entries: out, next: { lane, ...(after === undefined ? {} : { after }) }, reads, examined };
        let position: string | undefined;
        for (const s of shards) if (!s.done && (position === undefined || cmp(s.frontier!, position) < 0)) position = s.frontier;
        return { entries: out, next: { lane, after: position! }, reads, examined };
      }
      // A round reads every shard that is dry or running low (fewer than its share of what the page still
      // needs), not only the one that blocks: otherwise the shards would run dry one round after another.
      const active = shards.filter((s) => !s.done).length;
      const low = Math.ceil((o.limit + 1 - out.length) / active);
      const reading = shards.filter((s) => !s.done && s.buffer.length < low);
      // Later rounds share what is left of the budget, so one round cannot overrun it far.
      const share = rounds > 0 ? Math.max(1, Math.floor((o.budget - examined) / reading.length)) : o.maxRead;
      rounds++;
      laneRounds++;
      await Promise.all(
        shards.map(async (s, shard) => {
          if (!reading.includes(s)) return;
          const page = await read(lane, shard, s.frontier, Math.min(s.nextLimit, share));
          reads++;
          examined += page.examined;
          s.buffer.push(...page.entries);
          if (page.next === undefined) s.done = true;
          else s.frontier = page.next;
          s.nextLimit = Math.min(o.maxRead, s.nextLimit * 2);
        }),
      );
    }
    lane++;
    after = undefined;
  }
  return { entries: out, reads, examined };
}
