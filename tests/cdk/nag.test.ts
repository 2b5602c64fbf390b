import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../lib/app.ts';

describe('cdk-nag AWS Solutions checks', () => {
  it('leave no unsuppressed error or warning on any stack', () => {
    // Bundling is skipped here: the rules read the construct tree, not the function code.
    const assembly = buildApp({ outdir: join(mkdtempSync(join(tmpdir(), 'tend-nag-')), 'cdk.out'), bundling: false }).synth();
    const findings = assembly.stacks.flatMap((s) =>
      s.messages.filter((m) => m.level === 'error' || m.level === 'warning').map((m) => `${s.stackName} ${m.id}: ${String(m.entry.data).split('\n')[0]}`),
    );
    expect(findings).toEqual([]);
  });
});
