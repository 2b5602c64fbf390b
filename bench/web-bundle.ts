/**
 * The web app's JavaScript: every chunk esbuild writes (raw and gzip bytes), and what the first
 * page (Overview) loads before it renders: the entry, the chunks it imports statically, the
 * sign-in library, the Overview page's chunk and its static imports. The budget is 200 KB gzip (docs/web-app.md).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWebApp, WEB_DIR, WEB_DIST } from '../web/build.ts';

const BUDGET_KB = 200;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function webBundleBench() {
  console.log('\nWeb app bundle (esbuild, ESM split per page, minified; gzip level 9 as CloudFront and the browser see it)');
  const { metafile } = await buildWebApp();
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const js = Object.entries(metafile.outputs).filter(([p]) => p.endsWith('.js') || p.endsWith('.css'));
  for (const [p] of js) {
    const bytes = readFileSync(join(WEB_DIR, p));
    sizes.set(p, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  /** An output and everything it imports statically (what the browser fetches before running it). */
  const closure = (out: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(out)) return seen;
    seen.add(out);
    for (const i of metafile.outputs[out]?.imports ?? []) if (i.kind === 'import-statement') closure(i.path, seen);
    return seen;
  };
  const entryOf = (src: string) => js.find(([, o]) => o.entryPoint === src)?.[0];
  const pageOf = (name: string) => js.find(([p]) => relative(WEB_DIST, join(WEB_DIR, p)).startsWith(`chunks/${name}-`))?.[0];
  for (const [p, s] of [...sizes].sort((a, b) => b[1].gzip - a[1].gzip))
    console.log(`  ${relative(WEB_DIST, join(WEB_DIR, p)).padEnd(40)} ${kb(s.raw).padStart(10)} raw ${kb(s.gzip).padStart(10)} gzip`);
  const first = closure(entryOf('src/main.tsx')!);
  closure(pageOf('Overview')!, first);
  // Sign-in with an issuer loads oidc-client-ts before the first page: counted (a dev key does not need it).
  closure(pageOf('oidc-client-ts')!, first);
  const css = entryOf('src/styles.css');
  const firstJs = [...first].reduce((t, p) => t + (sizes.get(p)?.gzip ?? 0), 0);
  console.log(
    `  first page (Overview): ${first.size} JS files, ${kb(firstJs)} gzip (budget ${BUDGET_KB} KB: ${firstJs <= BUDGET_KB * 1024 ? 'within' : 'OVER'}); CSS ${kb(sizes.get(css!)?.gzip ?? 0)} gzip`,
  );
  for (const page of ['Renewals', 'Accounts', 'Account', 'MyDay', 'Plays']) {
    const own = closure(pageOf(page)!);
    const extra = [...own].filter((p) => !first.has(p)).reduce((t, p) => t + (sizes.get(p)?.gzip ?? 0), 0);
    console.log(`  then ${page}: ${kb(extra)} gzip more`);
  }
  return { firstPageGzip: firstJs };
}

if (process.argv[1]?.endsWith('web-bundle.ts')) await webBundleBench();
