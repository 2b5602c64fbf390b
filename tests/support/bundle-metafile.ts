import { build, type Metafile } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleOptions, projectRoot } from '../../lib/bundling/options.ts';
import { synthInputs, takesTemplates } from '../../lib/bundling/synth-inputs.ts';

type Output = Metafile['outputs'][string];

/**
 * A function's bundle built as synth builds it (with the config and templates synth gives it; not written):
 * the metafile of its split build, before its cold part is merged into one file (lib/bundling/bundle.ts).
 * A file is in the cold start if it is in the entry's output or in a chunk the entry imports statically.
 */
export async function metafileOf(entry: string): Promise<Metafile> {
  const outdir = mkdtempSync(join(tmpdir(), 'tend-bundle-'));
  const { config, templates } = synthInputs();
  try {
    const options = bundleOptions({ entry: join(projectRoot, entry), outdir, config, templates: takesTemplates(entry) ? templates : undefined });
    return (await build({ ...options, write: false, metafile: true })).metafile;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The bundle's entry output (what the Lambda's cold start loads first). */
export const isEntry = (_: Output, path: string) => /(^|\/)index\.mjs$/.test(path);

/** The outputs `from` selects and those they import statically, transitively (leaving out `without`). */
export function outputsLoaded(metafile: Metafile, from: (o: Output, path: string) => boolean, without = new Set<string>()): Set<string> {
  const outputs = metafile.outputs;
  const seen = new Set<string>();
  const visit = (o: string) => {
    if (seen.has(o) || without.has(o)) return;
    seen.add(o);
    for (const i of outputs[o]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  Object.keys(outputs)
    .filter((o) => from(outputs[o]!, o))
    .forEach(visit);
  return seen;
}

/** The source files those outputs carry. */
export function filesLoaded(metafile: Metafile, from: (o: Output, path: string) => boolean, without = new Set<string>()): Set<string> {
  return new Set([...outputsLoaded(metafile, from, without)].flatMap((o) => Object.keys(metafile.outputs[o]!.inputs)));
}
