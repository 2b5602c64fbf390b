import type { TemplateSource } from './catalogue.ts';
import { TEMPLATE_HELPERS } from './helpers.ts';
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

export type Part = keyof RenderedEmail;
/** Handlebars options of each part: strict everywhere (a missing field throws), HTML escaping in the html part only. */
export const PART_OPTIONS: Record<Part, { strict: true; noEscape?: true }> = {
  subject: { strict: true, noEscape: true },
  html: { strict: true },
  text: { strict: true, noEscape: true },
};

/** What each part compiles from: the html inside the shared layout, the text with its footer. */
export function partSources(source: TemplateSource): Record<Part, string> {
  return { subject: source.subject, html: layout(source.html), text: `${source.text}${TEXT_FOOTER}` };
}

/** A template ready to render, whichever way it was compiled. */
export interface LoadedTemplate {
  /** Optional context groups it reads (`year` makes the sender load a year of usage). */
  needs: readonly ('year' | 'renewal')[];
  render(context: TemplateContext): RenderedEmail;
}

/** The templates a function can send, by id: built-in ones and those of tend.config.ts. */
export interface TemplateLibrary {
  /** What a template reads, known without loading it: a step plans its usage Query with it before any email. */
  get(id: string): Pick<LoadedTemplate, 'needs'> | undefined;
  /** The template ready to render (a Lambda loads its precompiled templates on its first email: precompiled.ts). */
  load(id: string): Promise<LoadedTemplate | undefined>;
  ids(): string[];
}

type Delegate = (context: TemplateContext, options?: { helpers: Record<string, (...args: never[]) => unknown> }) => string;
/** Templates run with Tend's helpers (helpers.ts), however they were compiled. */
const RUNTIME = { helpers: TEMPLATE_HELPERS };
export function loaded(needs: LoadedTemplate['needs'] | undefined, parts: Record<Part, Delegate>): LoadedTemplate {
  return {
    needs: needs ?? [],
    render: (context) => {
      // A group the template needs and the context lacks is named, wherever the template reads it (a helper's argument too).
      for (const group of needs ?? []) if (context[group] === undefined) throw new Error(`"${group}" not defined: the template needs it`);
      return {
        subject: parts.subject(context, RUNTIME).replace(/\s+/g, ' ').trim(),
        html: parts.html(context, RUNTIME),
        // A sentence a template left out leaves no run of blank lines behind.
        text: parts.text(context, RUNTIME).replace(/\n{3,}/g, '\n\n'),
      };
    },
  };
}
