import Handlebars from 'handlebars/runtime';
import { loaded, type LoadedTemplate, type Part, type TemplateLibrary } from './render.ts';

/** One template as `lib/templates-module.ts` writes it at synth: a Handlebars spec per part. */
export type PrecompiledTemplate = Record<Part, TemplateSpecification> & { needs?: LoadedTemplate['needs'] };

// Bound by esbuild's `inject` to the module synth writes (TendFunction `templates`); absent elsewhere.
declare const __TEND_TEMPLATES__: Record<string, PrecompiledTemplate> | undefined;

/**
 * The templates precompiled into this bundle at synth, run on Handlebars' 18 KB runtime. Each is
 * wrapped on first use. A bundle built without them fails the send visibly (the step records the
 * error), never silently.
 */
export function precompiledLibrary(specs = typeof __TEND_TEMPLATES__ === 'undefined' ? undefined : __TEND_TEMPLATES__): TemplateLibrary {
  const cache = new Map<string, LoadedTemplate>();
  const all = () => {
    if (!specs) throw new Error('this bundle has no precompiled templates: give its TendFunction `templates` (lib/templates-module.ts)');
    return specs;
  };
  return {
    get(id) {
      const spec = Object.hasOwn(all(), id) ? all()[id]! : undefined;
      if (!spec) return undefined;
      let t = cache.get(id);
      if (!t)
        cache.set(
          id,
          (t = loaded(spec.needs, { subject: Handlebars.template(spec.subject), html: Handlebars.template(spec.html), text: Handlebars.template(spec.text) })),
        );
      return t;
    },
    ids: () => Object.keys(all()),
  };
}
