import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { TendConfig } from '../functions/core/config.ts';
import { templateSources } from '../functions/core/templates/catalogue.ts';
import { PART_OPTIONS, partSources, type Part } from '../functions/core/templates/render.ts';

const PARTS: Part[] = ['subject', 'html', 'text'];

/**
 * The JavaScript of a module exporting every template (built-in and configured) precompiled, and
 * `wrap`, Handlebars' runtime making one ready to render. The runtime is imported here, by its
 * resolved path (the module is written outside the project in tests), so that the first email
 * loads it and the templates as one chunk.
 */
export function templatesModuleSource(templates: TendConfig['templates']): string {
  const runtime = createRequire(import.meta.url).resolve('handlebars/runtime');
  const entries = Object.entries(templateSources(templates)).map(([id, source]) => {
    const parts = partSources(source);
    const specs = PARTS.map((p) => `${p}: ${Handlebars.precompile(parts[p], PART_OPTIONS[p])}`);
    return `  ${JSON.stringify(id)}: { ${specs.join(', ')} }`;
  });
  return (
    `// Written at synth by lib/templates-module.ts from the built-in templates and tend.config.ts.\n` +
    `import Handlebars from ${JSON.stringify(runtime)};\nexport const wrap = (spec) => Handlebars.template(spec);\n` +
    `export const specs = {\n${entries.join(',\n')}\n};\n`
  );
}

/** The module esbuild injects: each template's needs, and the specs module behind a dynamic import (a chunk loaded by the first email). */
function bundledTemplatesSource(templates: TendConfig['templates'], specsFile: string): string {
  const needs = Object.fromEntries(Object.entries(templateSources(templates)).map(([id, source]) => [id, source.needs ?? []]));
  return `// Written at synth by lib/templates-module.ts (functions/core/templates/precompiled.ts reads it).\nexport const __TEND_TEMPLATES__ = { needs: ${JSON.stringify(needs)}, load: () => import(${JSON.stringify(`./${specsFile}`)}) };\n`;
}

/** Writes `text` to `dir/name` whole (a rename): concurrent synths of the same config write the same file. */
function writeWhole(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
  return file;
}

/**
 * Writes the precompiled templates where esbuild can inject them into a bundle, named by their
 * content: the specs, and the module to inject (returned), which imports them lazily.
 */
export function writeTemplatesModule(templates: TendConfig['templates'], dir: string): string {
  const source = templatesModuleSource(templates);
  const specsFile = `templates-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.specs.mjs`;
  writeWhole(dir, specsFile, source);
  const bundled = bundledTemplatesSource(templates, specsFile);
  return writeWhole(dir, `templates-${createHash('sha256').update(bundled).digest('hex').slice(0, 16)}.mjs`, bundled);
}
