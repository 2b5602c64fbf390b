import { describe, expect, it } from 'vitest';
import { templateIds, templates } from '../../functions/core/templates/catalogue.ts';
import { render } from '../../functions/core/templates/compile.ts';
import { exampleTemplateContext } from '../../functions/core/templates/example.ts';
import { TEMPLATE_HELPERS } from '../../functions/core/templates/helpers.ts';
import type { TemplateContext } from '../../functions/core/templates/render.ts';
import { checkTemplate } from '../../functions/core/templates/check.ts';
import { firstNameOf } from '../../functions/core/email/context.ts';
import { plural } from '../../functions/core/plural.ts';
import { signalCatalogue } from '../../functions/core/score/signals.ts';
import { describeCondition } from '../../functions/core/plays/conditions.ts';

type Figures = {
  usage?: Partial<TemplateContext['usage']>;
  year?: Partial<NonNullable<TemplateContext['year']>>;
  renewal?: Partial<NonNullable<TemplateContext['renewal']>>;
};
const contextWith = (f: Figures): TemplateContext => {
  const c = exampleTemplateContext();
  return { ...c, usage: { ...c.usage, ...f.usage }, year: { ...c.year!, ...f.year }, renewal: { ...c.renewal!, ...f.renewal } };
};

// The accounts whose emails said "0 people ... 0 features" or "1 features": nobody active, one of everything.
const CASES: [string, Figures][] = [
  ['a realistic account', {}],
  [
    'an account nobody used',
    { usage: { activeUsers: 0, featuresUsed: 0, adoptionPercent: 0, seatUsePercent: 0 }, year: { activeUsers: 0, userDays: 0, featuresUsed: 0 } },
  ],
  ['no seats known', { usage: { seats: 0, seatUsePercent: 0 } }],
  [
    'one of everything',
    {
      usage: { seats: 1, activeUsers: 1, featuresUsed: 1, featuresAvailable: 1 },
      year: { activeUsers: 1, userDays: 1, featuresUsed: 1 },
      renewal: { daysLeft: 1 },
    },
  ],
  ['used but no feature counted', { usage: { featuresUsed: 0, adoptionPercent: 0 }, year: { featuresUsed: 0 } }],
  ['renewing today', { renewal: { daysLeft: 0 } }],
];
const NOUNS = 'people|persons?|seats?|features?|user-days?|days?';
const text = (e: { subject: string; html: string; text: string }) => `${e.subject}\n${e.html.replace(/<[^>]+>/g, '')}\n${e.text}`;

describe('every template leaves out a figure it does not have, and counts in good English', () => {
  it.each(templateIds.flatMap((id) => CASES.map(([name, f]) => [id, name, f] as const)))('%s for %s', (id, _, figures) => {
    const email = render(templates[id], contextWith(figures));
    const all = text(email);
    expect(all).not.toMatch(new RegExp(`(^|[^\\d.,%])0 (of \\d+ )?(${NOUNS})\\b`, 'm'));
    expect(all).not.toMatch(new RegExp(`(^|[^\\d.,])1 (people|persons|seats|features|user-days|days)\\b`, 'm'));
    expect(email.text).not.toMatch(/\n{3,}/);
    expect(all).not.toMatch(/ ,| \.|\.\.|: \.|,\./);
  });

  it('keeps the figures it has', () => {
    const e = render(templates['renewal-notice'], contextWith({}));
    expect(e.text).toContain('This year your team achieved: 9 people working in Acme Analytics, 1240 user-days of use and 4 features adopted.');
    const none = render(templates['renewal-notice'], contextWith(CASES[1]![1]));
    expect(none.text).not.toContain('achieved');
    expect(none.text).toContain('renews on 1 February 2027, in 30 days, for 12 seats.');
  });

  it.each([
    ['a full name', 'Pat Smith', 'Pat'],
    ['no name: not the address', undefined, 'there'],
    ['a blank name', '  ', 'there'],
  ])('greets %s', (_, name, first) => {
    expect(firstNameOf(name)).toBe(first);
    const c = { ...exampleTemplateContext(), contact: { firstName: firstNameOf(name), email: 'ops@globex.example' } };
    for (const id of templateIds) expect(render(templates[id], c).text).toMatch(new RegExp(`^Hi ${first},`));
  });

  it('checks the helpers at synth like the fields they take', () => {
    expect(checkTemplate({ subject: '{{plural usage.seats "seat"}}', html: '{{#ifFigures year.userDays}}x{{/ifFigures}}', text: 'x' })).toEqual({
      issues: [],
      needs: ['year'],
    });
    expect(checkTemplate({ subject: '{{plural usage.sets "seat"}}', html: 'x', text: 'x' }).issues[0]?.message).toContain('usage.sets');
  });
});

describe('plural, the one way text counts things', () => {
  it.each([
    [0, 'feature', undefined, undefined, '0 features'],
    [1, 'feature', undefined, undefined, '1 feature'],
    [1.5, 'feature', undefined, undefined, '1.5 features'],
    [2, 'person', 'people', undefined, '2 people'],
    [1, 'person', 'people', undefined, '1 person'],
    [1.04, 'day', undefined, (n: number) => n.toFixed(1).replace(/\.0$/, ''), '1 day'],
    [1000, 'account', undefined, (n: number) => n.toLocaleString('en-US'), '1,000 accounts'],
  ])('%s %s', (n, one, many, format, out) => expect(plural(n, one, many, format)).toBe(out));

  // The card's reasons: "each active user uses 1 features a day" was the issue's example.
  it.each(Object.keys(signalCatalogue))('the reason for %s counts in good English at 1 and 2', (signal) => {
    const one = signalCatalogue[signal]!.describe(1);
    expect(one).not.toMatch(/(^|[^\d.,])1 (days|features|sessions|minutes|people|support tickets)\b/);
    expect(signalCatalogue[signal]!.describe(2)).not.toMatch(/(^|[^\d.,])2 (day|feature|session|minute|person|support ticket)\b(?!s)/);
  });

  it('is how play conditions count days', () => {
    expect(describeCondition({ notRedForDays: 1 } as never)).toContain('not red for 1 day');
  });

  it('is the template helper', () => {
    const options = { hash: {}, fn: () => '', inverse: () => '' };
    expect(TEMPLATE_HELPERS.plural(1, 'seat', options)).toBe('1 seat');
    expect(TEMPLATE_HELPERS.plural(3, 'person', 'people', options)).toBe('3 people');
  });
});
