import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const made = new Set<string>();

/**
 * The bundle file a LambdaHost imports, so that two hosts in one process share no module state.
 * A host imports `index.mjs?host=N`, but the chunks a bundle imports (`./chunks/x.mjs`, static or
 * lazy: the DynamoDB client, memoised repositories) resolve without the query and would be shared.
 * So each host after the first imports from its own hard-linked copy of the asset folder (a copy
 * where links are refused), removed when the process exits.
 */
export function hostBundle(bundle: string, host: number): string {
  if (host === 1) return bundle;
  const asset = dirname(bundle);
  const root = join(dirname(asset), '.hosts', `${process.pid}-${host}`);
  const copy = join(root, basename(asset));
  if (!existsSync(copy)) {
    linkTree(asset, copy);
    if (!made.has(root) && made.add(root).size === 1) process.once('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  }
  return join(copy, basename(bundle));
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [src, dst] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory()) linkTree(src, dst);
    else
      try {
        linkSync(src, dst);
      } catch {
        copyFileSync(src, dst);
      }
  }
}
