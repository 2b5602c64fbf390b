/**
 * Bundles: for each Lambda, the bytes its cold start loads (the entry and the chunks it imports
 * statically; lazily imported chunks apart) and the time to import it in a fresh Node process,
 * side by side with a reference bundle built by esbuild with the same options from a module that
 * only imports and instantiates the SDK clients the function's static part contains. A second
 * reference adds the Powertools utilities the function loads at cold start (Logger, Metrics), so the
 * reader sees what the function's own code costs over what it cannot do without.
 *
 * Tracing: the functions import the Tracer (and the X-Ray SDK under it) only when they trace
 * (functions/shared/tracer.ts): on Lambda, unless `operations.tracing` is false. The ratio is taken
 * with tracing off, as the local runtime runs them; a second import of each function, in Lambda's
 * environment with tracing on, gives what tracing adds to its cold start.
 *
 * First use: lazy chunks move work from the cold start to the invocation that needs them. A third
 * import of each function, then every lazy chunk of it (the X-Ray SDK's apart), in the same process,
 * bounds what a first invocation can add: the row "+ every lazy chunk" sits under the import's.
 *
 * Routes: the API serves its routes from modules it imports on their first request (functions/api/served), so
 * its cold start is the import and a first request also loads its route's module: a row per module,
 * "+ first request: <module>", gives the import then that module's chunks (the code a first request of one
 * of its routes parses; not its I/O). The reference keeps the clients those modules use (the API's
 * EventBridge and Step Functions clients are in them), so it is the same bundle of clients as before
 * the routes were split off.
 *
 * Timing: each import runs in a fresh Node process (nothing cached), the function and its
 * references interleaved run by run so they share the machine's load, after one discarded warm-up
 * run each (the OS file cache); the figure is the median of the runs, and the CPU ratio is also
 * taken run by run (a function and its reference imported back to back), with its quartiles, to
 * show how much of a difference is noise. Two clocks: wall time, and
 * the CPU time (user + system, all threads) the process spent in the import. On a shared machine
 * the wall time also counts waiting for a core; the CPU time is the work, and the steadier figure.
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
import { synthInputs, takesTemplates } from '../lib/bundling/synth-inputs.ts';
import { staticClosure } from '../lib/bundling/merge-cold-chunks.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** BENCH_BUNDLES=<regular expression>: only the functions whose logical id matches (e.g. `Plays|Api`). */
const ONLY = new RegExp(process.env.BENCH_BUNDLES ?? '');
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

interface ImportTime {
  wall: number;
  cpu: number;
  /** Every run's figures, in the order run (interleaved with the other files'). */
  runs?: { wall: number; cpu: number }[];
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.round((xs.length - 1) * q)]!;
/** The CPU ratio of two files run by run (each pair imported back to back, so under the same load): median, quartiles. */
function pairedCpuRatio(a: ImportTime, b: ImportTime) {
  const r = a.runs!.map((x, i) => x.cpu / b.runs![i]!.cpu);
  return { median: quantile(r, 0.5), p25: quantile(r, 0.25), p75: quantile(r, 0.75) };
}

/**
 * Imports `file` in a fresh Node process: wall and CPU milliseconds from just before the import to just after;
 * with `then`, the files a first use would import after it (lazy chunks) are imported too, inside the time.
 */
