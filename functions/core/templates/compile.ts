import Handlebars from 'handlebars';
import { templateSource, templateSources, type TemplateSource } from './catalogue.ts';
import { loaded, PART_OPTIONS, partSources, type LoadedTemplate, type RenderedEmail, type TemplateContext, type TemplateLibrary } from './render.ts';

/**
 * Templates compiled from source with the full Handlebars engine: for the CLI (`tend preview`)
 * and tests. Lambda bundles never import this file; they get templates precompiled at synth
 * (precompiled.ts), which leaves the ~90 KB compiler and the compile time out of the cold start.
 */
const cache = new WeakMap<TemplateSource, LoadedTemplate>();

export function compileTemplate(source: TemplateSource): LoadedTemplate {
  let t = cache.get(source);
  if (!t) {
    const parts = partSources(source);
    t = loaded(source.needs, {
      subject: Handlebars.compile(parts.subject, PART_OPTIONS.subject),
      html: Handlebars.compile(parts.html, PART_OPTIONS.html),
      text: Handlebars.compile(parts.text, PART_OPTIONS.text),
    });
    cache.set(source, t);
  }
  return t;
}

export function render(source: TemplateSource, context: TemplateContext): RenderedEmail {
  return compileTemplate(source).render(context);
}

/** The built-in templates and a config's own, compiled on first use. */
export function sourceLibrary(custom: Record<string, TemplateSource> = {}): TemplateLibrary {
  return {
    get: (id) => {
      const source = templateSource(custom, id);
      return source && { needs: source.needs ?? [] };
    },
    load: async (id) => {
      const source = templateSource(custom, id);
      return source && compileTemplate(source);
    },
    ids: () => Object.keys(templateSources(custom)),
  };
}
