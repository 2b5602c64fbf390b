import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore, type Checkpoint } from '../../local/stepfunctions/checkpoints.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'tend-checkpoints-'));
  dirs.push(dir);
  return { dir, store: new CheckpointStore(dir) };
}

const checkpoint = (arn: string, state: string, status: Checkpoint['status'] = 'RUNNING'): Checkpoint => ({
  arn,
  name: arn.split(':').pop()!,
  machineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:save',
  input: '{}',
  status,
  startDate: '2026-01-05T00:00:00.000Z',
  at: { state, input: { state } },
});

describe('local checkpoints: written off the event loop, the newest per run', () => {
  it('writes nothing in the turn of the save, and the newest checkpoint of each run once flushed', async () => {
    const { dir, store: s } = store();
    s.save(checkpoint('exec:a', 'Start'));
    s.save(checkpoint('exec:a', 'Wait1'));
    s.save(checkpoint('exec:b', 'Start'));
    expect(readdirSync(dir)).toEqual([]);
    await s.flush();
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const byArn = new Map(s.load().map((c) => [c.arn, c.at?.state]));
    expect(byArn).toEqual(
      new Map([
        ['exec:a', 'Wait1'],
        ['exec:b', 'Start'],
      ]),
    );
  });

  it('a save made while its run is being written is written after it, not lost', async () => {
    const { store: s } = store();
    s.save(checkpoint('exec:a', 'Start'));
    // The first round is under way after one turn; this save lands in the next round.
    await new Promise((r) => setImmediate(r));
    s.save(checkpoint('exec:a', 'Done', 'SUCCEEDED'));
    await s.flush();
    expect(s.load().map((c) => [c.arn, c.status, c.at?.state])).toEqual([['exec:a', 'SUCCEEDED', 'Done']]);
  });

  it('keeps what a checkpoint said when saved, though the run changes its objects afterwards', async () => {
    const { store: s } = store();
    const c = checkpoint('exec:a', 'Wait1');
    s.save(c);
    (c.at!.input as { state: string }).state = 'changed later';
    await s.flush();
    expect(s.load()[0]!.at!.input).toEqual({ state: 'Wait1' });
  });
});
