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
<p>{{#ifFigures usage.seats}}Your plan covers <strong>{{plural usage.seats "seat"}}</strong>. {{/ifFigures}}The quickest first win: invite your team and try <strong>{{usage.suggestedFeature}}</strong>.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>
<p>If anything is unclear, reply to this email: it reaches {{sender.name}}.</p>`,
    text: `Hi {{contact.firstName}},

Welcome to {{product.name}}. Over the next 30 days we will check in a few times with what your team has done so far and one thing worth trying next.

{{#ifFigures usage.seats}}Your plan covers {{plural usage.seats "seat"}}. {{/ifFigures}}The quickest first win: invite your team and try {{usage.suggestedFeature}}.

Open {{product.name}}: {{product.url}}

If anything is unclear, reply to this email: it reaches {{sender.name}}.`,
  },
  'checkin-active': {
    subject:
      '{{#ifFigures usage.activeUsers}}{{plural usage.activeUsers "person" "people"}} at {{account.name}} used {{product.name}} this month{{else}}Your first month with {{product.name}}, {{account.name}}{{/ifFigures}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Day {{step.day}} with {{product.name}}{{#ifFigures usage.activeUsers}}: <strong>{{share usage.activeUsers usage.seats "seat"}}</strong> active in the last 30 days{{#ifFigures usage.featuresUsed}}, using {{share usage.featuresUsed usage.featuresAvailable "feature"}}{{/ifFigures}}{{/ifFigures}}.</p>
<p>Teams that get the most out of {{product.name}} also use <strong>{{usage.suggestedFeature}}</strong>. It is one click from where you already work.</p>
<p><a href="{{product.url}}" class="button">Try {{usage.suggestedFeature}}</a></p>`,
    text: `Hi {{contact.firstName}},

Day {{step.day}} with {{product.name}}{{#ifFigures usage.activeUsers}}: {{share usage.activeUsers usage.seats "seat"}} active in the last 30 days{{#ifFigures usage.featuresUsed}}, using {{share usage.featuresUsed usage.featuresAvailable "feature"}}{{/ifFigures}}{{/ifFigures}}.

Teams that get the most out of {{product.name}} also use {{usage.suggestedFeature}}. It is one click from where you already work.

Try it: {{product.url}}`,
  },
  'checkin-inactive': {
    subject: '{{account.name}}: your {{product.name}} seats are waiting',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Day {{step.day}} with {{product.name}}, and nobody at {{account.name}} has used it in the last week{{#ifFigures usage.activeUsers}} ({{share usage.activeUsers usage.seats "seat"}} active in the last 30 days){{/ifFigures}}.</p>
<p>Most teams start with <strong>{{usage.suggestedFeature}}</strong>; it takes about ten minutes to set up. If something is in the way, reply and tell us what it is.</p>
<p><a href="{{product.url}}" class="button">Start with {{usage.suggestedFeature}}</a></p>`,
    text: `Hi {{contact.firstName}},

Day {{step.day}} with {{product.name}}, and nobody at {{account.name}} has used it in the last week{{#ifFigures usage.activeUsers}} ({{share usage.activeUsers usage.seats "seat"}} active in the last 30 days){{/ifFigures}}.

Most teams start with {{usage.suggestedFeature}}; it takes about ten minutes to set up. If something is in the way, reply and tell us what it is.

Start here: {{product.url}}`,
  },
  'onboarding-review': {
    subject:
      '{{account.name}} after {{plural step.day "day"}}{{#ifFigures usage.adoptionPercent}}: {{usage.adoptionPercent}}% of {{product.name}} in use{{/ifFigures}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{account.name}} has been on {{product.name}} for {{plural step.day "day"}}.{{#ifFigures usage.activeUsers}} Here is where the team stands:</p>
<ul>
<li><strong>{{share usage.activeUsers usage.seats "seat"}}</strong> active in the last 30 days</li>
{{#ifFigures usage.featuresUsed}}<li><strong>{{share usage.featuresUsed usage.featuresAvailable "feature"}}</strong> in use ({{usage.adoptionPercent}}%)</li>
{{/ifFigures}}<li>Activity compared with the month before: <strong>{{usage.trend}}</strong></li>
</ul>{{else}} Nobody on the team has used it yet.</p>{{/ifFigures}}
<p>The next step most teams take at this point is <strong>{{usage.suggestedFeature}}</strong>. Features you have not tried yet: {{usage.unusedFeatures}}.</p>
<p><a href="{{product.url}}" class="button">Review your workspace</a></p>
<p>Want to go through these figures together? Reply and {{sender.name}} will set up a call.</p>`,
    text: `Hi {{contact.firstName}},

{{account.name}} has been on {{product.name}} for {{plural step.day "day"}}.{{#ifFigures usage.activeUsers}} Here is where the team stands:

- {{share usage.activeUsers usage.seats "seat"}} active in the last 30 days
{{#ifFigures usage.featuresUsed}}- {{share usage.featuresUsed usage.featuresAvailable "feature"}} in use ({{usage.adoptionPercent}}%)
{{/ifFigures}}- Activity compared with the month before: {{usage.trend}}{{else}} Nobody on the team has used it yet.{{/ifFigures}}

The next step most teams take at this point is {{usage.suggestedFeature}}. Features you have not tried yet: {{usage.unusedFeatures}}.

Review your workspace: {{product.url}}

Want to go through these figures together? Reply and {{sender.name}} will set up a call.`,
  },
  reengagement: {
    subject: '{{account.name}}: your {{product.name}} workspace has been quiet',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Nobody at {{account.name}} has signed in to {{product.name}} for a week (last activity: {{usage.lastActive}}). {{#ifFigures usage.activeUsers}} Over the last 30 days, {{share usage.activeUsers usage.seats "seat"}} were used{{#ifFigures usage.featuresUsed}}, with {{plural usage.featuresUsed "feature"}}{{/ifFigures}}.{{/ifFigures}}</p>
<p>A quick way back in: <strong>{{usage.suggestedFeature}}</strong> picks up where your team left off and takes a few minutes.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>
<p>If something stopped your team, reply and tell us; {{sender.name}} reads every answer.</p>`,
    text: `Hi {{contact.firstName}},

Nobody at {{account.name}} has signed in to {{product.name}} for a week (last activity: {{usage.lastActive}}). {{#ifFigures usage.activeUsers}} Over the last 30 days, {{share usage.activeUsers usage.seats "seat"}} were used{{#ifFigures usage.featuresUsed}}, with {{plural usage.featuresUsed "feature"}}{{/ifFigures}}.{{/ifFigures}}

A quick way back in: {{usage.suggestedFeature}} picks up where your team left off and takes a few minutes.

Open {{product.name}}: {{product.url}}

If something stopped your team, reply and tell us; {{sender.name}} reads every answer.`,
  },
  'feature-spotlight': {
    subject: 'One {{product.name}} feature {{account.name}} has not tried: {{usage.suggestedFeature}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{#ifFigures usage.featuresUsed}}Your team uses {{share usage.featuresUsed usage.featuresAvailable "feature"}} in {{product.name}} ({{usage.adoptionPercent}}%). Still untouched: {{usage.unusedFeatures}}.{{else}}Your team has not tried {{product.name}}'s features yet: {{usage.unusedFeatures}}.{{/ifFigures}}</p>
<p>This week's pick is <strong>{{usage.suggestedFeature}}</strong>. Teams that add it usually save the manual step they do most often; setting it up takes about ten minutes.</p>
<p><a href="{{product.url}}" class="button">Try {{usage.suggestedFeature}}</a></p>`,
    text: `Hi {{contact.firstName}},

{{#ifFigures usage.featuresUsed}}Your team uses {{share usage.featuresUsed usage.featuresAvailable "feature"}} in {{product.name}} ({{usage.adoptionPercent}}%). Still untouched: {{usage.unusedFeatures}}.{{else}}Your team has not tried {{product.name}}'s features yet: {{usage.unusedFeatures}}.{{/ifFigures}}

This week's pick is {{usage.suggestedFeature}}. Teams that add it usually save the manual step they do most often; setting it up takes about ten minutes.

Try it: {{product.url}}`,
  },
  'training-offer': {
    subject: 'A free {{product.name}} training session for {{account.name}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{#ifFigures usage.activeUsers usage.featuresUsed}}{{share usage.activeUsers usage.seats "seat"}} are active and your team uses {{share usage.featuresUsed usage.featuresAvailable "feature"}}. {{/ifFigures}}A short training usually lifts how many people use {{product.name}} and how much of it they use.</p>
<p>We run free 45-minute sessions for teams, built around what you already do. We would start with <strong>{{usage.suggestedFeature}}</strong> and answer your team's own questions.</p>
<p><a href="{{product.url}}" class="button">See the training options</a></p>
<p>Reply with a couple of times that suit you and {{sender.name}} will book it.</p>`,
    text: `Hi {{contact.firstName}},

{{#ifFigures usage.activeUsers usage.featuresUsed}}{{share usage.activeUsers usage.seats "seat"}} are active and your team uses {{share usage.featuresUsed usage.featuresAvailable "feature"}}. {{/ifFigures}}A short training usually lifts how many people use {{product.name}} and how much of it they use.

We run free 45-minute sessions for teams, built around what you already do. We would start with {{usage.suggestedFeature}} and answer your team's own questions.

See the training options: {{product.url}}

Reply with a couple of times that suit you and {{sender.name}} will book it.`,
  },
  'renewal-value-review': {
    subject: "{{account.name}}'s year with {{product.name}}{{#ifFigures year.userDays}}: {{plural year.userDays 'user-day'}} of use{{/ifFigures}}",
    html: `<p>Hi {{contact.firstName}},</p>
<p>Your {{product.name}} plan renews on {{renewal.date}}.{{#ifFigures year.activeUsers}} Before then, here is what {{account.name}} did with it over the past year:</p>
<ul>
<li><strong>{{plural year.activeUsers "person" "people"}}</strong> used it, on <strong>{{plural year.userDays "user-day"}}</strong></li>
{{#ifFigures year.featuresUsed}}<li><strong>{{share year.featuresUsed usage.featuresAvailable "feature"}}</strong> in use; the busiest month was {{year.busiestMonth}}</li>
{{/ifFigures}}{{#ifFigures usage.activeUsers}}<li>Right now: {{share usage.activeUsers usage.seats "seat"}} active, activity {{usage.trend}} on the month before</li>
{{/ifFigures}}</ul>{{else}}</p>{{/ifFigures}}
<p>If these figures match what you expected, nothing to do. If they do not, reply and {{sender.name}} will go through them with you.</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>`,
    text: `Hi {{contact.firstName}},

Your {{product.name}} plan renews on {{renewal.date}}.{{#ifFigures year.activeUsers}} Before then, here is what {{account.name}} did with it over the past year:

- {{plural year.activeUsers "person" "people"}} used it, on {{plural year.userDays "user-day"}}
{{#ifFigures year.featuresUsed}}- {{share year.featuresUsed usage.featuresAvailable "feature"}} in use; the busiest month was {{year.busiestMonth}}
{{/ifFigures}}{{#ifFigures usage.activeUsers}}- Right now: {{share usage.activeUsers usage.seats "seat"}} active, activity {{usage.trend}} on the month before{{/ifFigures}}{{/ifFigures}}

If these figures match what you expected, nothing to do. If they do not, reply and {{sender.name}} will go through them with you.

Open {{product.name}}: {{product.url}}`,
    needs: ['year', 'renewal'],
  },
  'renewal-notice': {
    subject: 'Your {{product.name}} plan renews {{#ifFigures renewal.daysLeft}}in {{plural renewal.daysLeft "day"}}{{else}}today{{/ifFigures}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{account.name}}'s {{product.name}} plan renews on <strong>{{renewal.date}}</strong>{{#ifFigures renewal.daysLeft}}, in {{plural renewal.daysLeft "day"}}{{/ifFigures}}{{#ifFigures usage.seats}}, for {{plural usage.seats "seat"}}{{/ifFigures}}.</p>
{{#ifFigures year.activeUsers}}<p>This year your team achieved: <strong>{{plural year.activeUsers "person" "people"}}</strong> working in {{product.name}}{{#ifFigures year.featuresUsed}}, <strong>{{plural year.userDays "user-day"}}</strong> of use and <strong>{{plural year.featuresUsed "feature"}}</strong> adopted{{else}} on <strong>{{plural year.userDays "user-day"}}</strong>{{/ifFigures}}.</p>
{{/ifFigures}}
<p>If you need more seats, a different plan or an invoice detail changed, reply before the renewal date and {{sender.name}} will sort it out.</p>
<p><a href="{{product.url}}" class="button">Review your plan</a></p>`,
    text: `Hi {{contact.firstName}},

{{account.name}}'s {{product.name}} plan renews on {{renewal.date}}{{#ifFigures renewal.daysLeft}}, in {{plural renewal.daysLeft "day"}}{{/ifFigures}}{{#ifFigures usage.seats}}, for {{plural usage.seats "seat"}}{{/ifFigures}}.
{{#ifFigures year.activeUsers}}
This year your team achieved: {{plural year.activeUsers "person" "people"}} working in {{product.name}}{{#ifFigures year.featuresUsed}}, {{plural year.userDays "user-day"}} of use and {{plural year.featuresUsed "feature"}} adopted{{else}} on {{plural year.userDays "user-day"}}{{/ifFigures}}.
{{/ifFigures}}

If you need more seats, a different plan or an invoice detail changed, reply before the renewal date and {{sender.name}} will sort it out.

Review your plan: {{product.url}}`,
    needs: ['year', 'renewal'],
  },
  'save-outreach': {
    subject: 'Can we help {{account.name}} with {{product.name}}?',
    html: `<p>Hi {{contact.firstName}},</p>
<p>I look after {{account.name}}'s use of {{product.name}}, and the numbers tell me something is not working: {{#ifFigures usage.activeUsers}}{{share usage.activeUsers usage.seats "seat"}} were active in the last 30 days, and activity is {{usage.trend}} on the month before{{else}}nobody at {{account.name}} used it in the last 30 days{{/ifFigures}}.</p>
<p>I would like to understand what changed and fix what is on our side. Could we talk for 20 minutes this week?</p>
<p><a href="{{product.url}}" class="button">Open {{product.name}}</a></p>
<p>Or simply reply to this email; it comes straight to me.</p>
<p>{{sender.name}}</p>`,
    text: `Hi {{contact.firstName}},

I look after {{account.name}}'s use of {{product.name}}, and the numbers tell me something is not working: {{#ifFigures usage.activeUsers}}{{share usage.activeUsers usage.seats "seat"}} were active in the last 30 days, and activity is {{usage.trend}} on the month before{{else}}nobody at {{account.name}} used it in the last 30 days{{/ifFigures}}.

I would like to understand what changed and fix what is on our side. Could we talk for 20 minutes this week?

{{product.name}}: {{product.url}}

Or simply reply to this email; it comes straight to me.

{{sender.name}}`,
  },
  'expansion-offer': {
    subject:
      '{{#ifFigures usage.seatUsePercent}}{{account.name}} is using {{usage.seatUsePercent}}% of its {{product.name}} seats{{else}}{{account.name}}: seats and plans of {{product.name}}{{/ifFigures}}',
    html: `<p>Hi {{contact.firstName}},</p>
<p>{{#ifFigures usage.activeUsers}}Good news: {{share usage.activeUsers usage.seats "seat"}} ({{usage.seatUsePercent}}%) were active in the last 30 days{{#ifFigures usage.featuresUsed}}, across {{plural usage.featuresUsed "feature"}}{{/ifFigures}}. Activity is {{usage.trend}} on the month before.{{/ifFigures}}</p>
<p>When a team gets this close to its limit, new colleagues start sharing logins or waiting for a seat. Adding seats, or moving to a plan with the features your team has been looking at, avoids that.</p>
<p><a href="{{product.url}}" class="button">See plans and seats</a></p>
<p>Reply with what you need and {{sender.name}} will send a quote.</p>`,
    text: `Hi {{contact.firstName}},

{{#ifFigures usage.activeUsers}}Good news: {{share usage.activeUsers usage.seats "seat"}} ({{usage.seatUsePercent}}%) were active in the last 30 days{{#ifFigures usage.featuresUsed}}, across {{plural usage.featuresUsed "feature"}}{{/ifFigures}}. Activity is {{usage.trend}} on the month before.{{/ifFigures}}

When a team gets this close to its limit, new colleagues start sharing logins or waiting for a seat. Adding seats, or moving to a plan with the features your team has been looking at, avoids that.

See plans and seats: {{product.url}}

Reply with what you need and {{sender.name}} will send a quote.`,
  },
  'referral-request': {
    subject: 'Would you share how {{account.name}} uses {{product.name}}?',
    html: `<p>Hi {{contact.firstName}},</p>
<p>Thank you for the kind words about {{product.name}}. {{#ifFigures usage.activeUsers usage.featuresUsed}}Your team clearly means it: {{share usage.activeUsers usage.seats "seat"}} active and {{plural usage.featuresUsed "feature"}} in regular use.{{/ifFigures}}</p>
<p>Would you write a short review, or tell a peer who could use {{product.name}} about it? Two minutes from you helps other teams decide, and helps us keep building.</p>
<p><a href="{{product.url}}" class="button">Leave a review</a></p>
<p>If you would rather talk to a team considering us, reply and {{sender.name}} will arrange it at your convenience.</p>`,
    text: `Hi {{contact.firstName}},

Thank you for the kind words about {{product.name}}. {{#ifFigures usage.activeUsers usage.featuresUsed}}Your team clearly means it: {{share usage.activeUsers usage.seats "seat"}} active and {{plural usage.featuresUsed "feature"}} in regular use.{{/ifFigures}}

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
