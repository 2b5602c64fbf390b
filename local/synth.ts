import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const SOURCES = ['functions', 'lib', 'workflows', 'tend.config.ts', 'package-lock.json'];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((f) => files(join(path, f)));
}

/** A hash of everything the assembly is built from: an unchanged project is not synthesized again. */
export function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of SOURCES.flatMap((s) => files(join(root, s))).sort()) h.update(relative(root, f)).update(readFileSync(f));
  return h.digest('hex');
}

/**
 * Synthesizes the CDK app (bundling every function with esbuild) into `outdir`, the same way
 * `cdk synth` does, unless the sources are unchanged since the last synth there.
 *
 * Without CDK's built-in CloudFormation validation: it was 5 of the synth's 8.6 s of CPU, and it
 * checks the templates, which the local runtime never deploys. `cdk synth` and `cdk deploy` still
 * run it, and tests/cdk/validate.test.ts runs the same engine over the same templates in CI.
 */
export async function synthesize(outdir: string, options: { force?: boolean } = {}): Promise<{ outdir: string; cached: boolean }> {
  const stamp = join(outdir, '.tend-source-hash');
  const hash = sourceHash();
  if (!options.force && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return { outdir, cached: true };
  const { buildApp } = await import('../lib/app.ts');
  buildApp({ outdir, validation: false }).synth();
  writeFileSync(stamp, hash);
  return { outdir, cached: false };
}
