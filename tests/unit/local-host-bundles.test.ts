import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostBundle } from '../../local/host-bundles.ts';

function asset(): string {
  const root = mkdtempSync(join(tmpdir(), 'tend-host-bundles-'));
  const dir = join(root, 'asset.abc');
  mkdirSync(join(dir, 'chunks'), { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), 'export const handler = 1;');
  writeFileSync(join(dir, 'chunks', 'client.mjs'), 'export const client = 2;');
  return join(dir, 'index.mjs');
}

describe('hostBundle', () => {
  it('gives the first host the bundle itself and each other host a whole copy of its asset of its own', () => {
    const bundle = asset();
    expect(hostBundle(bundle, 1)).toBe(bundle);
    const [two, three] = [hostBundle(bundle, 2), hostBundle(bundle, 3)];
    expect(new Set([bundle, two, three]).size).toBe(3);
    for (const copy of [two, three]) {
      expect(readFileSync(copy, 'utf8')).toBe('export const handler = 1;');
      expect(readFileSync(join(dirname(copy), 'chunks', 'client.mjs'), 'utf8')).toBe('export const client = 2;');
      expect(existsSync(`${dirname(copy)}.partial`)).toBe(false);
    }
    expect(hostBundle(bundle, 2)).toBe(two);
  });

  it("sweeps the copies of a process that died without exiting, and never reuses a leftover's folder", () => {
    const bundle = asset();
    const hosts = join(dirname(dirname(bundle)), '.hosts');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    // A leftover of a killed process, its copy cut short, and one named as this process's would have been before.
    const leftover = join(hosts, `${dead}-2-x`, 'asset.abc');
    mkdirSync(leftover, { recursive: true });
    const mine = join(hosts, `${process.pid}-2`, 'asset.abc');
    mkdirSync(mine, { recursive: true });
    const copy = hostBundle(bundle, 2);
    expect(existsSync(join(hosts, `${dead}-2-x`))).toBe(false);
    expect(copy.startsWith(mine)).toBe(false);
    expect(readFileSync(copy, 'utf8')).toBe('export const handler = 1;');
  });
});
