import { buildSync, type Metafile } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from './options.ts';

/**
 * Rewrites a split esbuild build in `dir` (its metafile given) so that a cold start loads one file:
 * the entry and every chunk it imports statically become `index.mjs`; the chunks loaded lazily
 * (`import()`) keep their code and names, importing what they share with the cold part from `../index.mjs`.
 *
 * Why: esbuild's code splitting makes a chunk for each distinct set of entry points (a lazy import is
 * one) reaching a module, so a function whose lazy parts share different pieces of its cold part loads
 * that cold part as many small files (13 for the API), each costing ~0.7 ms to resolve, read and link.
 * esbuild has no option to keep in the entry what the entry loads anyway (Rollup does; it would be a
 * second bundler for this one rule). So two more esbuild passes, over the first one's output (plain ESM):
 * - the entry bundled with its static chunks (scope-hoisted, as esbuild bundles any ESM; evaluated in
 *   ESM's order, each chunk before what imports it), re-exporting each chunk's exports under a name of its own;
 * - each lazy chunk bundled with, in place of each cold chunk it imports, a stand-in re-exporting those
 *   names from `index.mjs` under the chunk's own, so its imports become imports of the entry.
 * The cold part is then one module instance, the entry's: importers must load `index.mjs` by its plain
 * URL (Lambda does; the local runtime too, local/lambdas.ts).
 */
export function mergeColdChunks(metafile: Metafile, dir: string): void {
  const outputs = metafile.outputs;
  const abs = (o: string) => resolve(projectRoot, o);
  const index = join(dir, 'index.mjs');
  const entry = Object.keys(outputs).find((o) => abs(o) === index);
  if (!entry) throw new Error(`no index.mjs in ${dir}`);
  const cold = new Set<string>();
  const visit = (o: string) => {
    if (cold.has(o)) return;
    cold.add(o);
    for (const i of outputs[o]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(entry);
  const chunks = [...cold].filter((o) => o !== entry).map((o, k) => ({ file: abs(o), exports: outputs[o]!.exports, prefix: `c${k}$` }));
  if (!chunks.length) return;
  const lazy = Object.keys(outputs)
    .filter((o) => !cold.has(o) && o.endsWith('.mjs'))
    .map(abs);
  const common = { absWorkingDir: projectRoot, bundle: true, platform: 'node', format: 'esm', target: 'node22', minify: true, logLevel: 'warning' } as const;

  const temp = mkdtempSync(join(tmpdir(), 'tend-cold-'));
  try {
    const coldEntry = join(temp, 'index.mjs');
    writeFileSync(
      coldEntry,
      [
        `export * from ${JSON.stringify(index)};`,
        ...chunks.map((c) => `export { ${c.exports.map((e) => `${e} as ${c.prefix}${e}`).join(', ')} } from ${JSON.stringify(c.file)};`),
      ].join('\n'),
    );
    const merged = buildSync({ ...common, entryPoints: [coldEntry], outdir: dir, allowOverwrite: true, external: lazy, write: false });
    // In place of each cold chunk, for the lazy ones: its exports, under its names, from the entry.
    // Every chunk sits in chunks/ (options.ts), so a relative import there is one from the lazy chunks' folder.
    const chunksDir = join(dir, 'chunks');
    for (const c of chunks) {
      if (dirname(c.file) !== chunksDir) throw new Error(`${c.file}: a chunk outside ${chunksDir}`);
      writeFileSync(c.file, `export { ${c.exports.map((e) => `${c.prefix}${e} as ${e}`).join(', ')} } from '../index.mjs';\n`);
    }
    const rewritten = lazy.length
      ? buildSync({
          ...common,
          entryPoints: lazy,
          outdir: chunksDir,
          outbase: chunksDir,
          outExtension: { '.js': '.mjs' },
          allowOverwrite: true,
          external: [index, ...lazy],
          write: false,
        })
      : { outputFiles: [] };
    for (const c of chunks) rmSync(c.file);
    for (const f of [...merged.outputFiles, ...rewritten.outputFiles]) writeFileSync(f.path.replace(/\.js$/, '.mjs'), f.contents);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
