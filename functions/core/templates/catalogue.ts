/**
 * Built-in emails of every built-in play step, in Tend's own words. Each carries the account's own figures:
 * a touch without value is "just checking in", which the brief tells us not to send.
 * Handlebars, compiled in strict mode: a field the context lacks fails the render (and the tests),
 * never a customer's inbox.
 */
export interface TemplateSource {
  subject: string;
  /** Inner HTML; the shared layout wraps it. */
  html: string;
  text: string;
  /** Context groups beyond the always-present ones: `year` (a year of usage, read only for these) and `renewal` (the account's renewal date). */
  needs?: readonly ('year' | 'renewal')[];
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
    subject: '{{account.name}} after {{step.day}} days: {{usage.adoptionPercent}}% of {{product.name}} in use',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{account.name}} has been on {{product.name}} for {{step.day}} days. Here is where the team stands:</p>
<ul>
<li><strong>{{usage.activeUsers}} of {{usage.seats}} seats</strong> active in the last 30 days</li>
<li><strong>{{usage.featuresUsed}} of {{usage.featuresAvailable}} features</strong> in use ({{usage.adoptionPercent}}%)</li>
<li>Activity compared with the month before: <strong>{{usage.trend}}</strong></li>
</ul>
<p>The next step most teams take at this point is <strong>{{usage.suggestedFeature}}</strong>. Features you have not tried yet: {{usage.unusedFeatures}}.</p>
<p><a href="{{product.url}}" class="button">Review your workspace</a></p>
<p>Want to go through these figures together? Reply and {{sender.name}} will set up a call.</p>`,
    text: `Hi {{contact.firstName}},

{{account.name}} has been on {{product.name}} for {{step.day}} days. Here is where the team stands:

- {{usage.activeUsers}} of {{usage.seats}} seats active in the last 30 days
- {{usage.featuresUsed}} of {{usage.featuresAvailable}} features in use ({{usage.adoptionPercent}}%)
- Activity compared with the month before: {{usage.trend}}

The next step most teams take at this point is {{usage.suggestedFeature}}. Features you have not tried yet: {{usage.unusedFeatures}}.

Review your workspace: {{product.url}}

