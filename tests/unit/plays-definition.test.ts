import { describe, expect, it } from 'vitest';
import { BUILTIN_PLAYS } from '../../functions/core/plays/builtin.ts';
import { asList, playSchema, type PlayInput } from '../../functions/core/plays/definition.ts';
import { resolvePlays } from '../../functions/core/plays/resolve.ts';
import { formatPath } from '../../functions/core/config.ts';

const base: PlayInput = {
  id: 'custom',
  description: 'A play',
  trigger: { on: 'account.created' },
  anchor: 'startDate',
  steps: [{ id: 'first', day: 1, do: { email: 'welcome' } }],
};
const withPlay = (change: (p: PlayInput) => void): PlayInput => {
  const p = structuredClone(base);
  change(p);
  return p;
};
/** The issues of a refused play, as `path: message`. */
const issues = (input: unknown): string[] => {
  const r = playSchema.safeParse(input);
  if (r.success) throw new Error('the play was accepted');
  return r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
};

describe('built-in plays', () => {
  it.each(Object.entries(BUILTIN_PLAYS))('%s parses, under its own id', (key, play) => {
    const parsed = playSchema.parse(play);
    expect(parsed.id).toBe(key);
    expect(parsed.steps.length).toBeGreaterThan(0);
    for (const s of parsed.steps) {
      expect(s.catchUp === 'run' || s.catchUp === 'skip').toBe(true);
      // The onboarding welcome is skipped when it is late, but only after a week: a late welcome is worse than none.
      expect(s.graceHours).toBe(key === 'onboarding' && s.id === 'welcome' ? 168 : 24);
      expect(s.do !== undefined || s.choose !== undefined || s.watch !== undefined).toBe(true);
    }
  });

  it('are the seven plays of the brief', () => {
    expect(Object.keys(BUILTIN_PLAYS).sort()).toEqual(['adoption', 'advocacy', 'expansion', 'onboarding', 'reengagement', 'renewal', 'save']);
  });

  it("keep the brief's figures", () => {
    const p = resolvePlays({});
    expect(p.onboarding!.steps[0]).toMatchObject({ id: 'welcome', day: 1, catchUp: 'skip', graceHours: 168 });
    expect(p.onboarding!.steps.map((s) => s.day)).toEqual([1, 7, 14, 30, 60]);
    expect(p.renewal!.steps.map((s) => s.day)).toEqual([-90, -60, -30, -14]);
    expect(p.renewal!.trigger).toEqual({ on: 'date', field: 'renewalDate', daysBefore: 90 });
    expect(p.save!.trigger).toEqual({ on: 'tier.changed', to: ['red'] });
    expect(p.save!.exitWhen).toEqual([
      { reason: 'recovered', when: { notRedForDays: 7 } },
      { reason: 'renewed', when: { renewalOutcome: ['renewed'] } },
    ]);
    expect(p.save!.steps.at(-1)!.watch).toMatchObject({ everyDays: 1, escalateAfterDays: 14, giveUpAfterDays: 60 });
    expect(p.save!.steps.map((s) => [s.day, s.hour])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
    ]);
    expect(p.save!.steps[2]).toMatchObject({ id: 'review-check', waitFor: { until: { taskDone: 'review' }, upToDays: 3 } });
    expect(p.adoption!.exitWhen).toEqual([{ reason: 'adopted', when: { adoptionAtLeast: 70 } }]);
    expect(p.advocacy!.cooldownDays).toBe(180);
    expect(p.reengagement!.trigger).toEqual({ on: 'flag.started', flags: ['no-login-7d'] });
  });

  it('fill action defaults: category success, task priority medium due in 3 days', () => {
    const parsed = playSchema.parse(withPlay((p) => (p.steps[0]!.do = [{ email: 'welcome' }, { task: { title: 'Call' } }])));
    expect(parsed.steps[0]!.do).toEqual([{ email: 'welcome', category: 'success' }, { task: { title: 'Call', priority: 'medium', dueDays: 3 } }]);
  });
});

describe('resolvePlays', () => {
  it('keeps the built-ins, drops one turned off, replaces one and adds a new one', () => {
    const advocacy = playSchema.parse({ ...BUILTIN_PLAYS.advocacy!, cooldownDays: 30 });
    const custom = playSchema.parse(base);
    const p = resolvePlays({ reengagement: false, advocacy, custom });
    expect(Object.keys(p).sort()).toEqual(['adoption', 'advocacy', 'custom', 'expansion', 'onboarding', 'renewal', 'save']);
    expect(p.advocacy!.cooldownDays).toBe(30);
    expect(p.custom).toBe(custom);
  });
});

describe('asList', () => {
  it.each<[unknown, unknown[]]>([
    [undefined, []],
    [{ email: 'welcome' }, [{ email: 'welcome' }]],
    [
      [{ email: 'welcome' }, { stage: 'onboarding' }],
      [{ email: 'welcome' }, { stage: 'onboarding' }],
    ],
    [[], []],
  ])('%j -> %j', (input, expected) => {
    expect(asList(input)).toEqual(expected);
  });

  it('returns the same array it was given', () => {
    const list = [1, 2];
    expect(asList(list)).toBe(list);
  });
});

