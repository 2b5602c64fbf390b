import { buildSync, type Metafile } from 'esbuild';
import { mergeColdChunks } from './merge-cold-chunks.ts';
import { bundleOptions } from './options.ts';

/**
 * Builds a Lambda bundle into `outdir`: esbuild with lib/bundling/options.ts, split, then its cold part
 * merged into `index.mjs` (lib/bundling/merge-cold-chunks.ts). Returns the split build's metafile: which
 * source files each output carries, the cold part being the entry and the chunks it imports statically.
 */
export function buildBundle(options: Parameters<typeof bundleOptions>[0]): Metafile {
  const { metafile } = buildSync({ ...bundleOptions(options), metafile: true });
  mergeColdChunks(metafile, options.outdir);
  return metafile;
}
