import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesize } from '../local/synth.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    assemblyDir: string;
  }
}

/** Synthesizes the CDK app once per test run; integration and CDK tests read the same assembly. */
export default async function setup(project: TestProject) {
  const outdir = process.env.TEND_TEST_ASSEMBLY ?? join(mkdtempSync(join(tmpdir(), 'tend-test-')), 'cdk.out');
  await synthesize(outdir);
  project.provide('assemblyDir', outdir);
}
