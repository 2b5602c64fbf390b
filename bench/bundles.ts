/**
 * Bundles: for each Lambda, the bytes its cold start loads (the entry and the chunks it imports
 * statically; lazily imported chunks apart) and the time to import it in a fresh Node process,
 * side by side with a reference bundle built by esbuild with the same options from a module that
 * only imports and instantiates the SDK clients the function's static part contains.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CloudAssembly } from '../local/assembly.ts';
import { LambdaHost } from '../local/lambdas.ts';
import { synthesize } from '../local/synth.ts';
import { bundleOptions, projectRoot } from '../lib/bundling/options.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The SDK packages a reference bundle instantiates, with the class it makes. */
const SDK_CLIENTS: Record<string, string> = {
  'client-dynamodb': 'DynamoDBClient',
  'client-sesv2': 'SESv2Client',
  'client-sfn': 'SFNClient',
  'client-eventbridge': 'EventBridgeClient',
  'client-ssm': 'SSMClient',
  'client-lambda': 'LambdaClient',
};

function importMs(file: string, env: Record<string, string>): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' }));
}

/** A bundle file and the files it imports statically (`import ... from "./x.mjs"`, not `import("./x.mjs")`). */
function staticFiles(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.mjs)"/g)) staticFiles(resolve(dirname(file), m[1]!), seen);
  return seen;
}

/** The SDK packages in the statically loaded part of an entry's bundle, from esbuild's metafile. */
async function sdkPackagesOf(entry: string, outdir: string): Promise<string[]> {
  const { metafile } = await build({ ...bundleOptions({ entry: join(projectRoot, entry), outdir }), write: false, metafile: true });
  const outputs = metafile.outputs;
  const main = Object.keys(outputs).find((o) => outputs[o]!.entryPoint);
  const loaded = new Set<string>();
  const visit = (o: string) => {
    if (loaded.has(o)) return;
    loaded.add(o);
    for (const i of outputs[o]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(main!);
  const packages = new Set<string>();
  for (const o of loaded)
    for (const input of Object.keys(outputs[o]!.inputs)) {
      const m = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)\//.exec(input);
      if (m) packages.add(m[1]!);
    }
  return [...packages].sort();
}

/** The reference: the same SDK clients, instantiated, bundled with the same esbuild options. */
async function referenceBundle(packages: string[], dir: string): Promise<string> {
  const clients = packages.filter((p) => SDK_CLIENTS[p]);
  const lines = clients.map((p) => `import { ${SDK_CLIENTS[p]} } from '@aws-sdk/${p}';`);
  const made = clients.map((p) =>
    p === 'client-dynamodb' && packages.includes('lib-dynamodb') ? 'DynamoDBDocumentClient.from(new DynamoDBClient({}))' : `new ${SDK_CLIENTS[p]}({})`,
  );
  if (packages.includes('lib-dynamodb')) lines.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
  const entry = join(dir, 'clients.ts');
  writeFileSync(entry, `${lines.join('\n')}\nconst clients = [${made.join(', ')}];\nexport const handler = async () => clients.length;\n`);
  await build(bundleOptions({ entry, outdir: join(dir, 'out') }));
  return join(dir, 'out', 'index.mjs');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export async function bundlesBench() {
  const outdir = resolve('.tend/cdk.out');
  await synthesize(outdir);
  const assembly = new CloudAssembly(outdir);
  const work = resolve('.tend/bench-bundles');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const empty = join(work, 'empty.mjs');
  writeFileSync(empty, 'export const handler = async () => {};\n');
  // Each function's own environment from the template (resolved to local names), as at a cold start.
  const host = new LambdaHost(assembly, { AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'WARN', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  const env = { AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const baseline = median(Array.from({ length: RUNS }, () => importMs(empty, env)));
  console.log(
    `\nLambda bundles (ESM, minified, split; import time = median of ${RUNS} fresh processes, node ${process.version}; empty module ${baseline.toFixed(1)} ms)`,
  );
  console.log(`  "loaded" = the entry and the chunks it imports statically; "lazy" = chunks loaded on first use only.`);
  console.log(`  "SDK alone" = esbuild, same options, of a module that only instantiates the function's SDK clients.`);
  console.log(
    `  ${'function'.padEnd(28)} ${'loaded'.padStart(8)} ${'lazy'.padStart(8)} ${'import ms'.padStart(10)} ${'SDK alone'.padStart(10)} ${'ratio'.padStart(6)}  SDK clients`,
  );
  for (const { logicalId, resource } of assembly.resources('AWS::Lambda::Function')) {
    const entry = resource.Metadata?.['tend:entry'];
    if (typeof entry !== 'string') continue;
    const fn = host.byLogicalId(logicalId);
    const dir = join(work, logicalId);
    mkdirSync(dir, { recursive: true });
    const packages = await sdkPackagesOf(entry, join(dir, 'probe'));
    const reference = await referenceBundle(packages, dir);
    const loaded = staticFiles(fn.bundle);
    const assetFiles = readdirSync(dirname(fn.bundle), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => join(dirname(fn.bundle), f));
    const loadedBytes = [...loaded].reduce((n, f) => n + statSync(f).size, 0);
    const lazyBytes = assetFiles.filter((f) => !loaded.has(f)).reduce((n, f) => n + statSync(f).size, 0);
    // Interleaved, so both see the same load on a shared machine.
    const own: number[] = [];
    const ref: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      own.push(importMs(fn.bundle, fn.environment));
      ref.push(importMs(reference, fn.environment));
    }
    const [a, b] = [median(own), median(ref)];
    console.log(
      `  ${logicalId.padEnd(28)} ${kb(loadedBytes).padStart(8)} ${kb(lazyBytes).padStart(8)} ${a.toFixed(1).padStart(10)} ${b.toFixed(1).padStart(10)} ${(a / b).toFixed(2).padStart(6)}  ${packages.join(', ')}`,
    );
  }
}
