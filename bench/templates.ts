/**
 * The first email a cold function renders: import its templates and render one, in a fresh
 * process, precompiled at synth (what the sending Lambda does) against compiled from source
 * with the full Handlebars engine (what it would do otherwise). Both bundled by esbuild as the
 * Lambdas are, split: the precompiled templates and Handlebars' runtime are chunks the first email
 * imports (functions/core/templates/precompiled.ts), so their load is in the figure.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    precompiled: `import { precompiledLibrary } from '${resolve('functions/core/templates/precompiled.ts')}';\nexport const first = async (c) => (await precompiledLibrary().load('checkin-active')).render(c);`,
    source: `import { sourceLibrary } from '${resolve('functions/core/templates/compile.ts')}';\nexport const first = async (c) => (await sourceLibrary().load('checkin-active')).render(c);`,
  };
  console.log(`\nFirst email of a cold function: import + render 'checkin-active' (median of ${RUNS} fresh processes)`);
  for (const [name, code] of Object.entries(entries)) {
    const entry = join(work, `${name}.ts`);
    writeFileSync(entry, code);
    // Split as the Lambdas are: the precompiled templates and the runtime are chunks the first email loads.
    const outdir = join(work, name);
    const outfile = join(outdir, `${name}.mjs`);
    await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      outExtension: { '.js': '.mjs' },
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      outdir,
      inject: name === 'precompiled' ? [templates] : [],
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
      logLevel: 'error',
    });
    // Wall time, and the CPU time (user + system) the process spent: the steadier figure on a shared machine.
    const script =
      `const c = process.cpuUsage(); const t = performance.now(); const m = await import(${JSON.stringify(outfile)}); await m.first(${JSON.stringify(context)});` +
      `const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));`;
    const runs = Array.from(
      { length: RUNS },
      () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as number[],
    );
    const [ms, cpu] = [0, 1].map((k) => median(runs.map((r) => r[k]!)));
    const bytes = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.mjs'))
      .reduce((n, f) => n + statSync(join(outdir, f)).size, 0);
    console.log(`  ${name.padEnd(12)} ${String(bytes).padStart(8)} bytes ${ms!.toFixed(2).padStart(8)} ms wall ${cpu!.toFixed(2).padStart(8)} ms CPU`);
  }
  rmSync(work, { recursive: true, force: true });
}
