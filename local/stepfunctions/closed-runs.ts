import type { LocalExecution } from './runner.ts';

/** Closed runs whose detail (state history, output) is kept: enough for a person or a test to look at the last ones. */
export const KEEP_CLOSED_DETAIL = 1_000;

/**
 * Bounds what the runner keeps of closed runs. Every run stays known by its ARN, status, dates and
 * error (StartExecution refuses a used name, DescribeExecution answers `isRunning`, the demo counts
 * runs by play, DescribeExecution gives its input), but only the newest `keep` closed runs keep
 * their state history and output: a simulated year starts tens of thousands of runs, and their histories were most of
 * the runtime's memory growth per simulated day.
 */
export class ClosedRuns {
  private readonly detailed: LocalExecution[] = [];
  private head = 0;
  /** Closed runs whose detail was released. */
  released = 0;

  constructor(private readonly keep = KEEP_CLOSED_DETAIL) {}

  /** A run has closed: it keeps its detail until `keep` newer runs have closed. */
  add(exec: LocalExecution): void {
    this.detailed.push(exec);
    while (this.detailed.length - this.head > this.keep) {
      const old = this.detailed[this.head]!;
      this.detailed[this.head++] = undefined as never;
      // The input stays (small, and DescribeExecution answers it as given): history and output go.
      old.history = [];
      old.output = undefined;
      this.released++;
    }
    // Drop the released slots now and then (not at every close: a shift is linear).
    if (this.head > this.keep) {
      this.detailed.splice(0, this.head);
      this.head = 0;
    }
  }
}
