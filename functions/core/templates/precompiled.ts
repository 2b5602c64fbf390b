import type Handlebars from 'handlebars/runtime';
import { loaded, type LoadedTemplate, type Part, type TemplateLibrary } from './render.ts';

/** One template as `lib/templates-module.ts` writes it at synth: a Handlebars spec per part. */
export type PrecompiledTemplate = Record<Part, TemplateSpecification>;

/**
 * The templates synth wrote (lib/templates-module.ts): what each one needs, small and known at
 * cold start, and `load()`, a dynamic import of their precompiled specs.
 */
export interface BundledTemplates {
  needs: Record<string, LoadedTemplate['needs']>;
  load(): Promise<{ specs: Record<string, PrecompiledTemplate> }>;
}

// Bound by esbuild's `inject` to the module synth writes (TendFunction `templates`); absent elsewhere.
declare const __TEND_TEMPLATES__: BundledTemplates | undefined;

/**
 * The templates precompiled into this bundle at synth, run on Handlebars' 18 KB runtime. Only
 * their needs are read at cold start; the specs (~70 KB for the built-in ones) and the runtime are
 * chunks of their own (esbuild splitting), loaded by the first email, so a step that sends none
 * never parses them. Each template is wrapped on first use. A bundle built without them fails the
 * send visibly (the step records the error), never silently.
 */
export function precompiledLibrary(bundled = typeof __TEND_TEMPLATES__ === 'undefined' ? undefined : __TEND_TEMPLATES__): TemplateLibrary {
  const cache = new Map<string, LoadedTemplate>();
  // Loaded together, once, by the first template asked for.
  let loading: Promise<{ runtime: typeof Handlebars; specs: Record<string, PrecompiledTemplate> }> | undefined;
  const all = () => {
    if (!bundled) throw new Error('this bundle has no precompiled templates: give its TendFunction `templates` (lib/templates-module.ts)');
    return bundled;
  };
  const get = (id: string) => (Object.hasOwn(all().needs, id) ? { needs: all().needs[id]! } : undefined);
  return {
    get,
    async load(id) {
      const known = get(id);
      if (!known) return undefined;
      loading ??= Promise.all([import('handlebars/runtime'), all().load()]).then(([m, { specs }]) => ({ runtime: m.default, specs }));
      const { runtime, specs } = await loading;
      let t = cache.get(id);
      if (!t) {
        const spec = specs[id]!;
        t = loaded(known.needs, { subject: runtime.template(spec.subject), html: runtime.template(spec.html), text: runtime.template(spec.text) });
        cache.set(id, t);
      }
      return t;
    },
    ids: () => Object.keys(all().needs),
  };
}
