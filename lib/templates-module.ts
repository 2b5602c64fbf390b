import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { TendConfig } from '../functions/core/config.ts';
import { templateSources } from '../functions/core/templates/catalogue.ts';
import { PART_OPTIONS, partSources, type Part } from '../functions/core/templates/render.ts';

const PARTS: Part[] = ['subject', 'html', 'text'];

/** The JavaScript of a module exporting every template (built-in and configured) precompiled. */
export function templatesModuleSource(templates: TendConfig['templates']): string {
  const entries = Object.entries(templateSources(templates)).map(([id, source]) => {
    const parts = partSources(source);
    const specs = PARTS.map((p) => `${p}: ${Handlebars.precompile(parts[p], PART_OPTIONS[p])}`);
    return `  ${JSON.stringify(id)}: { needs: ${JSON.stringify(source.needs ?? [])}, ${specs.join(', ')} }`;
  });
  return `// Written at synth by lib/templates-module.ts from the built-in templates and tend.config.ts.\nexport const __TEND_TEMPLATES__ = {\n${entries.join(',\n')}\n};\n`;
}

/**
 * Writes the precompiled templates where esbuild can inject them into a bundle, named by their
 * content (concurrent synths of the same config write the same file; a rename makes each write whole).
 */
export function writeTemplatesModule(templates: TendConfig['templates'], dir: string): string {
  const source = templatesModuleSource(templates);
  const file = join(dir, `templates-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.mjs`);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, source);
  renameSync(temp, file);
  return file;
}
