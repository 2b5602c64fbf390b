import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONAL_GROUPS, TEMPLATE_FIELDS, TOP_LEVEL_FIELDS } from '../../functions/core/templates/fields.ts';
import { templateIds, templates, type TemplateId, type TemplateSource } from '../../functions/core/templates/catalogue.ts';
import { render } from '../../functions/core/templates/compile.ts';
import type { TemplateContext } from '../../functions/core/templates/render.ts';
import { exampleTemplateContext } from '../../functions/core/templates/example.ts';
import { checkConfigTemplates, checkTemplate } from '../../functions/core/templates/check.ts';

const context = exampleTemplateContext;

/** Removes one dotted field from a context. */
function without(path: string): TemplateContext {
  const c = context() as unknown as Record<string, Record<string, unknown>>;
  const [group, field] = path.split('.') as [string, string];
  delete c[group]![field];
  return c as unknown as TemplateContext;
}

/** The dotted fields a template's source refers to, layout included for the html part. */
const fieldsOf = (id: TemplateId) => [
  ...new Set([...JSON.stringify(templates[id]).matchAll(/\b((?:product|sender|account|contact|step|usage|year|renewal)\.\w+)/g)].map((m) => m[1]!)),
];

describe('render', () => {
  it('the catalogue has the onboarding templates', () => {
    expect(templateIds).toEqual(expect.arrayContaining(['welcome', 'checkin-active', 'checkin-inactive']));
  });

  it.each(templateIds)('%s renders fully for a realistic context', (id) => {
    const email = render(templates[id], context());
    for (const part of [email.subject, email.html, email.text]) {
      expect(part.trim().length).toBeGreaterThan(0);
      expect(part).not.toMatch(/\{\{|\}\}/);
      expect(part).not.toMatch(/undefined|null|NaN|\[object Object\]/);
    }
    expect(email.subject).not.toMatch(/\s{2,}|\n/);
    expect(email.html).toMatch(/^<!doctype html>/);
    expect(email.html).toContain('Sent by Acme Customer Success for Acme Analytics to ana@globex.example.');
    expect(email.html).not.toContain('class="button"'); // the layout inlines the button style
    expect(email.text).not.toMatch(/<[a-z]/i);
    expect(email.text).toContain('Hi Ana,');
    expect(email.text).toContain('https://app.acme.example');
  });

  it.each(templateIds)("%s quotes the account's own figures", (id) => {
    const email = render(templates[id], context());
    const all = `${email.subject}\n${email.html}\n${email.text}`;
    expect(all).toContain('Acme Analytics');
    // Every touch carries value: at least two of the account's own usage figures.
    expect(fieldsOf(id).filter((f) => /^(usage|year|renewal)\./.test(f)).length).toBeGreaterThanOrEqual(2);
    const c = context() as unknown as Record<string, Record<string, unknown>>;
    for (const f of fieldsOf(id).filter((f) => /^(usage|year|renewal)\./.test(f))) {
      const [g, k] = f.split('.') as [string, string];
      expect(all).toContain(String(c[g]![k]));
    }
  });

  it.each(templateIds)('%s has no empty field and an unsubscribe link in both parts', (id) => {
    const email = render(templates[id], context());
    expect(email.html).not.toMatch(/<strong>\s*<\/strong>|<li>\s*<\/li>|href=""/);
    expect(email.html).toContain('href="https://api.tend.example/v1/unsubscribe?token=abc.def"');
    expect(email.text).toContain('Unsubscribe: https://api.tend.example/v1/unsubscribe?token=abc.def');
  });

  it('renewal templates fail without a renewal date (strict), never render a blank', () => {
    const c = context();
    delete c.renewal;
    expect(() => render(templates['renewal-notice'], c)).toThrow(/"(renewal|daysLeft|date)" not defined|a field the context lacks/);
  });

  it("the play engine's template ids are all in the catalogue", () => {
    expect(templateIds).toEqual(
      expect.arrayContaining([
        'welcome',
        'checkin-active',
        'checkin-inactive',
        'onboarding-review',
        'reengagement',
        'feature-spotlight',
        'training-offer',
        'renewal-value-review',
        'renewal-notice',
        'save-outreach',
        'expansion-offer',
        'referral-request',
      ]),
    );
  });

  it.each([
    ['welcome', 'Welcome to Acme Analytics, Globex Corporation'],
    ['checkin-active', '5 people at Globex Corporation used Acme Analytics this month'],
    ['checkin-inactive', 'Globex Corporation: your Acme Analytics seats are waiting'],
  ] as const)('%s subject: %s', (id, subject) => {
    expect(render(templates[id], context()).subject).toBe(subject);
  });

  it('check-ins state the usage figures', () => {
    expect(render(templates['checkin-active'], context()).text).toContain(
      'Day 7 with Acme Analytics: 5 of 12 seats active in the last 30 days, using 2 of 6 features.',
    );
    expect(render(templates['checkin-inactive'], context()).text).toContain(
      'nobody at Globex Corporation has used it in the last week (5 of 12 seats active in the last 30 days).',
    );
  });

  it('a zero figure is left out, never written as "0 people" (templates-figures.test.ts covers every template)', () => {
    const c = context();
    c.usage.activeUsers = 0;
    c.usage.featuresUsed = 0;
    expect(render(templates['checkin-inactive'], c).text).toContain('nobody at Globex Corporation has used it in the last week.');
    expect(render(templates['checkin-active'], c).subject).toBe('Your first month with Acme Analytics, Globex Corporation');
  });

  it('escapes HTML in the html part only', () => {
    const c = context();
    c.account.name = 'Smith & <Sons>';
    const email = render(templates['welcome'], c);
    expect(email.subject).toBe('Welcome to Acme Analytics, Smith & <Sons>');
    const inactive = render(templates['checkin-inactive'], c);
    expect(inactive.html).toContain('Smith &amp; &lt;Sons&gt;');
    expect(inactive.html).not.toContain('<Sons>');
    expect(inactive.text).toContain('Smith & <Sons>');
  });

  it.each(templateIds.flatMap((id) => fieldsOf(id).map((field) => ({ id, field }))))('$id fails without $field (strict mode)', ({ id, field }) => {
    const name = field.split('.')[1]!;
    // Plain fields fail as Handlebars' strict mode says; those given to a helper (plural, share, ifFigures) as the helper says.
    expect(() => render(templates[id], without(field))).toThrow(new RegExp(`"${name}" not defined|a field the context lacks`));
  });

  it.each(templateIds)('%s fails without the layout field contact.email', (id) => {
    expect(() => render(templates[id], without('contact.email'))).toThrow(/"email" not defined/);
  });

  it('fails when a whole group is missing', () => {
    const c = context() as Partial<TemplateContext>;
    delete c.usage;
    expect(() => render(templates['welcome'], c as TemplateContext)).toThrow();
  });
});

