import Handlebars from 'handlebars';
import type { TemplateSource } from './catalogue.ts';
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
    /** Features used out of those available, in whole percent. */
    adoptionPercent: number;
    /** Active users out of seats, in whole percent. */
    seatUsePercent: number;
    /** Features not used in the window, as a readable list (the suggestion when all are used). */
    unusedFeatures: string;
    /** Use over the last 30 days against the 30 before: `up 12%`, `down 40%`, `steady`, `new this month`. */
    trend: string;
    /** The last day anyone was active (`12 March 2026`), or `not yet`. */
    lastActive: string;
  };
  /** The last 365 days, for templates that need it (renewal). */
  year?: { activeUsers: number; userDays: number; featuresUsed: number; busiestMonth: string };
  renewal?: { date: string; daysLeft: number };
  /** The https unsubscribe link of this email (also in its List-Unsubscribe header). */
  unsubscribeUrl: string;
  /** Anything a play step adds for its own templates. */
  extra?: Record<string, unknown>;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** The plain-text counterpart of the layout's footer. */
const TEXT_FOOTER = `

--
Sent by {{sender.name}} for {{product.name}} to {{contact.email}}.
Unsubscribe: {{unsubscribeUrl}}`;

type Compiled = { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };
const cache = new WeakMap<TemplateSource, Compiled>();

/** Compiled on first use and cached: a Lambda compiles only the templates it sends. */
function compiled(src: TemplateSource): Compiled {
  let c = cache.get(src);
  if (!c) {
    const strict = { strict: true } as const;
    c = {
      subject: Handlebars.compile(src.subject, { ...strict, noEscape: true }),
      html: Handlebars.compile(layout(src.html), strict),
      text: Handlebars.compile(`${src.text}${TEXT_FOOTER}`, { ...strict, noEscape: true }),
    };
    cache.set(src, c);
  }
  return c;
}

/** Renders a template (a built-in or one of tend.config.ts, see `templateSource`) for one contact. */
export function render(source: TemplateSource, context: TemplateContext): RenderedEmail {
  const c = compiled(source);
  return { subject: c.subject(context).replace(/\s+/g, ' ').trim(), html: c.html(context), text: c.text(context) };
}
