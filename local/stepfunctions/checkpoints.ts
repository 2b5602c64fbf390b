import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
 * Executions on disk, one JSON file each, written at every start, every Wait and every end
 * (atomically: write then rename). `tend dev` reloads them at start, so a run waiting for days
 * survives a restart and resumes at its Wait; a run caught mid-task resumes from its last
 * checkpoint, and the tasks' own idempotency (send ledger, run record) keeps it from acting twice.
 */
export class CheckpointStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(arn: string) {
    return join(this.dir, `${createHash('sha1').update(arn).digest('hex')}.json`);
  }

  save(checkpoint: Checkpoint): void {
    const file = this.file(checkpoint.arn);
    writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
    renameSync(`${file}.tmp`, file);
  }

  load(): Checkpoint[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as Checkpoint);
  }
}
