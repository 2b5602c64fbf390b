/**
 * The first email a cold function renders: import its templates and render one, in a fresh
 * process, precompiled at synth (what the sending Lambda does) against compiled from source
 * with the full Handlebars engine (what it would do otherwise). Both bundled by esbuild as the
 * Lambdas are.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { exampleTemplateContext } from '../functions/core/templates/example.ts';
import { writeTemplatesModule } from '../lib/templates-module.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const context = exampleTemplateContext();

export async function templatesBench() {
  // Under the project, so the entry points resolve handlebars from its node_modules.
  const dir = resolve('.tend/bench-templates');
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, 'run-'));
  const templates = writeTemplatesModule({}, work);
  const entries = {
    precompiled: `import { precompiledLibrary } from '${resolve('functions/core/templates/precompiled.ts')}';\nexport const first = (c) => precompiledLibrary().get('checkin-active').render(c);`,
    source: `import { sourceLibrary } from '${resolve('functions/core/templates/compile.ts')}';\nexport const first = (c) => sourceLibrary().get('checkin-active').render(c);`,
  };
  console.log(`\nFirst email of a cold function: import + render 'checkin-active' (median of ${RUNS} fresh processes)`);
  for (const [name, code] of Object.entries(entries)) {
    const entry = join(work, `${name}.ts`);
    writeFileSync(entry, code);
    const outfile = join(work, `${name}.mjs`);
    await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      outfile,
      inject: name === 'precompiled' ? [templates] : [],
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
      logLevel: 'error',
    });
    const script = `const t = performance.now(); const m = await import(${JSON.stringify(outfile)}); m.first(${JSON.stringify(context)}); process.stdout.write(String(performance.now() - t));`;
    const ms = median(Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))));
    console.log(`  ${name.padEnd(12)} ${String(statSync(outfile).size).padStart(8)} bytes ${ms.toFixed(2).padStart(8)} ms`);
  }
  rmSync(work, { recursive: true, force: true });
}
