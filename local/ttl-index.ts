/**
 * The items of a table that carry a TTL, by expiry: what the local TTL sweeper deletes, found
 * without scanning the table. A min-heap of (expiry, key) with lazy removal: an entry counts
 * only while the key's current expiry is still the one it was pushed with.
 */
export class TtlIndex {
  private readonly expiries = new Map<string, number>();
  private readonly heap: { at: number; key: string }[] = [];

  get size(): number {
    return this.expiries.size;
  }

  /** The item under `key` now expires at `at` (epoch seconds), or has no TTL (undefined). */
  set(key: string, at: number | undefined): void {
    if (at === undefined || !Number.isFinite(at)) {
      this.expiries.delete(key);
      return;
    }
    if (this.expiries.get(key) === at) return;
    this.expiries.set(key, at);
    this.push({ at, key });
  }

  delete(key: string): void {
    this.expiries.delete(key);
  }

  expiryOf(key: string): number | undefined {
    return this.expiries.get(key);
  }

  /** Up to `limit` keys whose expiry is before `now` (epoch seconds), earliest first; they stay indexed. */
  expired(now: number, limit: number): string[] {
    const found = new Map<string, { at: number; key: string }>();
    while (found.size < limit && this.heap.length > 0 && this.heap[0]!.at < now) {
      const top = this.pop()!;
      if (this.expiries.get(top.key) === top.at) found.set(top.key, top);
    }
    // Still indexed until the caller deletes or re-sets them.
    for (const entry of found.values()) this.insert(entry);
    return [...found.keys()];
  }

  private push(entry: { at: number; key: string }): void {
    // Stale entries (a key re-set to a later expiry) are dropped when the heap outgrows the index.
    if (this.heap.length > 2 * this.expiries.size + 1024) this.compact();
    this.insert(entry);
  }

  private insert(entry: { at: number; key: string }): void {
    const h = this.heap;
    h.push(entry);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private compact(): void {
    const live = [...this.expiries].map(([key, at]) => ({ at, key }));
    this.heap.length = 0;
    for (const entry of live) this.insert(entry);
  }

  private pop(): { at: number; key: string } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}