describe('playSchema refuses', () => {
  it.each<[string, (p: PlayInput) => void, string]>([
    [
      'steps out of time order',
      (p) =>
        (p.steps = [
          { id: 'a', day: 7, do: { email: 'welcome' } },
          { id: 'b', day: 3, do: { email: 'welcome' } },
        ]),
      'steps[1].day: steps must be in time order',
    ],
    [
      'a step an hour earlier on the same day',
      (p) =>
        (p.steps = [
          { id: 'a', day: 0, hour: 5, do: { email: 'welcome' } },
          { id: 'b', day: 0, hour: 4, do: { email: 'welcome' } },
        ]),
      'steps[1].day: steps must be in time order',
    ],
    [
      'a duplicate step id',
      (p) =>
        (p.steps = [
          { id: 'a', day: 1, do: { email: 'welcome' } },
          { id: 'a', day: 2, do: { email: 'welcome' } },
        ]),
      'steps[1].id: duplicate step id "a"',
    ],
    ['a step with both do and choose', (p) => (p.steps[0]!.choose = [{ do: { email: 'welcome' } }]), 'steps[0]: a step has `do` or `choose`, not both'],
    ['a step that does nothing', (p) => delete p.steps[0]!.do, 'steps[0]: a step needs `do`, `choose` or `watch`'],
    [
      'a watch before the last step',
      (p) =>
        (p.steps = [
          { id: 'w', day: 1, watch: { giveUpAfterDays: 10 } },
          { id: 'b', day: 2, do: { email: 'welcome' } },
        ]),
      'steps[0].watch: a watch must be the last step',
    ],
    [
      'a date trigger counting from another date',
      (p) => (p.trigger = { on: 'date', field: 'renewalDate', daysBefore: 30 }),
      'anchor: a date-triggered play counts from its date: anchor must be "renewalDate"',
    ],
    ['a step id with a space', (p) => (p.steps[0]!.id = 'day 7'), 'steps[0].id: a step id is lowercase letters, digits and - (it names states and keys)'],
    [
      'a play id too long to name a state machine',
      (p) => (p.id = 'a'.repeat(25)),
      'id: a play id is lowercase letters, digits and - (it names states and keys)',
    ],
    ['an hour of 24', (p) => (p.steps[0]!.hour = 24), 'steps[0].hour: '],
    ['a day more than a year back', (p) => (p.steps[0]!.day = -366), 'steps[0].day: '],
    ['an unknown flag in a condition', (p) => (p.steps[0]!.when = { flag: 'nope' as never }), 'steps[0].when.flag: unknown flag "nope"; known: '],
    ['notRedForDays over 30', (p) => (p.exitWhen = [{ reason: 'ok', when: { notRedForDays: 31 } }]), 'exitWhen[0].when.notRedForDays: '],
    ['adoption over 100%', (p) => (p.steps[0]!.when = { adoptionBelow: 101 }), 'steps[0].when.adoptionBelow: '],
    ['an empty tier list', (p) => (p.steps[0]!.when = { tier: [] }), 'steps[0].when.tier: '],
    ['more than 20 steps', (p) => (p.steps = Array.from({ length: 21 }, (_, i) => ({ id: `s${i}`, day: i, do: { email: 'welcome' as const } }))), 'steps: '],
    ['no steps', (p) => (p.steps = []), 'steps: '],
    ['a negative cool-down', (p) => (p.cooldownDays = -1), 'cooldownDays: '],
    // Whether a template exists is the config's check (tests/unit/config.test.ts): it knows the configured ones too.
    [
      'a template id that cannot be one',
      (p) => (p.steps[0]!.do = { email: 'Welcome Mail' }),
      'steps[0].do.email: a template id is lowercase letters, digits and -',
    ],
  ])('%s', (_name, change, expected) => {
    const found = issues(withPlay(change));
    expect(
      found.some((i) => i.startsWith(expected)),
      `${expected} in ${JSON.stringify(found)}`,
    ).toBe(true);
  });

  // Union members report zod's generic "Invalid input" at the union, not the member's own message.
  it.each<[string, (p: PlayInput) => void, string]>([
    ['an unknown flag in a trigger', (p) => (p.trigger = { on: 'flag.started', flags: ['promotor' as never] }), 'trigger: Invalid input'],
    ['an unknown stage', (p) => (p.steps[0]!.do = { stage: 'renewal' as never }), 'steps[0].do: Invalid input'],
    ['an unknown trigger', (p) => (p.trigger = { on: 'account.updated' } as never), 'trigger: Invalid input'],
  ])('%s (at the union)', (_name, change, expected) => {
    expect(issues(withPlay(change))).toEqual([expected]);
  });
});
