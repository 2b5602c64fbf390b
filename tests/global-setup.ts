import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesize } from '../local/synth.ts';
import { CHROMIUM, ensureChromium } from './browser/support/chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    assemblyDir: string;
  }
}

/**
 * Synthesizes the CDK app once per test run; integration and CDK tests read the same assembly.
 * Installs Debian's chromium for the browser tests when missing and allowed (root, as in CI): here,
 * where no hook timeout cuts a slow mirror short.
 */
export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM) && process.getuid?.() === 0) ensureChromium();
  const outdir = process.env.TEND_TEST_ASSEMBLY ?? join(mkdtempSync(join(tmpdir(), 'tend-test-')), 'cdk.out');
  await synthesize(outdir);
  project.provide('assemblyDir', outdir);
}
