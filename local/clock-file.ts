import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
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

export function saveClock(stateDir: string, now: Date) {
  writeFileSync(clockFile(stateDir), clockText(now));
}

/**
 * The every-second save of `tend dev` and the demo, written off the event loop (libuv's thread
 * pool): a synchronous write held the runtime's thread while a busy disk answered (3% of the
 * thread's samples in a demo's steady days on a loaded machine). A save while one is under way is skipped (the next carries a newer time);
 * `last()` waits for it, then writes the final time in place.
 */
export function clockSaver(stateDir: string, now: () => Date) {
  let writing: Promise<void> | undefined;
  return {
    /** Starts a save unless one is under way; resolves when the one under way is written. */
    save(): Promise<void> {
      writing ??= writeFile(clockFile(stateDir), clockText(now()))
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
