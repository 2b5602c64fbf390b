import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { TendConfig } from '../functions/core/config.ts';

/** The construct context key under which AppStack gives its functions the bundled config's file. */
export const BUNDLED_CONFIG_CONTEXT = 'tend:bundled-config';

/**
 * Writes the config synth validated as JSON, for esbuild to define as `__TEND_CONFIG__` in every
 * bundle (functions/shared/config.ts): the functions then neither parse it nor carry its schema.
 * Named by its content, as the templates module is (concurrent synths write the same file). Fails
 * if the parsed config does not survive JSON (an `undefined` field, a Date...): the bundles would
 * not see the config the runtime parse gives.
 */
export function writeBundledConfig(config: TendConfig, dir: string): string {
  const json = JSON.stringify(config);
  if (!isDeepStrictEqual(JSON.parse(json), config))
    throw new Error('the parsed tend.config.ts does not survive JSON, so it cannot be bundled (lib/bundled-config.ts)');
  const file = join(dir, `config-${createHash('sha256').update(json).digest('hex').slice(0, 16)}.json`);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, json);
  renameSync(temp, file);
  return file;
}
