import { describe, expect, it } from 'vitest';
import { ConfigError, formatPath, parseConfig, type TendConfigInput } from '../../functions/core/config.ts';
import { templateIds } from '../../functions/core/templates/catalogue.ts';
import cfg from '../../tend.config.ts';

/** A deep copy of the shipped config, changed by `mutate`. */
function variant(mutate: (c: TendConfigInput) => void): TendConfigInput {
  const c = structuredClone(cfg);
  mutate(c);
  return c;
}

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
    expect(parsed.journeys.onboarding.steps.map((s) => [s.id, s.day])).toEqual([
      ['welcome', 1],
      ['day-7', 7],
      ['day-14', 14],
      ['day-30', 30],
    ]);
  });

  it('every template the shipped journey names exists', () => {
    const parsed = parseConfig(cfg);
    for (const s of parsed.journeys.onboarding.steps) {
      expect(templateIds).toContain(s.templates.active);
      expect(templateIds).toContain(s.templates.inactive);
    }
  });

  it('fills defaults for the optional sections', () => {
    const parsed = parseConfig(
      variant((c) => {
        delete c.aws;
        delete c.scoring;
        delete c.segments;
      }),
    );
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
    ['non-increasing step days', (c) => (c.journeys.onboarding.steps[1]!.day = 1), 'journeys.onboarding.steps[1].day: steps must be in increasing day order'],
    ['a step day before the previous one', (c) => (c.journeys.onboarding.steps[3]!.day = 10), 'journeys.onboarding.steps[3].day: steps must be in increasing day order'],
    ['a fractional step day', (c) => (c.journeys.onboarding.steps[2]!.day = 14.5), 'journeys.onboarding.steps[2].day: '],
    ['a step day above a year', (c) => (c.journeys.onboarding.steps[3]!.day = 400), 'journeys.onboarding.steps[3].day: '],
    ['a duplicate step id', (c) => (c.journeys.onboarding.steps[2]!.id = 'day-7'), 'journeys.onboarding.steps[2].id: duplicate step id "day-7"'],
    ['a step id with capitals', (c) => (c.journeys.onboarding.steps[0]!.id = 'Welcome'), 'journeys.onboarding.steps[0].id: lowercase letters, digits and - only'],
    ['no steps', (c) => (c.journeys.onboarding.steps = []), 'journeys.onboarding.steps: '],
    ['an unknown active template', (c) => (c.journeys.onboarding.steps[1]!.templates.active = 'chekin-active' as never), 'journeys.onboarding.steps[1].templates.active: unknown template "chekin-active"'],
    ['an unknown inactive template', (c) => (c.journeys.onboarding.steps[0]!.templates.inactive = 'goodbye' as never), 'journeys.onboarding.steps[0].templates.inactive: unknown template "goodbye"'],
    ['a bad aws.region', (c) => (c.aws = { region: 'US-EAST-1' }), 'aws.region: an AWS region such as us-east-1'],
    ['a region without its number', (c) => (c.aws = { region: 'us-east' }), 'aws.region: '],
    ['a short aws.account', (c) => (c.aws = { account: '12345' }), 'aws.account: a 12-digit AWS account id'],
    ['an unknown scoreModel', (c) => (c.scoreModel = 'seed-999' as never), 'scoreModel: '],
    ['a bad scoring schedule', (c) => (c.scoring = { schedule: 'every day' }), 'scoring.schedule: rate(...) or cron(...)'],
    ['high-touch ARR not above medium-touch', (c) => (c.segments = { highTouchArr: 10_000, mediumTouchArr: 10_000 }), 'segments: highTouchArr must be above mediumTouchArr'],
  ])('%s', (_name, mutate, expected) => {
    const e = errorOf(variant(mutate));
    expect(e.name).toBe('ConfigError');
    expect(e.message).toContain('tend.config.ts is not valid:');
    expect(e.message).toContain(`  ${expected}`);
  });

  it('lists the known templates for an unknown template name', () => {
    const e = errorOf(variant((c) => (c.journeys.onboarding.steps[1]!.templates.active = 'chekin-active' as never)));
    expect(e.message).toContain(`known: ${templateIds.join(', ')}`);
  });

  it('names every bad field, not just the first', () => {
    const e = errorOf(
      variant((c) => {
        c.sender.from = 'x';
        c.scoreModel = 'nope' as never;
        c.journeys.onboarding.steps[1]!.day = 0;
      }),
    );
    const lines = e.message.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.trim().split(':')[0])).toEqual(expect.arrayContaining(['sender.from', 'scoreModel', 'journeys.onboarding.steps[1].day']));
  });

  it('names the source file it was given', () => {
    expect(errorOf(variant((c) => (c.sender.from = 'x')), 'my.config.ts').message).toMatch(/^my\.config\.ts is not valid:/);
  });

  it.each([
    [null, '(root)'],
    [{}, 'product'],
    [{ ...cfg, journeys: undefined }, 'journeys'],
  ])('rejects a missing section (%j) at %s', (input, path) => {
    expect(errorOf(input).message).toContain(`  ${path}: `);
  });
});

describe('formatPath', () => {
  it.each<[PropertyKey[], string]>([
    [[], '(root)'],
    [['scoreModel'], 'scoreModel'],
    [['sender', 'from'], 'sender.from'],
    [['journeys', 'onboarding', 'steps', 1, 'day'], 'journeys.onboarding.steps[1].day'],
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
