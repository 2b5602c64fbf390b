import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockSaver, saveClock, savedClock } from '../../local/clock-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir() {
  const dir = mkdtempSync(join(tmpdir(), 'tend-clock-'));
  dirs.push(dir);
  return dir;
}

describe('local clock file: saved off the event loop, the final time written in place', () => {
  it('writes the time it read, which the next start reads back', async () => {
    const dir = stateDir();
    const saver = clockSaver(dir, () => new Date('2026-03-02T10:00:00Z'));
    await saver.save();
    expect(savedClock(dir)?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('skips a save while one is under way, and last() leaves the newest time on disk', async () => {
    const dir = stateDir();
    let now = new Date('2026-03-02T10:00:00Z');
    let reads = 0;
    const saver = clockSaver(dir, () => (reads++, now));
    saver.save();
    saver.save();
    saver.save();
    expect(reads).toBe(1);
    now = new Date('2026-03-09T00:00:00Z');
    await saver.last();
    expect(savedClock(dir)?.toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });

  it('saves again once the write under way is done', async () => {
    const dir = stateDir();
    let now = new Date('2026-03-02T10:00:00Z');
    const saver = clockSaver(dir, () => now);
    await saver.save();
    expect(savedClock(dir)?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    now = new Date('2026-03-03T10:00:00Z');
    await saver.save();
    expect(savedClock(dir)?.toISOString()).toBe('2026-03-03T10:00:00.000Z');
  });

  // A process killed while a save is under way leaves what is on disk for the next `tend dev`.
  it('never leaves the file without a clock while a save is under way', async () => {
    const dir = stateDir();
    saveClock(dir, new Date('2026-03-02T10:00:00Z'));
    const saver = clockSaver(dir, () => new Date('2026-03-09T00:00:00Z'));
    const seen = new Set<string | undefined>();
    for (let i = 0; i < 100; i++) {
      let done = false;
      void saver.save().then(() => (done = true));
      while (!done) {
        seen.add(savedClock(dir)?.toISOString());
        await new Promise((r) => setImmediate(r));
      }
    }
    expect([...seen].filter((s) => s === undefined)).toEqual([]);
    expect(savedClock(dir)?.toISOString()).toBe('2026-03-09T00:00:00.000Z');
  });
});