describe('checkTemplate (run at synth on the config templates)', () => {
  const ok = { subject: 'Hi {{account.name}}', html: '<p>{{usage.activeUsers}} of {{usage.seats}}</p>', text: '{{usage.trend}}' };
  it.each(templateIds)('passes the built-in %s, whose declared needs match what it reads', (id) => {
    const source: TemplateSource = templates[id];
    const { issues, needs } = checkTemplate(source);
    expect(issues).toEqual([]);
    expect(needs.every((g) => (source.needs ?? []).includes(g))).toBe(true);
  });

  it.each([
    ['a field nothing fills', { html: '<p>{{extra.offer}}</p>' }, 'html', '{{extra.offer}}: not a template field; the groups are'],
    ['an inherited property', { text: '{{constructor}} {{usage.toString}}' }, 'text', '{{constructor}}: not a template field'],
    ['an inherited property of a group', { text: '{{usage.toString}}' }, 'text', '{{usage.toString}}: not a template field; usage has'],
    ['a misspelt field', { html: '<p>{{usage.seatz}}</p>' }, 'html', '{{usage.seatz}}: not a template field; usage has usage.seats, usage.activeUsers'],
    ['an unknown group', { subject: '{{customer.name}}' }, 'subject', '{{customer.name}}: not a template field; the groups are product, sender'],
    ['a group used as a field', { text: '{{usage}}' }, 'text', '{{usage}}: not a template field; usage has'],
    ['a field inside an if branch', { text: '{{#if usage.seats}}{{usage.seetz}}{{else}}{{year.oops}}{{/if}}' }, 'text', '{{usage.seetz}}'],
    ['an unknown helper', { html: '{{formatDate renewal.date}}' }, 'html', '{{formatDate ...}}: unknown helper'],
    ['an unknown block helper', { html: '{{#each-row usage}}x{{/each-row}}' }, 'html', '{{#each-row}}: unknown block helper'],
    ['a partial', { html: '{{> footer}}' }, 'html', 'partials are not available'],
    ['a syntax error', { subject: 'Hi {{account.name' }, 'subject', 'not a valid template: Parse error'],
  ])('names %s', (_, change, part, message) => {
    const { issues } = checkTemplate({ ...ok, ...change });
    expect(issues.some((i) => i.part === part && i.message.startsWith(message))).toBe(true);
  });

  it('accepts the unsubscribe link, @data, fields inside #with and #each, and reports the optional groups read', () => {
    const { issues, needs } = checkTemplate({
      subject: '{{#with usage}}{{seats}}{{/with}}',
      html: '{{#each usage}}{{@key}}: {{this}} {{@index}}{{/each}} {{unsubscribeUrl}} {{renewal.date}}',
      text: '{{lookup usage "seats"}} {{year.userDays}}',
    });
    expect(issues).toEqual([]);
    expect(needs.sort()).toEqual(['renewal', 'year']);
  });

  it('asks a config template to declare the groups it reads', () => {
    expect(checkConfigTemplates({ digest: { ...ok, text: '{{year.userDays}}' } })).toEqual([
      { path: ['templates', 'digest', 'needs'], message: "it reads year.*: add needs: ['year']" },
    ]);
    expect(checkConfigTemplates({ digest: { ...ok, text: '{{year.userDays}}', needs: ['year'] } })).toEqual([]);
    // A whole group read through a helper needs it declared too.
    expect(checkConfigTemplates({ digest: { ...ok, text: '{{#with renewal}}{{date}}{{/with}}' } })).toEqual([
      { path: ['templates', 'digest', 'needs'], message: "it reads renewal.*: add needs: ['renewal']" },
    ]);
  });
});

describe('docs/email.md', () => {
  it('lists exactly the template fields, with what each holds', () => {
    const doc = readFileSync(new URL('../../docs/email.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('<!-- fields:start -->'), doc.indexOf('<!-- fields:end -->'));
    const documented = [...table.matchAll(/^\| `([\w.]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    const fields = [
      ...Object.entries(TEMPLATE_FIELDS).flatMap(([g, f]) =>
        Object.entries(f).map(([k, d]) => [`${g}.${k}`, (OPTIONAL_GROUPS as readonly string[]).includes(g) ? `${d} (needs \`${g}\`)` : d]),
      ),
      ...Object.entries(TOP_LEVEL_FIELDS),
    ];
    expect(documented).toEqual(fields);
  });
});