Want to go through these figures together? Reply and {{sender.name}} will set up a call.`,
  },
  reengagement: {
    subject: '{{account.name}}: your {{product.name}} workspace has been quiet',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Nobody at {{account.name}} has signed in to {{product.name}} for a week (last activity: {{usage.lastActive}}). Over the last 30 days, {{usage.activeUsers}} of your {{usage.seats}} seats were used, with {{usage.featuresUsed}} features.</p>
<p>A quick way back in: <strong>{{usage.suggestedFeature}}</strong> picks up where your team left off and takes a few minutes.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>
<p>If something stopped your team, reply and tell us; {{sender.name}} reads every answer.</p>`,
    text: `Hi {{contact.firstName}},

Nobody at {{account.name}} has signed in to {{product.name}} for a week (last activity: {{usage.lastActive}}). Over the last 30 days, {{usage.activeUsers}} of your {{usage.seats}} seats were used, with {{usage.featuresUsed}} features.

A quick way back in: {{usage.suggestedFeature}} picks up where your team left off and takes a few minutes.

Open {{product.name}}: {{product.url}}

If something stopped your team, reply and tell us; {{sender.name}} reads every answer.`,
  },
  'feature-spotlight': {
    subject: 'One {{product.name}} feature {{account.name}} has not tried: {{usage.suggestedFeature}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Your team uses {{usage.featuresUsed}} of the {{usage.featuresAvailable}} features in {{product.name}} ({{usage.adoptionPercent}}%). Still untouched: {{usage.unusedFeatures}}.</p>
<p>This week's pick is <strong>{{usage.suggestedFeature}}</strong>. Teams that add it usually save the manual step they do most often; setting it up takes about ten minutes.</p>
<p><a href="{{product.url}}" class="button">Try {{usage.suggestedFeature}}</a></p>`,
    text: `Hi {{contact.firstName}},

Your team uses {{usage.featuresUsed}} of the {{usage.featuresAvailable}} features in {{product.name}} ({{usage.adoptionPercent}}%). Still untouched: {{usage.unusedFeatures}}.

This week's pick is {{usage.suggestedFeature}}. Teams that add it usually save the manual step they do most often; setting it up takes about ten minutes.

Try it: {{product.url}}`,
  },
  'training-offer': {
    subject: 'A free {{product.name}} training session for {{account.name}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{usage.activeUsers}} of your {{usage.seats}} seats are active and your team uses {{usage.featuresUsed}} of {{usage.featuresAvailable}} features. A short training usually lifts both.</p>
<p>We run free 45-minute sessions for teams, built around what you already do. We would start with <strong>{{usage.suggestedFeature}}</strong> and answer your team's own questions.</p>
<p><a href="{{product.url}}" class="button">See the training options</a></p>
<p>Reply with a couple of times that suit you and {{sender.name}} will book it.</p>`,
    text: `Hi {{contact.firstName}},

{{usage.activeUsers}} of your {{usage.seats}} seats are active and your team uses {{usage.featuresUsed}} of {{usage.featuresAvailable}} features. A short training usually lifts both.

We run free 45-minute sessions for teams, built around what you already do. We would start with {{usage.suggestedFeature}} and answer your team's own questions.

See the training options: {{product.url}}

Reply with a couple of times that suit you and {{sender.name}} will book it.`,
  },
  'renewal-value-review': {
    subject: "{{account.name}}'s year with {{product.name}}: {{year.userDays}} days of use",
    html: `<p>Hi {{contact.firstName}},</p>
<p>Your {{product.name}} plan renews on {{renewal.date}}. Before then, here is what {{account.name}} did with it over the past year:</p>
<ul>
<li><strong>{{year.activeUsers}} people</strong> used it, on <strong>{{year.userDays}} user-days</strong></li>
<li><strong>{{year.featuresUsed}} of {{usage.featuresAvailable}} features</strong> in use; the busiest month was {{year.busiestMonth}}</li>
<li>Right now: {{usage.activeUsers}} of {{usage.seats}} seats active, activity {{usage.trend}} on the month before</li>
</ul>
<p>If these figures match what you expected, nothing to do. If they do not, reply and {{sender.name}} will go through them with you.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Your {{product.name}} plan renews on {{renewal.date}}. Before then, here is what {{account.name}} did with it over the past year:

- {{year.activeUsers}} people used it, on {{year.userDays}} user-days
- {{year.featuresUsed}} of {{usage.featuresAvailable}} features in use; the busiest month was {{year.busiestMonth}}
- Right now: {{usage.activeUsers}} of {{usage.seats}} seats active, activity {{usage.trend}} on the month before

If these figures match what you expected, nothing to do. If they do not, reply and {{sender.name}} will go through them with you.

Open {{product.name}}: {{product.url}}`,
    needs: ['year', 'renewal'],
  },
  'renewal-notice': {
    subject: 'Your {{product.name}} plan renews in {{renewal.daysLeft}} days',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{account.name}}'s {{product.name}} plan renews on <strong>{{renewal.date}}</strong>, in {{renewal.daysLeft}} days, for {{usage.seats}} seats.</p>
<p>This year your team achieved: <strong>{{year.activeUsers}} people</strong> working in {{product.name}}, <strong>{{year.userDays}} user-days</strong> of use and <strong>{{year.featuresUsed}} features</strong> adopted.</p>
<p>If you need more seats, a different plan or an invoice detail changed, reply before the renewal date and {{sender.name}} will sort it out.</p>
<p><a href="{{product.url}}" class="button">Review your plan</a></p>`,
    text: `Hi {{contact.firstName}},

{{account.name}}'s {{product.name}} plan renews on {{renewal.date}}, in {{renewal.daysLeft}} days, for {{usage.seats}} seats.

This year your team achieved: {{year.activeUsers}} people working in {{product.name}}, {{year.userDays}} user-days of use and {{year.featuresUsed}} features adopted.

If you need more seats, a different plan or an invoice detail changed, reply before the renewal date and {{sender.name}} will sort it out.

