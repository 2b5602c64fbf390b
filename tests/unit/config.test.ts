import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CHECKLIST, formatPath, parseConfig, type TendConfigInput } from '../../functions/core/config.ts';
import { FLAG_RULES } from '../../functions/core/flags/rules.ts';
import { BUILTIN_PLAYS } from '../../functions/core/plays/builtin.ts';
import type { PlayInput } from '../../functions/core/plays/definition.ts';
import { templateIds, templateSource } from '../../functions/core/templates/catalogue.ts';
import { assertTemplates } from '../../functions/core/templates/check.ts';
import cfg from '../../tend.config.ts';

/** A deep copy of the shipped config, changed by `mutate`. */
function variant(mutate: (c: TendConfigInput) => void): TendConfigInput {
  const c = structuredClone(cfg);
  mutate(c);
  return c;
}

/** A copy of a built-in play, changed by `mutate`. */
function playWith(id: string, mutate: (p: PlayInput) => void): PlayInput {
  const p = structuredClone(BUILTIN_PLAYS[id]!);
  mutate(p);
  return p;
}
const flagIds = Object.keys(FLAG_RULES);
const renewalWith = (mutate: (p: PlayInput) => void) => playWith('renewal', mutate);
const saveWith = (mutate: (p: PlayInput) => void) => playWith('save', mutate);

