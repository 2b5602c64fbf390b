import { describe, expect, it } from 'vitest';
import { templateIds, templates, type TemplateId } from '../../functions/core/templates/catalogue.ts';
import { render, type TemplateContext } from '../../functions/core/templates/render.ts';

const context = (): TemplateContext => ({
  product: { name: 'Acme Analytics', url: 'https://app.acme.example' },
  sender: { name: 'Acme Customer Success' },
  account: { id: 'globex', name: 'Globex Corporation' },
  contact: { firstName: 'Ana', email: 'ana@globex.example' },
  step: { id: 'day-7', day: 7 },
  usage: { seats: 12, activeUsers: 5, featuresUsed: 2, featuresAvailable: 6, suggestedFeature: 'alerts' },
});

/** Removes one dotted field from a context. */
function without(path: string): TemplateContext {
  const c = context() as unknown as Record<string, Record<string, unknown>>;
  const [group, field] = path.split('.') as [string, string];
  delete c[group]![field];
  return c as unknown as TemplateContext;
}

/** The dotted fields a template's source refers to, layout included for the html part. */
const fieldsOf = (id: TemplateId) => [...new Set([...JSON.stringify(templates[id]).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!))];

describe('render', () => {
  it('the catalogue has the onboarding templates', () => {
    expect(templateIds).toEqual(expect.arrayContaining(['welcome', 'checkin-active', 'checkin-inactive']));
  });

  it.each(templateIds)('%s renders fully for a realistic context', (id) => {
    const email = render(id, context());
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

  /**
   * The account's own figures each template quotes, as they appear in the text part (the html layout
   * carries numbers of its own, such as "12px", so figures are looked for in the text, as whole words,
   * and in the html body between the greeting and the footer). Every template must quote at least one
   * usage figure: a touch without value is "just checking in".
   */
  const figures: Record<TemplateId, readonly string[]> = {
    welcome: ['12 seats', 'alerts'],
    'checkin-active': ['5 of 12 seats', '2 of 6 features', 'alerts'],
    'checkin-inactive': ['5 of 12 seats', 'Globex Corporation', 'alerts'],
    'onboarding-review': ['5 of 12 seats', '2 of 6 features', 'alerts'],
    reengagement: ['Globex Corporation', '5 active users', 'alerts'],
    'feature-spotlight': ['2 of 6 features', 'alerts'],
    'training-offer': ['2 of 6 features', 'alerts', '5 active users'],
    'renewal-value-review': ['5 of 12 seats', 'Globex Corporation', '2 of 6 features'],
    'renewal-notice': ['Globex Corporation', '5 of 12 seats'],
    'save-outreach': ['Globex Corporation', '5 of 12 seats'],
    'expansion-offer': ['5 active users on 12 seats', '2 features'],
    'referral-request': ['5 users at Globex Corporation'],
  };
  const usageFigure = /\b(5|12|2 of 6)\b|alerts/;

  it('every template has its figures listed', () => {
    expect(Object.keys(figures).sort()).toEqual([...templateIds].sort());
  });

  it.each(templateIds)('%s quotes the account\'s own figures', (id) => {
    const email = render(id, context());
    const body = email.html.slice(email.html.indexOf('<p>Hi Ana,</p>'), email.html.indexOf('Sent by'));
    expect(body.length).toBeGreaterThan(0);
    const expected = figures[id];
    expect(expected.some((f) => usageFigure.test(f))).toBe(true);
    for (const f of expected) {
      const word = new RegExp(`(^|[^\\w])${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`);
      expect(email.text).toMatch(word);
      expect(body).toMatch(word);
    }
    expect(`${email.subject}\n${email.text}`).toContain('Acme Analytics');
  });

  it.each([
    ['welcome', 'Welcome to Acme Analytics, Globex Corporation'],
    ['checkin-active', '5 of your team used Acme Analytics this month'],
    ['checkin-inactive', 'Your Acme Analytics seats are waiting, Ana'],
  ] as const)('%s subject: %s', (id, subject) => {
    expect(render(id, context()).subject).toBe(subject);
  });

  it('check-ins state the usage figures', () => {
    expect(render('checkin-active', context()).text).toContain('Day 7 with Acme Analytics: 5 of 12 seats have been active, using 2 of 6 features.');
    expect(render('checkin-inactive', context()).text).toContain('nobody at Globex Corporation has used it in the last week: 5 of 12 seats');
  });

  it('zero is rendered as 0, not dropped', () => {
    const c = context();
    c.usage.activeUsers = 0;
    c.usage.featuresUsed = 0;
    expect(render('checkin-inactive', c).text).toContain('0 of 12 seats have been active');
    expect(render('checkin-active', c).subject).toBe('0 of your team used Acme Analytics this month');
  });

  it('escapes HTML in the html part only', () => {
    const c = context();
    c.account.name = 'Smith & <Sons>';
    const email = render('welcome', c);
    expect(email.subject).toBe('Welcome to Acme Analytics, Smith & <Sons>');
    const inactive = render('checkin-inactive', c);
    expect(inactive.html).toContain('Smith &amp; &lt;Sons&gt;');
    expect(inactive.html).not.toContain('<Sons>');
    expect(inactive.text).toContain('Smith & <Sons>');
  });

  it.each(templateIds.flatMap((id) => fieldsOf(id).map((field) => ({ id, field }))))('$id fails without $field (strict mode)', ({ id, field }) => {
    const name = field.split('.')[1]!;
    expect(() => render(id, without(field))).toThrow(new RegExp(`"${name}" not defined`));
  });

  it.each(templateIds)('%s fails without the layout field contact.email', (id) => {
    expect(() => render(id, without('contact.email'))).toThrow(/"email" not defined/);
  });

  it('fails when a whole group is missing', () => {
    const c = context() as Partial<TemplateContext>;
    delete c.usage;
    expect(() => render('welcome', c as TemplateContext)).toThrow();
  });
});
