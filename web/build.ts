import { build, type Metafile } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web app's folder (web/) and where its build goes (web/dist/, not committed). */
export const WEB_DIR = dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = join(WEB_DIR, 'dist');
const SOURCES = [join(WEB_DIR, 'src'), join(WEB_DIR, 'index.html')];

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** True when web/dist is missing or older than a source file (tend dev and the demo then rebuild it). */
export function webBuildStale(): boolean {
  const marker = join(WEB_DIST, 'index.html');
  if (!existsSync(marker)) return true;
  const built = statSync(marker).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

export interface WebBuild {
  metafile: Metafile;
  /** The output file the page loads first (the entry point), relative to web/dist. */
  entry: string;
  css: string;
}

/**
 * Bundles web/src into web/dist: ES modules split per page (each page is a dynamic import), so the
 * first page loads the shell, React, the router and its own chunk only. index.html names the entry.
 */
export async function buildWebApp(options: { log?: (line: string) => void } = {}): Promise<WebBuild> {
  const began = Date.now();
  rmSync(WEB_DIST, { recursive: true, force: true });
  mkdirSync(WEB_DIST, { recursive: true });
  const result = await build({
    absWorkingDir: WEB_DIR,
    entryPoints: { app: 'src/main.tsx', styles: 'src/styles.css' },
    outdir: WEB_DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const rel = (p: string) => relative(WEB_DIST, join(WEB_DIR, p));
  const entry = rel(outputs.find(([, o]) => o.entryPoint === 'src/main.tsx')![0]);
  const css = rel(outputs.find(([p, o]) => o.entryPoint === 'src/styles.css' && p.endsWith('.css'))![0]);
  const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8').replace('%ENTRY%', `/${entry}`).replace('%CSS%', `/${css}`);
  writeFileSync(join(WEB_DIST, 'index.html'), html);
  writeFileSync(join(WEB_DIST, 'metafile.json'), JSON.stringify(result.metafile));
  options.log?.(`built the web app into ${relative(process.cwd(), WEB_DIST) || WEB_DIST} in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return { metafile: result.metafile, entry, css };
}

/** Builds the web app when it is missing or older than its sources. */
export async function ensureWebApp(log?: (line: string) => void): Promise<void> {
  if (webBuildStale()) await buildWebApp({ log });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWebApp({ log: (l) => console.log(l) });
}
