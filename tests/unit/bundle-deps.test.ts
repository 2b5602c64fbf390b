import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/bundling/options.ts';
import { filesLoaded, isEntry, metafileOf, outputsLoaded } from '../support/bundle-metafile.ts';

/**
 * The composition root is one module per dependency (functions/shared/deps.ts says why): a bundle's
 * cold start, or a lazily loaded part of it, parses only the repositories and clients it uses.
 * Built as synth builds them, the files each part loads are checked.
 */
describe('the composition root in the bundles', () => {
  it('is imported by no function module (each imports the modules of functions/shared/deps/ it uses)', () => {
    const dir = join(projectRoot, 'functions');
    const importers = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from '(\.\.?\/)+(shared\/)?deps\.ts'/.test(readFileSync(join(dir, f), 'utf8')))
      .map((f) => relative(projectRoot, join(dir, f)));
    expect(importers).toEqual([]);
  });

  it("a play step's cold start loads neither email delivery nor SES: the first email does", async () => {
    const metafile = await metafileOf('functions/plays/handler.ts');
    const cold = filesLoaded(metafile, isEntry);
    expect(cold).toContain('functions/core/plays/engine.ts');
    for (const file of ['functions/core/email/deliver.ts', 'functions/email/deps.ts', 'functions/adapters/ses-mailer.ts', 'functions/data/sends.ts'])
      expect(cold, file).not.toContain(file);
    expect([...cold].filter((f) => f.includes('@aws-sdk/client-sesv2/'))).toEqual([]);
    // Nor the metrics upkeep: the first account write imports it (functions/shared/deps/refresh-metrics.ts).
    expect(cold).not.toContain('functions/core/metrics/upkeep.ts');
    expect(filesLoaded(metafile, (o) => o.entryPoint === 'functions/shared/deps/account-metrics-refresh.ts')).toContain('functions/core/metrics/upkeep.ts');
    const delivery = filesLoaded(metafile, (o) => o.entryPoint === 'functions/plays/email-delivery.ts');
    expect(delivery).toContain('functions/core/email/deliver.ts');
    expect([...delivery].some((f) => f.includes('@aws-sdk/client-sesv2/'))).toBe(true);
  }, 60_000);

  it("an API route's first request loads the clients its routes use, not the other routes' (Step Functions for the plays' only)", async () => {
    const metafile = await metafileOf('functions/api/handler.ts');
    const cold = outputsLoaded(metafile, isEntry);
    const route = (m: string) => filesLoaded(metafile, (o) => o.entryPoint === `functions/api/served/${m}.ts`, cold);
    const clients = (files: Set<string>) => [...new Set([...files].flatMap((f) => /@aws-sdk\/(client-[a-z0-9-]+)\//.exec(f)?.[1] ?? []))].sort();
    expect(clients(route('tasks'))).toEqual([]);
    expect(clients(route('reports'))).toEqual([]);
    expect(clients(route('accounts'))).toEqual(['client-eventbridge']);
    expect(clients(route('plays'))).toEqual(['client-sfn']);
    expect(route('tasks')).not.toContain('functions/data/runs.ts');
  }, 60_000);
});