/** The ConfigError that parsing `input` throws. */
function errorOf(input: unknown, source?: string): ConfigError {
  try {
    parseConfig(input, source);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('parseConfig accepted an invalid config');
}

describe('parseConfig on the shipped tend.config.ts', () => {
  it('succeeds and keeps the values', () => {
    const parsed = parseConfig(cfg);
    expect(parsed.scoreModel).toBe('seed-002');
    expect(parsed.sender.from).toBe('success@acme.example');
    expect(parsed.product.features).toContain('dashboards');
    expect(Object.keys(parsed.plays).sort()).toEqual(['adoption', 'advocacy', 'expansion', 'onboarding', 'reengagement', 'renewal', 'save']);
    expect(parsed.plays.onboarding!.steps.map((s) => [s.id, s.day])).toEqual([
      ['welcome', 1],
      ['day-7', 7],
      ['day-14', 14],
      ['day-30', 30],
      ['review', 60],
    ]);
    expect(parsed.milestones).toEqual({ firstValue: { activeUsers: 3, features: 2 }, checklist: [...DEFAULT_CHECKLIST], firstValueTargetDays: 14 });
  });

  it('every template the shipped plays name exists', () => {
    const parsed = parseConfig(cfg);
    const named = Object.values(parsed.plays).flatMap((p) =>
      p.steps.flatMap((s) =>
        [s.do, ...(s.choose ?? []).map((o) => o.do), s.highTouch, s.watch?.escalate, s.watch?.giveUp]
          .flat()
          .filter((a) => a !== undefined && 'email' in a)
          .map((a) => (a as { email: string }).email),
      ),
    );
    expect(named.length).toBeGreaterThan(5);
    for (const t of named) expect(templateIds).toContain(t);
  });

  it('fills defaults for the optional sections', () => {
    const parsed = parseConfig(
      variant((c) => {
        delete c.aws;
        delete c.scoring;
        delete c.segments;
        delete c.milestones;
        delete c.plays;
      }),
    );
    expect(parsed.milestones).toEqual({ firstValue: { activeUsers: 3, features: 2 }, checklist: [...DEFAULT_CHECKLIST], firstValueTargetDays: 14 });
    expect(Object.keys(parsed.plays)).toHaveLength(Object.keys(BUILTIN_PLAYS).length);
    expect(parsed.aws).toEqual({});
    expect(parsed.scoring).toEqual({
      schedule: 'cron(0 6 * * ? *)',
      rescoreSchedule: 'rate(1 hour)',
      fallingFastPoints: 10,
      windows: { usageDays: 30, frequencyDays: 14 },
      flags: { usageDropPercent: 50, renewalWithinDays: 60, seatLimitPercent: 90, newAccountDays: 90, departments: 3 },
    });
    expect(parsed.segments).toEqual({ highTouchArr: 50_000, mediumTouchArr: 10_000 });
  });

  it('accepts a valid AWS region and account', () => {
    const parsed = parseConfig(variant((c) => (c.aws = { region: 'eu-west-1', account: '123456789012' })));
    expect(parsed.aws).toEqual({ region: 'eu-west-1', account: '123456789012' });
  });

  it('does not change its input', () => {
    const input = structuredClone(cfg);
    parseConfig(input);
    expect(input).toEqual(cfg);
  });
});

describe('parseConfig rejects a bad config with a ConfigError naming the field', () => {
  it.each<[string, (c: TendConfigInput) => void, string]>([
    ['sender.from not an email', (c) => (c.sender.from = 'success-at-acme'), 'sender.from: '],
    ['sender.replyTo not an email', (c) => (c.sender.replyTo = 'nope'), 'sender.replyTo: '],
    ['empty sender name', (c) => (c.sender.name = ''), 'sender.name: '],
    ['product.url not a URL', (c) => (c.product.url = 'acme dot example'), 'product.url: '],
    ['no product features', (c) => (c.product.features = []), 'product.features: '],
    ['an empty feature name', (c) => (c.product.features = ['dashboards', '']), 'product.features[1]: '],
    [
      'a renewal step out of time order',
      (c) => (c.plays = { renewal: renewalWith((p) => (p.steps[1]!.day = -95)) }),
      'plays.renewal.steps[1].day: steps must be in time order',
    ],
    [
      'a step an hour before the previous one on the same day',
      (c) => (c.plays = { save: saveWith((p) => ((p.steps[1]!.hour = 0), (p.steps[0]!.hour = 2))) }),
      'plays.save.steps[1].day: steps must be in time order',
    ],
    [
      'a duplicate step id',
      (c) => (c.plays = { renewal: renewalWith((p) => (p.steps[2]!.id = 'value-review')) }),
      'plays.renewal.steps[2].id: duplicate step id "value-review"',
    ],
    [
      'a step id with capitals',
      (c) => (c.plays = { renewal: renewalWith((p) => (p.steps[0]!.id = 'Health')) }),
      'plays.renewal.steps[0].id: a step id is lowercase letters, digits and -',
    ],
    // A type error inside a play (not an int, an unknown enum value) is reported at the field itself, not at the play.
    [
      'a fractional step day',
      (c) => (c.plays = { renewal: renewalWith((p) => (p.steps[3]!.day = -14.5)) }),
      'plays.renewal.steps[3].day: Invalid input: expected int, received number',
    ],
    ['a step day more than a year away', (c) => (c.plays = { renewal: renewalWith((p) => (p.steps[0]!.day = -400)) }), 'plays.renewal.steps[0].day: '],
    ['no steps', (c) => (c.plays = { renewal: renewalWith((p) => (p.steps = [])) }), 'plays.renewal.steps: '],
    [
      'an unknown flag in a step condition',
      (c) => (c.plays = { renewal: renewalWith((p) => (p.steps[0]!.when = { flag: 'nope' })) }),
      `plays.renewal.steps[0].when.flag: unknown flag "nope"; known: ${flagIds.join(', ')}`,
    ],
    [
      'a play under a key other than its id',
      (c) => (c.plays = { winback: { ...BUILTIN_PLAYS.renewal! } }),
      'plays.winback.id: the play under "winback" must have id "winback"',
    ],
    [
      'a date-triggered play counting from another date',
      (c) => (c.plays = { renewal: renewalWith((p) => (p.anchor = 'startDate')) }),
      'plays.renewal.anchor: a date-triggered play counts from its date: anchor must be "renewalDate"',
    ],
    [
      'a watch that is not the last step',
      (c) => (c.plays = { save: saveWith((p) => p.steps.reverse().forEach((s, i) => ((s.day = i), (s.hour = 0)))) }),
      'plays.save.steps[0].watch: a watch must be the last step',
    ],
    ['a milestone of zero users', (c) => (c.milestones = { firstValue: { activeUsers: 0, features: 2 } }), 'milestones.firstValue.activeUsers: '],
    ['a bad aws.region', (c) => (c.aws = { region: 'US-EAST-1' }), 'aws.region: an AWS region such as us-east-1'],
    ['a region without its number', (c) => (c.aws = { region: 'us-east' }), 'aws.region: '],
    ['a short aws.account', (c) => (c.aws = { account: '12345' }), 'aws.account: a 12-digit AWS account id'],
    ['an unknown scoreModel', (c) => (c.scoreModel = 'seed-999' as never), 'scoreModel: '],
    ['a bad scoring schedule', (c) => (c.scoring = { schedule: 'every day' }), 'scoring.schedule: rate(...) or cron(...)'],
    [
      'high-touch ARR not above medium-touch',
      (c) => (c.segments = { highTouchArr: 10_000, mediumTouchArr: 10_000 }),
      'segments: highTouchArr must be above mediumTouchArr',
    ],
  ])('%s', (_name, mutate, expected) => {
    const e = errorOf(variant(mutate));
    expect(e.name).toBe('ConfigError');
    expect(e.message).toContain('tend.config.ts is not valid:');
    expect(e.message).toContain(`  ${expected}`);
  });

  // Through the `false | play` union of the plays record (and the action/trigger unions inside a
  // play), the user sees the deepest option's own message at the field, not zod's "Invalid input" at the play.
  it('refuses an unknown template in a play, naming the field and the known templates', () => {
    const e = errorOf(variant((c) => (c.plays = { renewal: renewalWith((p) => (p.steps[2]!.choose![1]!.do = { email: 'renewal-notise' as never })) })));
    expect(e.message).toBe(
      `tend.config.ts is not valid:\n  plays.renewal.steps[2].choose[1].do.email: unknown template "renewal-notise"; known: ${templateIds.join(', ')}`,
    );
    expect(templateIds).toContain('renewal-notice');
  });

  it('refuses an unknown flag in a trigger, naming the field and the known flags', () => {
    const e = errorOf(variant((c) => (c.plays = { advocacy: { ...BUILTIN_PLAYS.advocacy!, trigger: { on: 'flag.started', flags: ['promotor' as never] } } })));
    expect(e.message).toBe(`tend.config.ts is not valid:\n  plays.advocacy.trigger.flags[0]: unknown flag "promotor"; known: ${flagIds.join(', ')}`);
    expect(flagIds).toContain('promoter');
  });

  it('names every bad field, not just the first', () => {
    const e = errorOf(
      variant((c) => {
        c.sender.from = 'x';
        c.scoreModel = 'nope' as never;
        c.plays = { renewal: renewalWith((p) => (p.steps[1]!.day = -95)) };
      }),
    );
    const lines = e.message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.trim().split(':')[0])).toEqual(expect.arrayContaining(['sender.from', 'scoreModel', 'plays.renewal.steps[1].day']));
  });

  it('names the source file it was given', () => {
    expect(
      errorOf(
        variant((c) => (c.sender.from = 'x')),
        'my.config.ts',
      ).message,
    ).toMatch(/^my\.config\.ts is not valid:/);
  });

  it.each([
    [null, '(root)'],
    [{}, 'product'],
    [{ ...cfg, sender: undefined }, 'sender'],
  ])('rejects a missing section (%j) at %s', (input, path) => {
    expect(errorOf(input).message).toContain(`  ${path}: `);
  });
});

