import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, type TendConfigInput } from '../../functions/core/config.ts';
import { BUILTIN_PLAYS } from '../../functions/core/plays/builtin.ts';
import userConfig from '../../tend.config.ts';
import { buildApp } from '../../lib/app.ts';

/** `bin/tend.ts` builds the app from `parseConfig(tend.config.ts)`: a bad config stops the synth with the field named. */
describe('config validation before synth', () => {
  const withChange = (change: (c: TendConfigInput) => void): unknown => {
    const copy = structuredClone(userConfig);
    change(copy);
    return copy;
  };

  const errorOf = (input: unknown): ConfigError => {
    try {
      parseConfig(input);
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('parseConfig accepted an invalid config');
  };

  it('accepts the shipped tend.config.ts', () => {
    expect(() => parseConfig(userConfig)).not.toThrow();
  });

  it('rejects a sender.from that is not an email, naming the field', () => {
    const err = errorOf(
      withChange((c) => {
        c.sender.from = 'nope';
      }),
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.name).toBe('ConfigError');
    expect(err.message).toContain('tend.config.ts is not valid');
    expect(err.message).toMatch(/^\s+sender\.from: /m);
  });

  it('names every bad field, including nested array positions', () => {
    const err = errorOf(
      withChange((c) => {
        c.sender.from = 'nope';
        c.scoring = { schedule: 'every day' };
        const renewal = structuredClone(BUILTIN_PLAYS.renewal!);
        renewal.steps[1]!.day = -95;
        c.plays = { renewal };
      }),
    );
    expect(err.message).toMatch(/^\s+sender\.from: /m);
    expect(err.message).toMatch(/^\s+scoring\.schedule: rate\(\.\.\.\) or cron\(\.\.\.\)/m);
    expect(err.message).toMatch(/^\s+plays\.renewal\.steps\[1\]\.day: steps must be in time order$/m);
  });
});

describe('template checks at synth', () => {
  it('stops buildApp on a config template with a field the context lacks, before any construct is made', () => {
    const config = parseConfig({ ...userConfig, templates: { digest: { subject: 'Hi', html: '<p>{{usage.seatz}}</p>', text: 'x' } } });
    expect(() => buildApp({ config, bundling: false })).toThrow(/templates\.digest\.html: \{\{usage\.seatz\}\}: not a template field/);
  });
});

describe("CDK's built-in CloudFormation validation", () => {
  it('runs for cdk synth and deploy (bin/tend.ts), and is left out only when asked (the local runtime, whose templates tests/cdk/validate.test.ts checks)', () => {
    expect(buildApp({ bundling: false })._builtinCloudFormationValidation).toBe(true);
    expect(buildApp({ bundling: false, validation: false })._builtinCloudFormationValidation).toBe(false);
  });
});
