import { buildSync, transformSync, type Metafile } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { projectRoot } from './options.ts';

/** What a lazy chunk awaited at cold start needs, merged: a file beside the lazy chunks. */
const SHARED = 'cold-shared.mjs';

/**
 * Rewrites a split esbuild build in `dir` (its metafile given) so that a cold start loads one file, or two:
 * the entry and every chunk it imports statically become `index.mjs`; the chunks loaded lazily
 * (`import()`) keep their code and names, importing what they share with the cold part from `../index.mjs`.
 *
 * Why: esbuild's code splitting makes a chunk for each distinct set of entry points (a lazy import is
 * one) reaching a module, so a function whose lazy parts share different pieces of its cold part loads
 * that cold part as many small files (13 for the API), each costing ~0.7 ms to resolve, read and link.
 * esbuild has no option to keep in the entry what the entry loads anyway (Rollup does; it would be a
 * second bundler for this one rule). So, over the first build's output (plain ESM):
 * - an esbuild pass bundles the entry with its static chunks (scope-hoisted, as esbuild bundles any ESM;
 *   evaluated in ESM's order, each chunk before what imports it), re-exporting each chunk's exports under a
 *   name of its own (`c<n>$<export>`);
 * - each lazy chunk's imports of those chunks (esbuild writes them first, one regular statement each) are
 *   rewritten into imports of the new names from `index.mjs`; its code is left as it is.
 *
 * A lazy chunk imported by a top-level `await` while the entry is evaluated (the Tracer's,
 * functions/shared/tracer.ts) cannot import the entry: it would wait for the entry, which waits for it.
 * So the cold chunks such a chunk needs are merged apart, first, into `chunks/cold-shared.mjs` (which the
 * entry, and any lazy chunk needing them, imports). Which chunks await at top level: those esbuild refuses to
 * turn into CommonJS for that reason (a chunk awaiting anywhere at top level counts all its lazy imports).
 *
 * The cold part is then one module instance, the entry's: importers must load `index.mjs` by its plain
 * URL (Lambda does; the local runtime too, local/lambdas.ts).
 */
/** The outputs `from` load at import: themselves and every output they import statically, transitively (lazy `import()`s apart). */
export function staticClosure(outputs: Metafile['outputs'], from: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of outputs[o]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  from.forEach(visit);
  return seen;
}