describe('plays in the config', () => {
  const plays = (p: TendConfigInput['plays']) => parseConfig(variant((c) => (c.plays = p))).plays;

  it('runs every built-in play when the config names none', () => {
    expect(Object.keys(plays({})).sort()).toEqual(Object.keys(BUILTIN_PLAYS).sort());
  });

  it('turns a built-in play off with false', () => {
    const p = plays({ advocacy: false });
    expect(p).not.toHaveProperty('advocacy');
    expect(Object.keys(p)).toHaveLength(Object.keys(BUILTIN_PLAYS).length - 1);
  });

  it('replaces a built-in play given under its id', () => {
    const p = plays({ advocacy: { ...BUILTIN_PLAYS.advocacy!, cooldownDays: 365 } });
    expect(p.advocacy!.cooldownDays).toBe(365);
    expect(p.renewal!.steps.map((s) => s.day)).toEqual([-90, -60, -30, -14]);
  });

  it('adds a play of its own, with the defaults filled', () => {
    const p = plays({
      'trial-end': {
        id: 'trial-end',
        description: 'Trial ends',
        trigger: { on: 'account.created' },
        anchor: 'startDate',
        steps: [{ id: 'remind', day: 12, do: { task: { title: 'Call before the trial ends' } } }],
      },
    });
    expect(Object.keys(p)).toHaveLength(Object.keys(BUILTIN_PLAYS).length + 1);
    expect(p['trial-end']).toEqual({
      id: 'trial-end',
      description: 'Trial ends',
      trigger: { on: 'account.created' },
      anchor: 'startDate',
      cooldownDays: 0,
      exitWhen: [],
      steps: [
        {
          id: 'remind',
          day: 12,
          hour: 0,
          catchUp: 'run',
          graceHours: 24,
          do: { task: { title: 'Call before the trial ends', priority: 'medium', dueDays: 3 } },
        },
      ],
    });
  });
});

