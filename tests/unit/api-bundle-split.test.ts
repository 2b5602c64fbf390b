import type { Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { filesLoaded, isEntry, metafileOf } from '../support/bundle-metafile.ts';

/**
 * The API function serves its routes from modules it imports on a route's first request
 * (functions/api/served). esbuild splits a bundle by file: one import of a logic module from the
 * entry's side (the route list, auth) would put it, and all it imports, back in every cold start.
 * Built as synth builds it, the entry and the chunks it imports statically carry no route's logic.
 */
describe('the API bundle: what its cold start loads', () => {
  let metafile: Metafile;
  beforeAll(async () => {
    metafile = await metafileOf('functions/api/handler.ts');
  }, 60_000);

  const statically = () => filesLoaded(metafile, isEntry);

  it('loads the route list and auth, not the core and repositories the routes use, nor their SDK clients', () => {
    const loaded = statically();
    expect(loaded).toContain('functions/api/routes.ts');
    expect(loaded).toContain('functions/api/auth.ts');
    for (const file of [
      'functions/shared/deps.ts',
      'functions/core/accounts.ts',
      'functions/core/ingest.ts',
      'functions/core/segment.ts',
      'functions/core/account-list.ts',
      'functions/core/metrics/reports.ts',
      'functions/core/tasks.ts',
      'functions/data/accounts.ts',
      'functions/data/usage.ts',
    ])
      expect(loaded, file).not.toContain(file);
    expect([...loaded].filter((f) => /@aws-sdk\/client-(sfn|eventbridge)\//.test(f))).toEqual([]);
  });

  it('has a chunk per route module, each loaded on its first request', () => {
    const modules = Object.values(metafile.outputs)
      .map((o) => o.entryPoint)
      .filter((e) => e?.startsWith('functions/api/served/'));
    expect(modules.sort()).toEqual(['accounts', 'email', 'ingest', 'plays', 'reports', 'tasks'].map((m) => `functions/api/served/${m}.ts`));
  });
});
