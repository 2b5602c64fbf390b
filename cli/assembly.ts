import { join } from 'node:path';
import { synthesize } from '../local/synth.ts';

/** The project's synthesized app under .tend/cdk.out, re-synthesized only when a source changed. */
export async function localAssembly(dataDir: string, log: (line: string) => void): Promise<string> {
  const outdir = join(dataDir, 'cdk.out');
  const started = Date.now();
  log('synthesizing the CDK app (bundling every function)...');
  const { cached } = await synthesize(outdir);
  log(cached ? 'assembly unchanged, reused' : `synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outdir;
}
