import Handlebars from 'handlebars';
import { templates, type TemplateId } from './catalogue.ts';
import { layout } from './layout.ts';

export interface TemplateContext {
  product: { name: string; url: string };
  sender: { name: string };
  account: { id: string; name: string };
  contact: { firstName: string; email: string };
  step: { id: string; day: number };
  usage: {
    seats: number;
    activeUsers: number;
    featuresUsed: number;
    featuresAvailable: number;
    suggestedFeature: string;
  };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };
const cache = new Map<TemplateId, Compiled>();

/** Compiled on first use and cached: a Lambda compiles only the templates it sends. */
function compiled(id: TemplateId): Compiled {
  let c = cache.get(id);
  if (!c) {
    const src = templates[id];
    const strict = { strict: true } as const;
    c = {
      subject: Handlebars.compile(src.subject, { ...strict, noEscape: true }),
      html: Handlebars.compile(layout(src.html), strict),
      text: Handlebars.compile(src.text, { ...strict, noEscape: true }),
    };
    cache.set(id, c);
  }
  return c;
}

export function render(id: TemplateId, context: TemplateContext): RenderedEmail {
  const c = compiled(id);
  return { subject: c.subject(context).replace(/\s+/g, ' ').trim(), html: c.html(context), text: c.text(context) };
}
