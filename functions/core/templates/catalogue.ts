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
  'onboarding-review': {
    subject: 'Two months of {{product.name}} at {{account.name}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Two months in: {{usage.activeUsers}} of {{usage.seats}} seats are active and your team uses {{usage.featuresUsed}} of {{usage.featuresAvailable}} features. Next worth trying: {{usage.suggestedFeature}}.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Two months in: {{usage.activeUsers}} of {{usage.seats}} seats are active and your team uses {{usage.featuresUsed}} of {{usage.featuresAvailable}} features. Next worth trying: {{usage.suggestedFeature}}.

Open {{product.name}}: {{product.url}}`,
  },
  'reengagement': {
    subject: '{{account.name}} has not opened {{product.name}} this week',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Nobody at {{account.name}} has used {{product.name}} in the last 7 days. Your team had {{usage.activeUsers}} active users this month; {{usage.suggestedFeature}} is a quick way back in.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Nobody at {{account.name}} has used {{product.name}} in the last 7 days. Your team had {{usage.activeUsers}} active users this month; {{usage.suggestedFeature}} is a quick way back in.

Open {{product.name}}: {{product.url}}`,
  },
  'feature-spotlight': {
    subject: 'One {{product.name}} feature your team has not tried: {{usage.suggestedFeature}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Your team uses {{usage.featuresUsed}} of {{usage.featuresAvailable}} features of {{product.name}}. Teams like yours get the most from {{usage.suggestedFeature}}; it takes a few minutes to set up.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Your team uses {{usage.featuresUsed}} of {{usage.featuresAvailable}} features of {{product.name}}. Teams like yours get the most from {{usage.suggestedFeature}}; it takes a few minutes to set up.

Open {{product.name}}: {{product.url}}`,
  },
  'training-offer': {
    subject: 'A short {{product.name}} training for {{account.name}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>With {{usage.featuresUsed}} of {{usage.featuresAvailable}} features in use, a 30-minute session on {{usage.suggestedFeature}} would help your {{usage.activeUsers}} active users do more. Reply to book one.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

With {{usage.featuresUsed}} of {{usage.featuresAvailable}} features in use, a 30-minute session on {{usage.suggestedFeature}} would help your {{usage.activeUsers}} active users do more. Reply to book one.

Open {{product.name}}: {{product.url}}`,
  },
  'renewal-value-review': {
    subject: 'Your year with {{product.name}}: {{usage.activeUsers}} active users',
    html: `<p>Hi {{contact.firstName}},</p>
<p>As your renewal comes up: {{usage.activeUsers}} of {{usage.seats}} seats at {{account.name}} are active, on {{usage.featuresUsed}} of {{usage.featuresAvailable}} features. Reply and we will walk through the results with you.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

As your renewal comes up: {{usage.activeUsers}} of {{usage.seats}} seats at {{account.name}} are active, on {{usage.featuresUsed}} of {{usage.featuresAvailable}} features. Reply and we will walk through the results with you.

Open {{product.name}}: {{product.url}}`,
  },
  'renewal-notice': {
    subject: 'Your {{product.name}} subscription renews soon',
    html: `<p>Hi {{contact.firstName}},</p>
<p>The {{product.name}} subscription of {{account.name}} renews soon. This month {{usage.activeUsers}} of {{usage.seats}} seats were active. Reply with any change to seats or plan.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

The {{product.name}} subscription of {{account.name}} renews soon. This month {{usage.activeUsers}} of {{usage.seats}} seats were active. Reply with any change to seats or plan.

Open {{product.name}}: {{product.url}}`,
  },
  'save-outreach': {
    subject: 'Can we help {{account.name}} with {{product.name}}?',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Usage at {{account.name}} has dropped: {{usage.activeUsers}} of {{usage.seats}} seats were active this month. We would like to understand what is in the way. Reply and a person will answer within a day.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Usage at {{account.name}} has dropped: {{usage.activeUsers}} of {{usage.seats}} seats were active this month. We would like to understand what is in the way. Reply and a person will answer within a day.

Open {{product.name}}: {{product.url}}`,
  },
  'expansion-offer': {
    subject: '{{account.name}} is close to its {{usage.seats}} seats',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Your team is using {{product.name}} well: {{usage.activeUsers}} active users on {{usage.seats}} seats and {{usage.featuresUsed}} features. Reply to talk about more seats or the features of the next plan.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Your team is using {{product.name}} well: {{usage.activeUsers}} active users on {{usage.seats}} seats and {{usage.featuresUsed}} features. Reply to talk about more seats or the features of the next plan.

Open {{product.name}}: {{product.url}}`,
  },
  'referral-request': {
    subject: 'Would you recommend {{product.name}}, {{contact.firstName}}?',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Thank you for your kind rating. If {{product.name}} has helped your {{usage.activeUsers}} users at {{account.name}}, a short review or an introduction to a peer would mean a lot to us.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Thank you for your kind rating. If {{product.name}} has helped your {{usage.activeUsers}} users at {{account.name}}, a short review or an introduction to a peer would mean a lot to us.

Open {{product.name}}: {{product.url}}`,
  },
} satisfies Record<string, TemplateSource>;

export type TemplateId = keyof typeof templates;
export const templateIds = Object.keys(templates) as TemplateId[];
