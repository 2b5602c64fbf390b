import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local clock kept under the data folder (`state/clock.json`): `tend dev` saves it every
 * second and on stopping, and starts from it next time unless told `--from`.
 */
const clockFile = (stateDir: string) => join(stateDir, 'clock.json');

export function savedClock(stateDir: string): Date | undefined {
  if (!existsSync(clockFile(stateDir))) return undefined;
  try {
    const at = new Date((JSON.parse(readFileSync(clockFile(stateDir), 'utf8')) as { now: string }).now);
    return Number.isNaN(at.getTime()) ? undefined : at;
  } catch {
    return undefined;
  }
}

const clockText = (now: Date) => JSON.stringify({ now: now.toISOString() });

/** A temporary file beside the clock, renamed over it: the clock file always holds a whole clock. */
const temporaryOf = (stateDir: string) => `${clockFile(stateDir)}.${process.pid}.tmp`;

export function saveClock(stateDir: string, now: Date) {
  writeFileSync(temporaryOf(stateDir), clockText(now));
  renameSync(temporaryOf(stateDir), clockFile(stateDir));
}

/**
 * The every-second save of `tend dev` and the demo, written off the event loop (libuv's thread
 * pool): a synchronous write held the runtime's thread while a busy disk answered (3% of the
 * thread's samples in a demo's steady days on a loaded machine). A save while one is under way is skipped (the next carries a newer time);
 * `last()` waits for it, then writes the final time. Each save writes a temporary file renamed
 * over the clock: writing in place truncates it first, and a process killed meanwhile would leave
 * no clock, so the next start would begin at the real time.
 */
export function clockSaver(stateDir: string, now: () => Date) {
  let writing: Promise<void> | undefined;
  return {
    /** Starts a save unless one is under way; resolves when the one under way is written. */
    save(): Promise<void> {
      writing ??= writeFile(temporaryOf(stateDir), clockText(now()))
        .then(() => rename(temporaryOf(stateDir), clockFile(stateDir)))
        .catch(() => {}) // a failed save is retried a second later, as before
        .finally(() => (writing = undefined));
      return writing;
    },
    async last() {
      await writing;
      saveClock(stateDir, now());
    },
  };
}
