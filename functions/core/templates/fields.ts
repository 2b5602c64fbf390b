import type { TemplateContext } from './render.ts';

type Groups = Required<Omit<TemplateContext, 'unsubscribeUrl'>>;

/**
 * Every field a template can use, with what it holds: the list `tend.config.ts` templates are
 * checked against at synth, and docs/email.md's table. Typed against TemplateContext, so a field
 * added to the context without a line here (or a line for a field that does not exist) fails the build.
 */
export const TEMPLATE_FIELDS = {
  product: { name: 'your product (config `product.name`)', url: 'its URL (config `product.url`)' },
  sender: { name: "who signs: config `sender.name`, or the CSM's name for a high-touch account" },
  account: { id: "the account's id", name: "the account's name" },
  contact: { firstName: "the contact's first name, or `there` when the contact has no name (`Hi there,`)", email: 'their address' },
  step: { id: 'the play step sending it', day: 'its day in the play' },
  usage: {
    seats: 'seats on the plan',
    activeUsers: 'people active in the last 30 days',
    featuresUsed: 'features used in the last 30 days',
    featuresAvailable: 'features the product has (config `product.features`)',
    suggestedFeature: 'one feature the account has not used, worth trying next',
    adoptionPercent: 'features used out of those available, whole percent',
    seatUsePercent: 'active people out of seats, whole percent',
    unusedFeatures: 'the features not used, as a readable list',
    trend: 'use over 30 days against the 30 before: `up 12%`, `down 40%`, `steady`, `new this month`',
    lastActive: 'the last day anyone was active (`12 March 2026`), or `not yet`',
  },
  year: {
    activeUsers: 'people active in the last 365 days',
    userDays: 'user-days of use in that year',
    featuresUsed: 'features used in that year',
    busiestMonth: 'the month with the most use',
  },
  renewal: { date: 'the renewal date (`1 February 2027`)', daysLeft: 'days until it' },
} satisfies { [G in keyof Groups]: Record<keyof Groups[G], string> };

/** Fields outside the groups: the unsubscribe link. */
export const TOP_LEVEL_FIELDS = { unsubscribeUrl: "this email's https unsubscribe link (the layout's footer has it already)" } as const;

/** Groups read only for templates that use them: a year of usage, and the renewal date (an account without one cannot get such a template). */
export const OPTIONAL_GROUPS = ['year', 'renewal'] as const;
export type OptionalGroup = (typeof OPTIONAL_GROUPS)[number];
