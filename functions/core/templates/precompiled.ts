import { loaded, type LoadedTemplate, type Part, type TemplateContext, type TemplateLibrary } from './render.ts';

/** One template as `lib/templates-module.ts` writes it at synth: a Handlebars spec per part. */
export type PrecompiledTemplate = Record<Part, TemplateSpecification>;

/**
 * The templates synth wrote (lib/templates-module.ts): what each one needs, small and known at
 * cold start, and `load()`, a dynamic import of their precompiled specs.
 */
export interface BundledTemplates {
  needs: Record<string, LoadedTemplate['needs']>;
  /** The specs, with Handlebars' runtime to wrap one (in the same chunk). */
  load(): Promise<{ specs: Record<string, PrecompiledTemplate>; wrap: (spec: TemplateSpecification) => (context: TemplateContext) => string }>;
}

// Bound by esbuild's `inject` to the module synth writes (TendFunction `templates`); absent elsewhere.
declare const __TEND_TEMPLATES__: BundledTemplates | undefined;

/**
 * The templates precompiled into this bundle at synth, run on Handlebars' 18 KB runtime. Only
 * their needs are read at cold start; the specs (~70 KB for the built-in ones) with the runtime
 * are a chunk of their own (esbuild splitting), loaded by the first email, so a step that sends
 * none never parses them. Each template is wrapped on first use. A bundle built without them
 * fails the send visibly (the step records the error), never silently.
 */
export function precompiledLibrary(bundled = typeof __TEND_TEMPLATES__ === 'undefined' ? undefined : __TEND_TEMPLATES__): TemplateLibrary {
  const cache = new Map<string, LoadedTemplate>();
  // Loaded together, once, by the first template asked for.
  let loading: ReturnType<BundledTemplates['load']> | undefined;
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
      loading ??= all().load();
      const { specs, wrap } = await loading;
      let t = cache.get(id);
      if (!t) {
        const spec = specs[id]!;
        t = loaded(known.needs, { subject: wrap(spec.subject), html: wrap(spec.html), text: wrap(spec.text) });
        cache.set(id, t);
      }
      return t;
    },
    ids: () => Object.keys(all().needs),
  };
}
