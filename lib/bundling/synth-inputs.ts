import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../functions/core/config.ts';
import userConfig from '../../tend.config.ts';
import { writeBundledConfig } from '../bundled-config.ts';
import { writeTemplatesModule } from '../templates-module.ts';

let written: { config: string; templates: string } | undefined;

/**
 * The files synth bundles a function with (lib/app-stack.ts), from tend.config.ts: the parsed config,
 * and the precompiled templates (the play steps'). Tests and the bench rebuild a bundle with them, so
 * what they inspect is what synth builds (without the config, a bundle parses tend.config.ts at cold start).
 */
export function synthInputs(): { config: string; templates: string } {
  if (!written) {
    const config = parseConfig(userConfig);
    const dir = mkdtempSync(join(tmpdir(), 'tend-synth-inputs-'));
    written = { config: writeBundledConfig(config, dir), templates: writeTemplatesModule(config.templates, dir) };
  }
  return written;
}

/** Which functions synth gives the templates (lib/constructs/plays.ts: the steps send email). */
export const takesTemplates = (entry: string) => entry === 'functions/plays/handler.ts';