describe('formatPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], '(root)'],
    [['scoreModel'], 'scoreModel'],
    [['sender', 'from'], 'sender.from'],
    [['plays', 'renewal', 'steps', 1, 'day'], 'plays.renewal.steps[1].day'],
    [['product', 'features', 0], 'product.features[0]'],
  ])('%j -> %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('scoring windows and flag thresholds', () => {
  it('refuses a frequency window longer than the usage window, naming the field', async () => {
    const { parseConfig, ConfigError } = await import('../../functions/core/config.ts');
    const base = (await import('../../tend.config.ts')).default;
    const bad = { ...base, scoring: { ...base.scoring, windows: { usageDays: 14, frequencyDays: 30 } } };
    expect(() => parseConfig(bad)).toThrow(ConfigError);
    expect(() => parseConfig(bad)).toThrow('scoring.windows.frequencyDays: frequencyDays must not exceed usageDays');
    expect(() => parseConfig({ ...base, scoring: { ...base.scoring, flags: { usageDropPercent: 0 } } })).toThrow('scoring.flags.usageDropPercent');
  });
});

describe('templates in tend.config.ts', () => {
  const digest = {
    subject: '{{account.name}}: your month in {{product.name}}',
    html: '<p>{{usage.activeUsers}} of {{usage.seats}} seats active, {{usage.trend}}.</p>',
    text: '{{usage.activeUsers}} of {{usage.seats}} seats active, {{usage.trend}}.',
  };

  it('adds templates and replaces built-in ones; plays may send them', () => {
    const parsed = parseConfig(
      variant((c) => {
        c.templates = { 'monthly-digest': digest, welcome: { ...digest, subject: 'Welcome aboard, {{account.name}}' } };
        c.plays = { renewal: renewalWith((p) => (p.steps[2]!.choose![1]!.do = { email: 'monthly-digest' })) };
      }),
    );
    expect(Object.keys(parsed.templates)).toEqual(['monthly-digest', 'welcome']);
    expect(() => assertTemplates(parsed)).not.toThrow();
    expect(templateSource(parsed.templates, 'welcome')?.subject).toBe('Welcome aboard, {{account.name}}');
    expect(templateSource(parsed.templates, 'renewal-notice')?.subject).toContain('renews');
    expect(templateSource(parsed.templates, 'nope')).toBeUndefined();
    expect(templateSource(parsed.templates, 'constructor')).toBeUndefined();
  });

  it('lists the configured templates among the known ones when a play names an unknown one', () => {
    const e = errorOf(
      variant((c) => {
        c.templates = { 'monthly-digest': digest };
        c.plays = { renewal: renewalWith((p) => (p.steps[0]!.choose![0]!.do = { email: 'monthly-digets' })) };
      }),
    );
    expect(e.message).toBe(
      `tend.config.ts is not valid:\n  plays.renewal.steps[0].choose[0].do.email: unknown template "monthly-digets"; known: ${[...templateIds, 'monthly-digest'].join(', ')}`,
    );
  });

  it('refuses a bad template id and an empty part at parse', () => {
    expect(errorOf(variant((c) => (c.templates = { 'Monthly Digest': digest }))).message).toContain(
      'templates.Monthly Digest: a template id is lowercase letters, digits and -',
    );
    expect(errorOf(variant((c) => (c.templates = { digest: { ...digest, text: '' } }))).message).toContain('templates.digest.text:');
  });

  it('names a field the context does not have, at synth, with the path of the template part', () => {
    const parsed = parseConfig(variant((c) => (c.templates = { digest: { ...digest, html: '<p>{{usage.activeUser}} and {{renewal.daysLeft}}</p>' } })));
    let message = '';
    try {
      assertTemplates(parsed);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        'tend.config.ts is not valid:',
        '  templates.digest.html: {{usage.activeUser}}: not a template field; usage has usage.seats, usage.activeUsers, usage.featuresUsed, usage.featuresAvailable, usage.suggestedFeature, usage.adoptionPercent, usage.seatUsePercent, usage.unusedFeatures, usage.trend, usage.lastActive',
        "  templates.digest.needs: it reads renewal.*: add needs: ['renewal']",
      ].join('\n'),
    );
  });
});