Review your plan: {{product.url}}`,
    needs: ['year', 'renewal'],
  },
  'save-outreach': {
    subject: '{{contact.firstName}}, can we help {{account.name}} with {{product.name}}?',
    html: `<p>Hi {{contact.firstName}},</p>
<p>I look after {{account.name}}'s use of {{product.name}}, and the numbers tell me something is not working: {{usage.activeUsers}} of {{usage.seats}} seats were active in the last 30 days, and activity is {{usage.trend}} on the month before.</p>
<p>I would like to understand what changed and fix what is on our side. Could we talk for 20 minutes this week?</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>
<p>Or simply reply to this email; it comes straight to me.</p>
<p>{{sender.name}}</p>`,
    text: `Hi {{contact.firstName}},

I look after {{account.name}}'s use of {{product.name}}, and the numbers tell me something is not working: {{usage.activeUsers}} of {{usage.seats}} seats were active in the last 30 days, and activity is {{usage.trend}} on the month before.

I would like to understand what changed and fix what is on our side. Could we talk for 20 minutes this week?

{{product.name}}: {{product.url}}

Or simply reply to this email; it comes straight to me.

{{sender.name}}`,
  },
  'expansion-offer': {
    subject: '{{account.name}} is using {{usage.seatUsePercent}}% of its {{product.name}} seats',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Good news: {{usage.activeUsers}} of your {{usage.seats}} seats ({{usage.seatUsePercent}}%) were active in the last 30 days, across {{usage.featuresUsed}} features. Activity is {{usage.trend}} on the month before.</p>
<p>When a team gets this close to its limit, new colleagues start sharing logins or waiting for a seat. Adding seats, or moving to a plan with the features your team has been looking at, avoids that.</p>
<p><a href="{{product.url}}" class="button">See plans and seats</a></p>
<p>Reply with what you need and {{sender.name}} will send a quote.</p>`,
    text: `Hi {{contact.firstName}},

Good news: {{usage.activeUsers}} of your {{usage.seats}} seats ({{usage.seatUsePercent}}%) were active in the last 30 days, across {{usage.featuresUsed}} features. Activity is {{usage.trend}} on the month before.

When a team gets this close to its limit, new colleagues start sharing logins or waiting for a seat. Adding seats, or moving to a plan with the features your team has been looking at, avoids that.

See plans and seats: {{product.url}}

Reply with what you need and {{sender.name}} will send a quote.`,
  },
  'referral-request': {
    subject: 'Would you share how {{account.name}} uses {{product.name}}?',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Thank you for the kind words about {{product.name}}. Your team clearly means it: {{usage.activeUsers}} of {{usage.seats}} seats active and {{usage.featuresUsed}} features in regular use.</p>
<p>Would you write a short review, or tell a peer who could use {{product.name}} about it? Two minutes from you helps other teams decide, and helps us keep building.</p>
<p><a href="{{product.url}}" class="button">Leave a review</a></p>
<p>If you would rather talk to a team considering us, reply and {{sender.name}} will arrange it at your convenience.</p>`,
    text: `Hi {{contact.firstName}},

Thank you for the kind words about {{product.name}}. Your team clearly means it: {{usage.activeUsers}} of {{usage.seats}} seats active and {{usage.featuresUsed}} features in regular use.

Would you write a short review, or tell a peer who could use {{product.name}} about it? Two minutes from you helps other teams decide, and helps us keep building.

Leave a review: {{product.url}}

If you would rather talk to a team considering us, reply and {{sender.name}} will arrange it at your convenience.`,
  },
} satisfies Record<string, TemplateSource>;

export type TemplateId = keyof typeof templates;
export const templateIds = Object.keys(templates) as TemplateId[];

/** The templates a deployment has: the built-in ones, replaced or added to by `templates` in tend.config.ts. */
export function templateSources(custom: Record<string, TemplateSource> = {}): Record<string, TemplateSource> {
  return { ...templates, ...custom };
}

/** One template by id, the config's own first; undefined when neither has it. */
export function templateSource(custom: Record<string, TemplateSource> | undefined, id: string): TemplateSource | undefined {
  if (custom && Object.hasOwn(custom, id)) return custom[id];
  return Object.hasOwn(templates, id) ? templates[id as TemplateId] : undefined;
}