function importTime(file: string, env: Record<string, string>, then: string[] = []): ImportTime {
  const script =
    `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)});` +
    then.map((f) => `await import(${JSON.stringify(pathToFileURL(f).href)});`).join('') +
    `const w = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify({ wall: w, cpu: (u.user + u.system) / 1000 }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })) as ImportTime;
}

/** Median wall and CPU times of `RUNS` imports of each file (in its environment), interleaved (order reversed every other run), after one warm-up import each. */
function importTimes(files: { file: string; env: Record<string, string>; then?: string[] }[]): ImportTime[] {
  for (const f of files) importTime(f.file, f.env, f.then);
  const runs = files.map(() => [] as ImportTime[]);
  // Every other run in the reverse order, so neither the function nor its reference always goes first (ABBA).
  for (let i = 0; i < RUNS; i++) {
    const order = files.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) runs[k]!.push(importTime(files[k]!.file, files[k]!.env, files[k]!.then));
  }
  return runs.map((r) => ({ wall: median(r.map((x) => x.wall)), cpu: median(r.map((x) => x.cpu)), runs: r }));
}

/** A bundle file and the files it imports statically (`import ... from "./x.mjs"`, not `import("./x.mjs")`). */
function staticFiles(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.mjs)"/g)) staticFiles(resolve(dirname(file), m[1]!), seen);
  return seen;
}

/** The Powertools utilities a second reference instantiates, by package, with the class and how it is made. */
const POWERTOOLS: Record<string, { name: string; make: string }> = {
  logger: { name: 'Logger', make: `new Logger({ serviceName: 'reference' })` },
  tracer: { name: 'Tracer', make: `new Tracer({ serviceName: 'reference' })` },
  metrics: { name: 'Metrics', make: `new Metrics({ namespace: 'reference', serviceName: 'reference' })` },
};

/**
 * From esbuild's metafile of an entry (built as synth builds it, split): the SDK packages (and
 * `powertools/<utility>`) in its statically loaded part and its route modules'.
 */
async function analyse(entry: string, outdir: string): Promise<string[]> {
  const { config, templates } = synthInputs();
  const options = bundleOptions({ entry: join(projectRoot, entry), outdir, config, templates: takesTemplates(entry) ? templates : undefined });
  const { metafile } = await build({ ...options, write: false, metafile: true });
  const outputs = metafile.outputs;
  const closure = (from: string[]) => staticClosure(outputs, from);
  // The entry is index.mjs: a lazily imported module's chunk is an entry point to esbuild too.
  const loaded = closure([Object.keys(outputs).find((o) => outputs[o]!.entryPoint && /(^|\/)index\.mjs$/.test(o))!]);
  // The API's route modules: what they use counts as the function's clients (see the header).
  const routes = closure(Object.keys(outputs).filter((o) => ROUTE_MODULE.test(outputs[o]!.entryPoint ?? '')));
  const packages = new Set<string>();
  for (const o of new Set([...loaded, ...routes]))
    for (const input of Object.keys(outputs[o]!.inputs)) {
      const m = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+|lib-dynamodb)\//.exec(input);
      if (m) packages.add(m[1]!);
      // The utility itself, not a middleware that only takes one (tracer/middleware without the Tracer).
      const p = /node_modules\/@aws-lambda-powertools\/([a-z]+)\/lib\/esm\/(Logger|Metrics|Tracer)\.js$/.exec(input);
      if (p && POWERTOOLS[p[1]!]) packages.add(`powertools/${p[1]}`);
    }
  return [...packages].sort();
}

/** The modules the API imports on a route's first request (functions/api/handler.ts). */
const ROUTE_MODULE = /functions\/api\/served\/(?!route-handler)[a-z-]+\.ts$/;

/** The reference: the same SDK clients, instantiated, bundled with the same esbuild options (and the given Powertools utilities). */
async function referenceBundle(packages: string[], dir: string, powertools: string[] = []): Promise<string> {
  const clients = packages.filter((p) => SDK_CLIENTS[p]);
  const lines = clients.map((p) => `import { ${SDK_CLIENTS[p]} } from '@aws-sdk/${p}';`);
  const made = clients.map((p) =>
    p === 'client-dynamodb' && packages.includes('lib-dynamodb') ? 'DynamoDBDocumentClient.from(new DynamoDBClient({}))' : `new ${SDK_CLIENTS[p]}({})`,
  );
  if (packages.includes('lib-dynamodb')) lines.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
  for (const utility of powertools) {
    lines.push(`import { ${POWERTOOLS[utility]!.name} } from '@aws-lambda-powertools/${utility}';`);
    made.push(POWERTOOLS[utility]!.make);
  }
  const name = ['clients', ...powertools].join('-');
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, `${lines.join('\n')}\nconst clients = [${made.join(', ')}];\nexport const handler = async () => clients.length;\n`);
  await build(bundleOptions({ entry, outdir: join(dir, name) }));
  return join(dir, name, 'index.mjs');
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
  const baseline = importTimes([{ file: empty, env }])[0]!;
  console.log(
    `\nLambda bundles (ESM, minified, split). Import time: median of ${RUNS} imports, each in a fresh Node ${process.version} process, the function and its references interleaved;`,
  );
  console.log(
    `  wall ms = elapsed; CPU ms = user + system CPU time of the process during the import. An empty module: ${baseline.wall.toFixed(1)} ms wall, ${baseline.cpu.toFixed(1)} ms CPU.`,
  );
  console.log(
    `  "files" and "loaded" = the files a cold start loads (the entry and the chunks it imports statically: each costs ~0.7 ms to resolve, read and link) and their bytes; "lazy" = chunks loaded on first use only.`,
  );
  console.log(`  "SDK alone" = esbuild, same options, of a module that only instantiates the function's SDK clients; ratio = function / SDK alone.`);
  console.log(
    `  "SDK alone + Powertools": that reference with the Powertools utilities the function loads (Logger, Metrics), so what remains is the function's own.`,
  );
  console.log(
    `  "+ every lazy chunk": the import, then every chunk a first invocation could load lazily (tracing's apart): the cold start plus the most a first use adds.`,
  );
  console.log(
    `  Tracing off (operations.tracing: false; the local runtime): the ratio, the target (<= 1.3). "tracing on": the same function imported in Lambda's`,
  );
  console.log(
    `  environment with tracing on (the default on AWS): the Tracer and the X-Ray SDK under it are then loaded too, "+ KB" and "+ ms" over tracing off.`,
  );
  console.log(
    `  ${'function (tracing off)'.padEnd(28)} ${'files'.padStart(5)} ${'loaded'.padStart(8)} ${'lazy'.padStart(8)}  ${'wall ms'.padStart(8)} ${'SDK alone'.padStart(9)} ${'ratio'.padStart(5)}  ${'CPU ms'.padStart(8)} ${'SDK alone'.padStart(9)} ${'ratio'.padStart(5)}  SDK clients`,
  );
  const row = (label: string, files: string, loaded: string, lazy: string, a: ImportTime, b: ImportTime, tail: string) =>
    `  ${label.padEnd(28)} ${files.padStart(5)} ${loaded.padStart(8)} ${lazy.padStart(8)}  ${a.wall.toFixed(1).padStart(8)} ${b.wall.toFixed(1).padStart(9)} ${(a.wall / b.wall).toFixed(2).padStart(5)}  ${a.cpu.toFixed(1).padStart(8)} ${b.cpu.toFixed(1).padStart(9)} ${(a.cpu / b.cpu).toFixed(2).padStart(5)}  ${tail}`;
  for (const { logicalId, resource } of assembly.resources('AWS::Lambda::Function')) {
    const entry = resource.Metadata?.['tend:entry'];
    if (typeof entry !== 'string' || !ONLY.test(logicalId)) continue;
    const fn = host.byLogicalId(logicalId);
    const dir = join(work, logicalId);
    mkdirSync(dir, { recursive: true });
    const found = await analyse(entry, join(dir, 'probe'));
    const packages = found.filter((p) => !p.startsWith('powertools/'));
    const powertools = found.filter((p) => p.startsWith('powertools/')).map((p) => p.slice('powertools/'.length));
    const reference = await referenceBundle(packages, dir);
    const withPowertools = powertools.length ? await referenceBundle(packages, dir, powertools) : undefined;
    const loaded = staticFiles(fn.bundle);
    const assetFiles = readdirSync(dirname(fn.bundle), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => join(dirname(fn.bundle), f));
    const loadedBytes = [...loaded].reduce((n, f) => n + statSync(f).size, 0);
    const lazyBytes = assetFiles.filter((f) => !loaded.has(f)).reduce((n, f) => n + statSync(f).size, 0);
    const off = { ...fn.environment, POWERTOOLS_TRACE_ENABLED: 'false' };
    const on = { ...fn.environment, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'true' };
    // Interleaved, so all of them see the same load on a shared machine.
    // The most a first invocation can load on top of the import: every lazy chunk but tracing's (the X-Ray SDK's, off here).
    const tracingFiles = new Set(
      assetFiles
        .filter((f) => !loaded.has(f) && readFileSync(f, 'utf8').includes('AWS_XRAY_DAEMON_ADDRESS'))
        .flatMap((f) => [...staticFiles(f)])
        .filter((f) => !loaded.has(f)),
    );
    const lazyFiles = assetFiles.filter((f) => !loaded.has(f) && !tracingFiles.has(f));
    // A route module's chunk is named after it (chunks/<module>-<hash>.mjs): its first request loads it and what it imports.
    const routeModules = readdirSync(join(projectRoot, 'functions/api/served')).filter((f) => ROUTE_MODULE.test(`functions/api/served/${f}`));
    const firstRequests = routeModules.flatMap((m) => {
      const chunk = assetFiles.find((f) => new RegExp(`/chunks/${m.replace(/\.ts$/, '')}-[A-Z0-9]+\\.mjs$`).test(f));
      return chunk && !loaded.has(chunk) ? [{ module: m.replace(/\.ts$/, ''), files: [...staticFiles(chunk)].filter((f) => !loaded.has(f)) }] : [];
    });
    const [own, ref, traced, withLazy, ...rest] = importTimes([
      { file: fn.bundle, env: off },
      { file: reference, env: off },
      { file: fn.bundle, env: on },
      { file: fn.bundle, env: off, then: lazyFiles },
      ...firstRequests.map((r) => ({ file: fn.bundle, env: off, then: r.files })),
      ...(withPowertools ? [{ file: withPowertools, env: off }] : []),
    ]);
    const routeTimes = rest.slice(0, firstRequests.length);
    const refPowertools = withPowertools ? rest[firstRequests.length] : undefined;
    const paired = pairedCpuRatio(own!, ref!);
    const spread = (xs: number[]) => `${quantile(xs, 0.25).toFixed(1)}-${quantile(xs, 0.75).toFixed(1)}`;
    console.log(row(logicalId, String(loaded.size), kb(loadedBytes), kb(lazyBytes), own!, ref!, packages.join(', ')));
    console.log(
      `  ${''.padEnd(28)} CPU ratio run by run: median ${paired.median.toFixed(2)}, quartiles ${paired.p25.toFixed(2)}-${paired.p75.toFixed(2)}; CPU ms quartiles: function ${spread(own!.runs!.map((x) => x.cpu))}, SDK alone ${spread(ref!.runs!.map((x) => x.cpu))}`,
    );
    const over = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(1)}`;
    if (refPowertools)
      console.log(
        row(
          `  SDK alone + ${powertools.map((u) => POWERTOOLS[u]!.name).join(', ')}`,
          '',
          '',
          '',
          refPowertools,
          ref!,
          `the function over it: ${over(own!.wall, refPowertools.wall)} ms wall, ${over(own!.cpu, refPowertools.cpu)} ms CPU`,
        ),
      );
    const lazyBytesLoaded = lazyFiles.reduce((n, f) => n + statSync(f).size, 0);
    console.log(
      row(
        '  + every lazy chunk',
        `+${lazyFiles.length}`,
        `+${kb(lazyBytesLoaded)}`,
        '',
        withLazy!,
        ref!,
        `the import then every lazy chunk (tracing's apart): the most a first invocation can add, ${over(withLazy!.cpu, own!.cpu)} ms CPU`,
      ),
    );
    firstRequests.forEach((r, i) => {
      const bytes = r.files.reduce((n, f) => n + statSync(f).size, 0);
      const t = routeTimes[i]!;
      console.log(
        row(
          `  + first request: ${r.module}`,
          `+${r.files.length}`,
          `+${kb(bytes)}`,
          '',
          t,
          ref!,
          `the import then the chunks of functions/api/served/${r.module}.ts: ${over(t.cpu, own!.cpu)} ms CPU; CPU ratio run by run ${pairedCpuRatio(t, ref!).median.toFixed(2)}`,
        ),
      );
    });
    console.log(
      row(
        '  tracing on',
        `+${tracingFiles.size}`,
        `+${kb([...tracingFiles].reduce((n, f) => n + statSync(f).size, 0))}`,
        '',
        traced!,
        ref!,
        `tracing adds ${over(traced!.wall, own!.wall)} ms wall, ${over(traced!.cpu, own!.cpu)} ms CPU to the cold start`,
      ),
    );
  }
}