export function mergeColdChunks(metafile: Metafile, dir: string): void {
  const outputs = metafile.outputs;
  const abs = (o: string) => resolve(projectRoot, o);
  const index = join(dir, 'index.mjs');
  const chunksDir = join(dir, 'chunks');
  const entry = Object.keys(outputs).find((o) => abs(o) === index);
  if (!entry) throw new Error(`no index.mjs in ${dir}`);
  const closure = (from: string[]) => staticClosure(outputs, from);
  const cold = closure([entry]);
  // A module both imported statically and lazily is a chunk of its own, whose namespace `import()` returns: left as it is.
  if (cold.size === 1 || [...cold].some((o) => o !== entry && outputs[o]!.entryPoint)) return;
  const fromChunks = (file: string) => {
    const path = relative(chunksDir, file);
    return path.startsWith('.') ? path : `./${path}`;
  };
  const lazy = Object.keys(outputs).filter((o) => !cold.has(o) && o.endsWith('.mjs'));
  const awaited = [...cold]
    .filter((o) => awaitsAtTopLevel(readFileSync(abs(o), 'utf8')))
    .flatMap((o) => outputs[o]!.imports.filter((i) => i.kind === 'dynamic-import' && outputs[i.path]).map((i) => i.path));
  const shared = new Set([...closure(awaited)].filter((o) => cold.has(o)));
  if (shared.has(entry)) throw new Error(`${dir}: a lazy chunk awaited at cold start imports the entry`);
  let k = 0;
  const chunk = (o: string) => ({ file: abs(o), exports: outputs[o]!.exports, prefix: `c${k++}$` });
  // In order: the shared part first (the entry's imports it, not the other way round).
  const groups = [
    { out: join(chunksDir, SHARED), chunks: [...shared].map(chunk) },
    { out: index, chunks: [...cold].filter((o) => o !== entry && !shared.has(o)).map(chunk), entry: abs(entry) },
  ].filter((g) => g.chunks.length || g.entry);
  const common = {
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    allowOverwrite: true,
    logLevel: 'warning',
  } as const;

  const temp = mkdtempSync(join(tmpdir(), 'tend-cold-'));
  try {
    const written: { path: string; contents: Uint8Array }[] = [];
    for (const [n, g] of groups.entries()) {
      const source = join(temp, `${n}.mjs`);
      writeFileSync(
        source,
        [
          ...(g.entry ? [`export * from ${JSON.stringify(g.entry)};`] : []),
          ...g.chunks.map((c) => `export { ${c.exports.map((e) => `${e} as ${c.prefix}${e}`).join(', ')} } from ${JSON.stringify(c.file)};`),
        ].join('\n'),
      );
      // Relative imports left external are written relative to outdir: the folder the group's file ends up in.
      const external = [...lazy.map(abs), ...groups.slice(0, n).map((earlier) => earlier.out)];
      const { outputFiles } = buildSync({ ...common, entryPoints: [source], outdir: dirname(g.out), external, write: false });
      written.push({ path: g.out, contents: outputFiles[0]!.contents });
      // From now on, in place of each of its chunks: a stand-in for the files still to build (every chunk sits in chunks/).
      for (const c of g.chunks) {
        if (dirname(c.file) !== chunksDir) throw new Error(`${c.file}: a chunk outside ${chunksDir}`);
        writeFileSync(c.file, `export { ${c.exports.map((e) => `${c.prefix}${e} as ${e}`).join(', ')} } from '${fromChunks(g.out)}';\n`);
      }
    }
    // Each lazy chunk's imports of cold chunks, now imports of their new names from the file they went into.
    const merged = new Map(groups.flatMap((g) => g.chunks.map((c) => [basename(c.file), { ...c, into: fromChunks(g.out) }] as const)));
    for (const file of lazy.map(abs)) {
      if (dirname(file) !== chunksDir) throw new Error(`${file}: a chunk outside ${chunksDir}`);
      written.push({ path: file, contents: Buffer.from(importingMerged(readFileSync(file, 'utf8'), merged, file)) });
    }
    for (const g of groups) for (const c of g.chunks) rmSync(c.file);
    for (const f of written) writeFileSync(f.path, f.contents);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * A lazy chunk's code with its imports of merged chunks rewritten: esbuild writes a chunk's imports first, each
 * `import{a as b,c}from"./chunk.mjs";` (after the banner of lib/bundling/options.ts), so they are read as a block
 * up to the first statement that is not one; a merged chunk's name anywhere after it fails the build.
 */
function importingMerged(code: string, merged: Map<string, { prefix: string; into: string }>, file: string): string {
  const banner = /^import\{createRequire as \w+\}from'node:module';const require=\w+\(import\.meta\.url\);\n?/.exec(code)?.[0] ?? '';
  const statement = /import\s*(?:\{([^}]*)\}\s*from\s*)?"([^"]+)";?/y;
  let at = banner.length;
  let out = banner;
  for (let m; (statement.lastIndex = at), (m = statement.exec(code)); at = statement.lastIndex) {
    const [text, names, specifier] = m;
    const target = specifier!.startsWith('./') ? merged.get(specifier!.slice(2)) : undefined;
    if (!target) out += text;
    else if (names === undefined) out += `import"${target.into}";`;
    else {
      const renamed = names.split(',').map((n) => {
        const [name, local] = n.trim().split(/\s+as\s+/);
        return `${target.prefix}${name} as ${local ?? name}`;
      });
      out += `import{${renamed.join(',')}}from"${target.into}";`;
    }
  }
  const rest = code.slice(at);
  for (const name of merged.keys()) if (rest.includes(name)) throw new Error(`${file}: imports ${name} past its leading imports`);
  return out + rest;
}

/** Whether an ES module awaits at top level: esbuild can turn it into CommonJS unless it does. */
function awaitsAtTopLevel(code: string): boolean {
  try {
    transformSync(code, { format: 'cjs', logLevel: 'silent' });
    return false;
  } catch (error) {
    if (/top-level await/i.test(String(error))) return true;
    throw error;
  }
}
