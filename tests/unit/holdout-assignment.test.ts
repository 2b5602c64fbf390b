import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assign, excludedBy, pickVariant, uniformOf } from '../../functions/core/plays/holdout.ts';
import { holdoutSchema } from '../../functions/core/plays/holdout-schema.ts';
import * as z from '../../functions/core/zod.ts';

const NOW = new Date('2026-03-01T00:00:00Z');
const tech = { segment: 'tech-touch' as const };
const holdout = (over: Partial<z.input<typeof holdoutSchema>> = {}) => holdoutSchema.parse({ share: 10, ...over });

describe('holdout assignment', () => {
  it('property: the same account, play, cycle and salt always draw the same group', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('save', 'onboarding'), fc.date({ noInvalidDate: true }), (id, play, day) => {
        const run = { accountId: id, play, cycle: day.toISOString().slice(0, 10) };
        expect(assign(holdout(), run, tech, NOW)).toEqual(assign(holdout(), run, tech, NOW));
      }),
    );
  });

  it('property: over many accounts, the held-out share is close to the declared one (within 4 standard errors)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.string({ maxLength: 8 }), fc.constantFrom('save', 'renewal', 'adoption'), (share, salt, play) => {
        const n = 4000;
        let held = 0;
        for (let i = 0; i < n; i++)
          if (assign(holdout({ share, salt }), { accountId: `acct-${i}`, play, cycle: '2026-03-01' }, tech, NOW).group === 'held-out') held++;
        const p = share / 100;
        expect(Math.abs(held / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      }),
      { numRuns: 25 },
    );
  });

  it('the draw is uniform: each tenth of [0, 1) gets about a tenth of 20,000 keys', () => {
    const bins = Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) bins[Math.floor(uniformOf(`k${i}`) * 10)]!++;
    for (const b of bins) expect(Math.abs(b - 2000)).toBeLessThan(4 * Math.sqrt(2000 * 0.9));
  });

  it('a new salt or a new cycle draws again, independently of the play', () => {
    const run = { accountId: 'acme', play: 'save', cycle: '2026-03-01' };
    const draws = [
      assign(holdout(), run, tech, NOW).draw,
      assign(holdout({ salt: 'v2' }), run, tech, NOW).draw,
      assign(holdout(), { ...run, cycle: '2026-04-01' }, tech, NOW).draw,
      assign(holdout(), { ...run, play: 'renewal' }, tech, NOW).draw,
    ];
    expect(new Set(draws).size).toBe(4);
  });

  it.each([
    { rules: [{ segment: ['high-touch'] }], account: { segment: 'high-touch' }, excluded: 'segment high-touch' },
    { rules: [{ segment: ['high-touch'] }], account: { segment: 'tech-touch' }, excluded: undefined },
    { rules: [{ renewalWithinDays: 30 }], account: { ...tech, renewalDate: '2026-03-31T00:00:00Z' }, excluded: 'renewal within 30 days' },
    { rules: [{ renewalWithinDays: 30 }], account: { ...tech, renewalDate: '2026-04-01T00:00:00Z' }, excluded: undefined },
    { rules: [{ renewalWithinDays: 30 }], account: { ...tech, renewalDate: '2026-02-01T00:00:00Z' }, excluded: undefined },
    { rules: [{ arrAtLeast: 50_000 }], account: { ...tech, arr: 50_000 }, excluded: 'ARR at least 50000' },
    { rules: [{ segment: ['medium-touch'] }, { arrAtLeast: 1 }], account: { ...tech, arr: 10 }, excluded: 'ARR at least 1' },
  ] as const)('exclusion $rules for $account: $excluded', ({ rules, account, excluded }) => {
    expect(excludedBy(holdoutSchema.parse({ share: 10, exclude: rules }).exclude, account, NOW)).toBe(excluded);
  });

  it('an excluded account, or a run after the holdout ended, is treated and not randomized', () => {
    const h = holdout({ share: 50, exclude: [{ segment: ['high-touch'] }] });
    const run = { accountId: 'acme', play: 'save', cycle: '2026-03-01' };
    expect(assign(h, run, { segment: 'high-touch' }, NOW)).toMatchObject({ group: 'treated', randomized: false, reason: 'excluded: segment high-touch' });
    expect(assign(h, run, tech, NOW, '2026-02-28T00:00:00.000Z')).toMatchObject({
      group: 'treated',
      randomized: false,
      reason: 'holdout ended 2026-02-28T00:00:00.000Z',
    });
    // An end recorded for later (clock skew) does not apply yet.
    expect(assign(h, run, tech, NOW, '2026-03-02T00:00:00.000Z').randomized).toBe(true);
  });

  it('property: variants are chosen deterministically, in proportion to their shares', () => {
    const variants = [
      { template: 'a', share: 1 },
      { template: 'b', share: 3 },
    ];
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), (cycle) => {
        const counts: Record<string, number> = { a: 0, b: 0 };
        for (let i = 0; i < 2000; i++) {
          const key = { accountId: `acct-${i}`, play: 'save', cycle, step: 'outreach' };
          const t = pickVariant(variants, key);
          expect(pickVariant(variants, key)).toBe(t);
          counts[t]!++;
        }
        expect(Math.abs(counts.a! / 2000 - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / 2000));
      }),
      { numRuns: 10 },
    );
  });

  it('refuses a share outside (0, 50] and variants without two templates, naming the field', () => {
    expect(holdoutSchema.safeParse({ share: 0 }).success).toBe(false);
    expect(holdoutSchema.safeParse({ share: 60 }).success).toBe(false);
    expect(holdout()).toEqual({ share: 10, salt: '', exclude: [], days: 90, minimumEffect: 10 });
  });
});
