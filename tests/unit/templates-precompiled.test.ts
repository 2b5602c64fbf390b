import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceLibrary } from '../../functions/core/templates/compile.ts';
import { precompiledLibrary, type BundledTemplates } from '../../functions/core/templates/precompiled.ts';
import type { TemplateContext } from '../../functions/core/templates/render.ts';
import { exampleTemplateContext } from '../../functions/core/templates/example.ts';
import { writeTemplatesModule } from '../../lib/templates-module.ts';

const context = (): TemplateContext => ({ ...exampleTemplateContext(), account: { id: 'globex', name: 'Globex & <Sons>' } });

const custom = {
  digest: {
    subject: '{{account.name}}:  {{usage.trend}}',
    html: '<p>{{year.userDays}} user-days</p>',
    text: '{{year.userDays}} user-days',
    needs: ['year' as const],
  },
};

/** The module synth writes, loaded as the bundle would get it. */
async function precompiled() {
  const file = writeTemplatesModule(custom, mkdtempSync(join(tmpdir(), 'tend-templates-')));
  const mod = (await import(pathToFileURL(file).href)) as { __TEND_TEMPLATES__: BundledTemplates };
  return precompiledLibrary(mod.__TEND_TEMPLATES__);
}

describe('templates precompiled at synth', () => {
  it('render exactly as the source-compiled ones, built-in and configured, with their needs', async () => {
    const pre = await precompiled();
    const src = sourceLibrary(custom);
    expect(pre.ids().sort()).toEqual(src.ids().sort());
    for (const id of src.ids()) {
      expect((await pre.load(id))!.render(context())).toEqual((await src.load(id))!.render(context()));
      expect(pre.get(id)!.needs).toEqual(src.get(id)!.needs);
      expect((await pre.load(id))!.needs).toEqual(pre.get(id)!.needs);
    }
    expect((await pre.load('digest'))!.render(context()).subject).toBe('Globex & <Sons>: up 12%');
    expect(pre.get('digest')!.needs).toEqual(['year']);
  });

  it('stay strict: a missing field throws', async () => {
    const c = context() as Partial<TemplateContext>;
    delete c.year;
    const digest = (await (await precompiled()).load('digest'))!;
    expect(() => digest.render(c as TemplateContext)).toThrow(/"(year|userDays)" not defined/);
  });

  it('answer undefined for an unknown id, and say so when a bundle has none', async () => {
    expect((await precompiled()).get('constructor')).toBeUndefined();
    expect(await (await precompiled()).load('constructor')).toBeUndefined();
    expect(() => precompiledLibrary(undefined).get('welcome')).toThrow(/no precompiled templates/);
  });
});
