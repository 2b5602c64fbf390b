import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { assemblyDir, loadTemplate, logicalIdOf, STACK } from './assembly.ts';

/**
 * A function's bundle in the test assembly, split as esbuild wrote it (lib/bundling/options.ts):
 * `loaded`, the entry and the chunks it imports statically (what a cold start reads), and `lazy`,
 * the chunks only a dynamic `import()` loads. File paths are relative to the asset folder.
 */
export function bundleOf(path: string): { loaded: Map<string, string>; lazy: Map<string, string> } {
  const resource = loadTemplate(STACK.app).Resources[logicalIdOf(STACK.app, path)] as unknown as { Metadata: Record<string, string> };
  const dir = join(assemblyDir(), resource.Metadata['aws:asset:path']!);
  const loaded = new Map<string, string>();
  const visit = (file: string) => {
    const name = relative(dir, file);
    if (loaded.has(name)) return;
    const text = readFileSync(file, 'utf8');
    loaded.set(name, text);
    // Static imports only: `from"./x.mjs"` or `import"./x.mjs"`, not `import("./x.mjs")`.
    for (const m of text.matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.mjs)"/g)) visit(resolve(dirname(file), m[1]!));
  };
  visit(join(dir, 'index.mjs'));
  const lazy = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    if (f.endsWith('.mjs') && !loaded.has(f)) lazy.set(f, readFileSync(join(dir, f), 'utf8'));
  return { loaded, lazy };
}

/** All the text a cold start of the function loads. */
export const loadedText = (path: string) => [...bundleOf(path).loaded.values()].join('\n');
