import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountFields,
  entryMatches,
  entryPlace,
  entryStage,
  listingChanges,
  orderValue,
  scoreFields,
  scoreListing,
} from '../../functions/core/account-list-entry.ts';
import { stageOf } from '../../functions/core/card.ts';
import { planOf } from '../../functions/core/plan.ts';
import type { Account, StoredScore } from '../../functions/core/types.ts';

const DAY = 86_400_000;
const now = new Date('2026-06-01T12:00:00Z');
const thresholds = { newAccountDays: 90, renewalWithinDays: 60 };
const clock = { now, ...thresholds };

const accounts = fc.record({
  startDays: fc.integer({ min: -400, max: 10 }),
  renewalDays: fc.option(fc.integer({ min: -30, max: 200 })),
  stage: fc.option(fc.constantFrom('onboarding', 'adoption', 'retention', 'expansion', 'at-risk' as const)),
  plan: fc.option(fc.constantFrom('Pro annual', 'enterprise-2026', 'free')),
  segment: fc.constantFrom('high-touch', 'medium-touch', 'tech-touch'),
  owner: fc.option(fc.constantFrom('alex', 'sam')),
  name: fc.string({ maxLength: 12 }),
});
const scores = fc.option(
  fc.record({
    band: fc.constantFrom('green', 'yellow', 'red', null),
    tier: fc.constantFrom('green', 'yellow', 'red', 'at risk', null),
    flags: fc.subarray(['champion-left', 'no-login-7d', 'seat-limit', 'usage-drop']),
    score: fc.option(fc.integer({ min: 0, max: 100 })),
  }),
);

function toAccount(a: {
  startDays: number;
  renewalDays: number | null;
  stage: string | null;
  plan: string | null;
  segment: string;
  owner: string | null;
  name: string;
}): Account {
  return {
    id: 'Acme-1',
    name: a.name || 'Acme',
    segment: a.segment,
    status: 'active',
    startDate: new Date(now.getTime() + a.startDays * DAY).toISOString(),
    ...(a.renewalDays !== null ? { renewalDate: new Date(now.getTime() + a.renewalDays * DAY).toISOString().slice(0, 10) } : {}),
    ...(a.stage ? { stage: a.stage } : {}),
    ...(a.plan ? { plan: a.plan } : {}),
    ...(a.owner ? { owner: a.owner } : {}),
    primaryContact: { email: 'cs@acme.example' },
  } as unknown as Account;
}
const toScore = (s: { band: string | null; tier: string | null; flags: string[]; score: number | null }) =>
  ({
    band: s.band,
    tier: s.tier,
    score: s.score,
    flags: Object.fromEntries(s.flags.map((f) => [f, { kind: 'risk', since: '2026-05-01' }])),
  }) as unknown as StoredScore;

describe('list entries', () => {
  it("say the card's stage (no onboarding run), and the filters pick what the card and account show", () => {
    fc.assert(
      fc.property(accounts, scores, (a, s) => {
        const account = toAccount(a);
        const score = s ? toScore(s) : undefined;
        const entry = { ...accountFields(account), ...scoreFields(score) };
        const stage = stageOf(account, score, undefined, now, thresholds);
        expect(entryStage(entry, clock)).toBe(stage);
        expect(entryMatches(entry, { stage }, clock)).toBe(true);
        expect(
          entryMatches(
            entry,
            { plan: planOf(account), segment: account.segment, owner: account.owner ?? 'unassigned', band: score?.band ?? 'unscored' },
            clock,
          ),
        ).toBe(true);
        expect(entryMatches(entry, { q: 'acme-' }, clock)).toBe(true);
        expect(entryMatches(entry, { owner: 'nobody' }, clock)).toBe(false);
      }),
    );
  });

  it('sort keys order as the values do, with the id breaking ties; no value goes to lane 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (x, y) => {
        const key = (arr: number, id: string) => entryPlace(orderValue('arr', { id, arr } as Account, undefined), id).key;
        expect(Math.sign(key(x, 'b').localeCompare(key(y, 'a')))).toBe(x === y ? 1 : Math.sign(x - y));
      }),
    );
    expect(entryPlace(orderValue('score', { id: 'a' } as Account, { score: null }), 'a')).toEqual({ lane: 1, key: 'a' });
    expect(entryPlace(orderValue('renewalDate', { id: 'a' } as Account, undefined), 'a').lane).toBe(1);
    // A name with a space sorts before the same name with more after it, whatever the separator.
    const nameKey = (name: string) => entryPlace(orderValue('name', { id: 'z', name } as Account, undefined), 'z').key;
    expect(nameKey('ab') < nameKey('ab c')).toBe(true);
  });

  const listed = (score: number | null, band: string | null, flags: string[] = [], tier = band) =>
    scoreListing({ score, band, tier, flags: Object.fromEntries(flags.map((f) => [f, { kind: 'risk', since: '2026-05-01' }])) } as unknown as StoredScore);
  it.each([
    ['nothing the list shows changed (other facts may have)', listed(50, 'yellow'), listed(50, 'yellow'), { scoreEntry: false, otherEntries: false }],
    ['the score moved', listed(50, 'yellow'), listed(51, 'yellow'), { scoreEntry: true, otherEntries: false }],
    ['the first score', listed(null, null), listed(51, 'yellow'), { scoreEntry: true, otherEntries: true }],
    ['the band changed', listed(40, 'yellow'), listed(40, 'red'), { scoreEntry: true, otherEntries: true }],
    ['a flag was raised', listed(40, 'yellow'), listed(40, 'yellow', ['usage-drop']), { scoreEntry: true, otherEntries: true }],
    ['a red tier: at risk', listed(40, 'yellow', [], 'yellow'), listed(40, 'yellow', [], 'red'), { scoreEntry: true, otherEntries: true }],
    ['the entries hold what is not known', undefined, listed(40, 'yellow'), { scoreEntry: true, otherEntries: true }],
  ])('a score writes the entries its change needs: %s', (_, before, after, expected) => {
    expect(listingChanges(before, after)).toEqual(expected);
  });

  it("a score's listing changes exactly when one of its four entries would change", () => {
    fc.assert(
      fc.property(accounts, scores, scores, (a, s1, s2) => {
        const account = toAccount(a);
        const [before, after] = [s1 ? toScore(s1) : undefined, s2 ? toScore(s2) : undefined];
        const changes = listingChanges(scoreListing(before), scoreListing(after));
        const scoreEntryMoves = orderValue('score', account, before) !== orderValue('score', account, after);
        const fieldsChange = JSON.stringify(scoreFields(before)) !== JSON.stringify(scoreFields(after));
        expect(changes).toEqual({ scoreEntry: scoreEntryMoves || fieldsChange, otherEntries: fieldsChange });
      }),
    );
  });
});
