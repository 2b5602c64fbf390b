/** A run's part until its next Wait or its end, waiting for its turn: `lane` is the account it works on (none: the whole book). */
interface Segment {
  lane: string | undefined;
  order: string;
  go: () => void;
}

/**
 * The order in which runs go on while the clock stands still (the demo's and the tests' stepped
 * clock), so that a seed gives the same result on every run. Runs that become ready at one
 * moment (woken by the clock, or started by a handler) do not go at once: once nothing else runs
 * (no run's segment, no handler), they go in waves. A wave is either the first run that works
 * on the whole book (a scoring run, by name), alone, or else the first run of each account by
 * execution name, the accounts side by side. So two plays of one account never race for the
 * contact's frequency cap, and a play's step never reads a score the scoring run is writing:
 * which one goes first no longer depends on which request the local DynamoDB answered first.
 * With the clock running (`tend dev`), runs go at once, as on AWS.
 */
export class InstantOrder {
  private readonly waiting: Segment[] = [];
  private running = 0;
  private looking = false;

  constructor(
    /** True while the clock stands still (ordering applies). */
    private readonly ordered: () => boolean,
    /** True when no handler is being invoked (a handler under way may still start runs of this moment). */
    private readonly handlersIdle: () => boolean,
  ) {}

  /** Runs `go` (a segment) in its turn; call `ended()` when that segment stops (at a Wait or the run's end). */
  enter(lane: string | undefined, order: string, go: () => void): void {
    if (!this.ordered() && this.waiting.length === 0) {
      this.running++;
      return go();
    }
    this.waiting.push({ lane, order, go });
    this.look();
  }

  ended(): void {
    this.running--;
    this.look();
  }

  /** How many segments wait for their turn. */
  get pending(): number {
    return this.waiting.length;
  }

  /**
   * Looks (two event-loop turns later, so work set off at this moment has begun) whether nothing
   * runs, and if so lets the next wave go. Called on every change that may make the runtime quiet.
   */
  look(): void {
    if (this.looking || this.waiting.length === 0) return;
    this.looking = true;
    setImmediate(() =>
      setImmediate(() => {
        this.looking = false;
        if (this.running > 0 || !this.handlersIdle()) return;
        this.release();
      }),
    );
  }

  private release(): void {
    const waiting = this.waiting.splice(0);
    let wave: Segment[] = waiting;
    if (this.ordered()) {
      waiting.sort((a, b) =>
        (a.lane === undefined) === (b.lane === undefined) ? (a.order < b.order ? -1 : a.order > b.order ? 1 : 0) : a.lane === undefined ? -1 : 1,
      );
      const lanes = new Set<string>();
      wave = [];
      for (const s of waiting) {
        const goes = wave.length === 0 || (s.lane !== undefined && wave[0]!.lane !== undefined && !lanes.has(s.lane));
        if (goes) {
          wave.push(s);
          if (s.lane !== undefined) lanes.add(s.lane);
        } else this.waiting.push(s);
      }
    }
    this.running += wave.length;
    for (const s of wave) s.go();
  }
}

/** The account a run works on: the `accountId` of its input (a play's run), none for a run over the whole book. */
export function laneOf(input: unknown): string | undefined {
  const id = (input as { accountId?: unknown } | null)?.accountId;
  return typeof id === 'string' ? id : undefined;
}
