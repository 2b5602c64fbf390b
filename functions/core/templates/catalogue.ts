/**
 * Built-in onboarding emails, in Tend's own words. Each carries the account's own figures:
 * a touch without value is "just checking in", which the brief tells us not to send.
 * Handlebars, compiled in strict mode: a field the context lacks fails the render (and the tests),
 * never a customer's inbox.
 */
export interface TemplateSource {
  subject: string;
  /** Inner HTML; the shared layout wraps it. */
  html: string;
  text: string;
}

export const templates = {
  welcome: {
    subject: 'Welcome to {{product.name}}, {{account.name}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Welcome to {{product.name}}. Over the next 30 days we will check in a few times with what your team has done so far and one thing worth trying next.</p>
<p>Your plan covers <strong>{{usage.seats}} seats</strong>. The quickest first win: invite your team and try <strong>{{usage.suggestedFeature}}</strong>.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>
<p>If anything is unclear, reply to this email: it reaches {{sender.name}}.</p>`,
    text: `Hi {{contact.firstName}},

Welcome to {{product.name}}. Over the next 30 days we will check in a few times with what your team has done so far and one thing worth trying next.

Your plan covers {{usage.seats}} seats. The quickest first win: invite your team and try {{usage.suggestedFeature}}.

Open {{product.name}}: {{product.url}}

If anything is unclear, reply to this email: it reaches {{sender.name}}.`,
  },
  'checkin-active': {
    subject: '{{usage.activeUsers}} of your team used {{product.name}} this month',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Day {{step.day}} with {{product.name}}: <strong>{{usage.activeUsers}} of {{usage.seats}} seats</strong> have been active, using {{usage.featuresUsed}} of {{usage.featuresAvailable}} features.</p>
<p>Teams that get the most out of {{product.name}} also use <strong>{{usage.suggestedFeature}}</strong>. It is one click from where you already work.</p>
<p><a href="{{product.url}}" class="button">Try {{usage.suggestedFeature}}</a></p>`,
    text: `Hi {{contact.firstName}},

Day {{step.day}} with {{product.name}}: {{usage.activeUsers}} of {{usage.seats}} seats have been active, using {{usage.featuresUsed}} of {{usage.featuresAvailable}} features.

Teams that get the most out of {{product.name}} also use {{usage.suggestedFeature}}. It is one click from where you already work.

Try it: {{product.url}}`,
  },
  'checkin-inactive': {
    subject: 'Your {{product.name}} seats are waiting, {{contact.firstName}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Day {{step.day}} with {{product.name}}, and nobody at {{account.name}} has used it in the last week: {{usage.activeUsers}} of {{usage.seats}} seats have been active so far.</p>
<p>Most teams start with <strong>{{usage.suggestedFeature}}</strong>; it takes about ten minutes to set up. If something is in the way, reply and tell us what it is.</p>
<p><a href="{{product.url}}" class="button">Start with {{usage.suggestedFeature}}</a></p>`,
    text: `Hi {{contact.firstName}},

Day {{step.day}} with {{product.name}}, and nobody at {{account.name}} has used it in the last week: {{usage.activeUsers}} of {{usage.seats}} seats have been active so far.

Most teams start with {{usage.suggestedFeature}}; it takes about ten minutes to set up. If something is in the way, reply and tell us what it is.

Start here: {{product.url}}`,
  },
} satisfies Record<string, TemplateSource>;

export type TemplateId = keyof typeof templates;
export const templateIds = Object.keys(templates) as TemplateId[];
