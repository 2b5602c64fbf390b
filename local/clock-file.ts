import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

export function saveClock(stateDir: string, now: Date) {
  writeFileSync(clockFile(stateDir), JSON.stringify({ now: now.toISOString() }));
}
