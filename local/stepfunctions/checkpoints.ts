import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ExecutionStatus } from './runner.ts';

/** Where a run stands, enough to resume it: at its start, or at the Wait it is sleeping in. */
export interface Checkpoint {
  arn: string;
  name: string;
  machineArn: string;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** The state to resume at, with its input; `until` when it is a Wait. */
  at?: { state: string; input: unknown; until?: number };
}

/**
 * Executions on disk, one JSON file each, saved at every start, every Wait and every end
 * (atomically: write then rename). `tend dev` reloads them at start, so a run waiting for days
 * survives a restart and resumes at its Wait; a run caught mid-task resumes from its last
 * checkpoint, and the tasks' own idempotency (send ledger, run record) keeps it from acting twice.
 *
 * A save is written off the event loop (libuv's thread pool), after the turn it was made in: a
 * run saved twice meanwhile is written once, with its newest checkpoint. The demo saves thousands
 * of runs; writing each in place kept the runtime's thread on file-system calls. `flush()`
 * resolves once every save is on disk (the runtime waits for it when it stops).
 */
export class CheckpointStore {
  /** The newest checkpoint of each run not yet written, serialized when saved (the run's objects change afterwards). */
  private readonly due = new Map<string, { file: string; text: string }>();
  private writing?: Promise<void>;
  /** A write that failed (a full disk...): flush() reports it. */
  private failure: unknown;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(arn: string) {
    return join(this.dir, `${createHash('sha1').update(arn).digest('hex')}.json`);
  }

  save(checkpoint: Checkpoint): void {
    this.due.set(checkpoint.arn, { file: this.file(checkpoint.arn), text: JSON.stringify(checkpoint) });
    this.writing ??= this.writeDue();
  }

  /** Writes what is due, in rounds: a run saved again while its file is being written is written again after. */
  private async writeDue(): Promise<void> {
    try {
      await new Promise((resolve) => setImmediate(resolve));
      while (this.due.size > 0) {
        const round = [...this.due.values()];
        this.due.clear();
        await Promise.all(
          round.map(({ file, text }) =>
            writeFile(`${file}.tmp`, text)
              .then(() => rename(`${file}.tmp`, file))
              .catch((err: unknown) => void (this.failure ??= err)),
          ),
        );
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Resolves once every checkpoint saved so far is on disk; rejects with the first write that failed. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  load(): Checkpoint[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as Checkpoint);
  }
}
