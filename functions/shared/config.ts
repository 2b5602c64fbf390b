import type { TendConfig } from '../core/config.ts';

// Set by esbuild's `define` at synth (lib/bundling/options.ts, lib/bundled-config.ts): the config
// synth validated, as JSON text. Absent when this module runs unbundled (tsx: tests, the CLI, bench).
declare const __TEND_CONFIG__: string | undefined;

/**
 * The user's tend.config.ts, validated.
 *
 * A Lambda bundle carries the config synth already parsed (synth fails on a bad one), so its cold
 * start neither builds the config schema nor runs it (with resolvePlays): that was ~15% of the API's
 * import time. `typeof` of the defined string folds to a constant, so esbuild drops the other
 * branch and the schema (with the play and score-model schemas) is not in the bundle at all.
 * Unbundled, this module imports tend.config.ts and parses it, as it always did.
 */
export const config: TendConfig =
  typeof __TEND_CONFIG__ === 'string'
    ? (JSON.parse(__TEND_CONFIG__) as TendConfig)
    : (await import('../core/config.ts')).parseConfig((await import('../../tend.config.ts')).default);
