import type { BuildOptions } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundledOpenApi } from '../bundled-openapi.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The esbuild options of every Lambda bundle (Node.js 22, ESM, minified and tree-shaken, the SDK
 * clients included: the version we test is the version that runs).
 *
 * Code splitting: what a handler imports lazily (`import()`, e.g. the SSM client that reads the
 * signing key once per container, functions/adapters/signing-key.ts) goes to its own chunk, loaded
 * on first use instead of parsed at every cold start. The entry is `index.mjs`; chunks sit in `chunks/`.
 * esbuild splits what the entry shares with its lazy parts into many small chunks, each a file a cold
 * start loads: lib/bundling/bundle.ts builds with these options, then merges them into the entry.
 * esbuild gives a file to the chunks of every entry whose imports reach it, used or not, so code only a
 * lazy part uses, behind a package index the cold part imports too (@aws-sdk/core's protocols), still
 * lands in the cold start: ~22 KB of the SES client's in the play steps', ~6 KB in the API's.
 * The API's route modules (functions/api/served) are such imports, one chunk each. esbuild splits by
 * file: a file the entry imports, even for one constant, puts every file it imports in the cold start,
 * hence the schema-only modules the route list imports and functions/shared/deps-base.ts.
 * functions/package.json declares the project's modules free of import side effects (but the few
 * listed there): esbuild then leaves out a module none of whose exports a bundle uses, with its
 * imports (an SDK client a composition module would build), instead of keeping its top-level code.
 *
 * `config`: the JSON of the config synth validated (lib/bundled-config.ts), defined as
 * `__TEND_CONFIG__` so the bundle uses it as is instead of parsing tend.config.ts at cold start
 * (functions/shared/config.ts). Without it the bundle parses tend.config.ts when loaded. With it
 * the API's OpenAPI document is generated here too, `__TEND_OPENAPI__` (functions/api/openapi.ts).
 */
export function bundleOptions(options: { entry: string; outdir: string; templates?: string; config?: string }): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    entryPoints: { index: options.entry },
    outdir: options.outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: false,
    mainFields: ['module', 'main'],
    // Env credentials only: the default chain's other providers pull in SSO/STS clients Lambda never uses.
    alias: { '@aws-sdk/credential-provider-node': './lib/bundling/lambda-credentials.ts' },
    // CommonJS dependencies (handlebars) call require(); give each ESM file one.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    // Binds `__TEND_TEMPLATES__` in functions/core/templates/precompiled.ts to the synth's templates.
    inject: options.templates ? [options.templates] : [],
    // A JSON string literal: `typeof` of it folds, so the parsing branch is dropped from the bundle.
    // `__TEND_OPENAPI__` likewise: the API's document generated from the same config (lib/bundled-openapi.ts).
    define: options.config
      ? { __TEND_CONFIG__: JSON.stringify(readFileSync(options.config, 'utf8')), __TEND_OPENAPI__: JSON.stringify(bundledOpenApi(options.config)) }
      : {},
    logLevel: 'warning',
  };
}
