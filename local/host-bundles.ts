import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Each host's folder of copies, by asset root and host: made once per process (mkdtemp: never a leftover's name). */
const roots = new Map<string, string>();
const swept = new Set<string>();

/**
 * The bundle file a LambdaHost imports, so that two hosts in one process share no module state.
 * A module is one instance per URL, and a bundle's files import each other (`./chunks/x.mjs`, and the
 * lazy chunks `../index.mjs`: the DynamoDB client, memoised repositories), so a query on the entry's URL
 * would not part them. So each host after the first imports from its own hard-linked copy of the asset folder (a copy
 * where links are refused), built under a temporary name and renamed into place, so a copy that
 * exists is whole. Copies go when the process exits; those of processes that died without exiting
 * (a test worker killed by a signal) are swept by the next process that makes one.
 */
export function hostBundle(bundle: string, host: number): string {
  if (host === 1) return bundle;
  const asset = dirname(bundle);
  const hosts = join(dirname(asset), '.hosts');
  const copy = join(hostRoot(hosts, host), basename(asset));
  if (!existsSync(copy)) {
    const partial = `${copy}.partial`;
    rmSync(partial, { recursive: true, force: true });
    linkTree(asset, partial);
    renameSync(partial, copy);
  }
  return join(copy, basename(bundle));
}

function hostRoot(hosts: string, host: number): string {
  const known = roots.get(`${hosts}\0${host}`);
  if (known) return known;
  mkdirSync(hosts, { recursive: true });
  if (!swept.has(hosts)) {
    swept.add(hosts);
    sweepDead(hosts);
  }
  const root = mkdtempSync(join(hosts, `${process.pid}-${host}-`));
  if (roots.size === 0) process.once('exit', () => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));
  roots.set(`${hosts}\0${host}`, root);
  return root;
}

/** Removes the copies of processes no longer running (named `<pid>-<host>-<random>`). */
function sweepDead(hosts: string): void {
  for (const name of readdirSync(hosts)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !running(pid)) rmSync(join(hosts, name), { recursive: true, force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
