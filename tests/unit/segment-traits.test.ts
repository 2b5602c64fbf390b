import { describe, expect, it } from 'vitest';
import { accountFromTraits } from '../../functions/core/segment-traits.ts';
import type { Account } from '../../functions/core/types.ts';

const stored: Account = {
  id: 'initech',
  name: 'Initech',
  plan: 'pro',
  arr: 12_000,
  status: 'active',
  segment: 'tech-touch',
  startDate: '2025-06-01T00:00:00.000Z',
  createdAt: '2025-06-01T00:00:00.000Z',
  updatedAt: '2025-06-01T00:00:00.000Z',
  primaryContact: { email: 'bill@initech.example', name: 'Bill Lumbergh', role: 'champion' },
  csm: { name: 'Joanna', email: 'joanna@vendor.example' },
};
const create = { name: 'Initrode', email: 'owner@initrode.example' };

describe('accountFromTraits: creating an unknown account', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['name and email make the account and its primary contact', create, { id: 'g1', name: 'Initrode', primaryContact: { email: 'owner@initrode.example' } }],
    ['createdAt is its start date', { ...create, createdAt: '2024-11-05T10:00:00Z' }, { startDate: '2024-11-05T10:00:00Z' }],
    [
      'plan, arr, seats, renewalDate, status, segment',
      { ...create, plan: 'enterprise', arr: 48_000, seats: 25, renewalDate: '2027-01-31', status: 'Trial', segment: 'high-touch' },
      { plan: 'enterprise', arr: 48_000, seats: 25, renewalDate: '2027-01-31', status: 'trial', segment: 'high-touch' },
    ],
    ['clean numbers as strings are numbers', { ...create, arr: '48000.50', seats: ' 25 ' }, { arr: 48_000.5, seats: 25 }],
    ['mrr alone is arr / 12, to the cent', { ...create, mrr: 99.99 }, { arr: 1199.88 }],
    ['owner names the CSM who owns it (checked against tend.config.ts csms by the group call)', { ...create, owner: 'alex' }, { owner: 'alex' }],
    ['arr wins over mrr', { ...create, arr: 1000, mrr: 'junk' }, { arr: 1000 }],
    ['csm and csmEmail', { ...create, csm: 'Joanna', csmEmail: 'joanna@vendor.example' }, { csm: { name: 'Joanna', email: 'joanna@vendor.example' } }],
    ['createdAt as Unix seconds or milliseconds', { ...create, createdAt: 1730800800 }, { startDate: '2024-11-05T10:00:00.000Z' }],
    ['renewalDate as Unix milliseconds', { ...create, renewalDate: 1801353600000 }, { renewalDate: '2027-01-31T00:00:00.000Z' }],
    ["Stripe's trialing and canceled", { ...create, status: 'trialing' }, { status: 'trial' }],
    ['canceled is churned', { ...create, status: 'Canceled' }, { status: 'churned' }],
    ['past_due is active and paid late', { ...create, status: 'past_due' }, { status: 'active', paymentStatus: 'late' }],
    ['unpaid is active with a failed payment', { ...create, status: 'unpaid' }, { status: 'active', paymentStatus: 'failed' }],
    ['null and blank traits are not sent', { ...create, plan: null, arr: '' }, { name: 'Initrode' }],
  ])('%s', (_, traits, expected) => {
    const out = accountFromTraits('g1', traits, undefined);
    expect(out.kind).toBe('upsert');
    expect(out.kind === 'upsert' && out.input).toMatchObject(expected);
  });

  it('ignores traits that are not account fields', () => {
    const out = accountFromTraits('g1', { ...create, industry: 'Technology', employees: 329, website: 'initrode.example', 'total billed': 830 }, undefined);
    expect(out).toEqual({ kind: 'upsert', input: { id: 'g1', name: 'Initrode', primaryContact: { email: 'owner@initrode.example' } } });
  });

  it.each<[Record<string, unknown> | undefined, string]>([
    [undefined, '(missing traits.name, traits.email)'],
    [{ name: 'Initrode', industry: 'Tech' }, '(missing traits.email)'],
    [{ email: 'owner@initrode.example' }, '(missing traits.name)'],
  ])('without name and email it is refused, naming what is missing: %j', (traits, missing) => {
    const out = accountFromTraits('g1', traits, undefined);
    expect(out).toEqual({
      kind: 'rejected',
      reason: `account "g1" not found: send traits.name and traits.email to create it ${missing}, or create it with POST /v1/accounts first`,
    });
  });
});

describe('accountFromTraits: invalid values name their trait', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ arr: '$12,000' }, 'traits.arr: a number such as 12000 or "12000", got "$12,000"'],
    [{ arr: -5 }, 'traits.arr:'],
    [{ mrr: '-5' }, 'traits.mrr:'],
    [{ seats: 2.5 }, 'traits.seats:'],
    [{ seats: true }, 'traits.seats: a number'],
    [{ status: 'paying' }, 'traits.status:'],
    [{ segment: 'vip' }, 'traits.segment:'],
    [{ email: 'not-an-email' }, 'traits.email:'],
    [{ createdAt: 'yesterday' }, 'traits.createdAt: an ISO-8601 date'],
    [{ renewalDate: '31/01/2027' }, 'traits.renewalDate: an ISO-8601 date'],
    [{ plan: 3 }, 'traits.plan:'],
    [{ csmEmail: 'joanna@vendor.example' }, "traits.csm: the CSM's name, needed with traits.csmEmail"],
  ])('%j', (extra, reason) => {
    const out = accountFromTraits('g1', { ...create, ...extra }, undefined);
    expect(out.kind).toBe('rejected');
    expect(out.kind === 'rejected' && out.reason).toContain(reason);
  });

  it('an id Tend cannot store names groupId', () => {
    const out = accountFromTraits('Initrode Inc', create, undefined);
    expect(out.kind === 'rejected' && out.reason).toMatch(/^groupId: /);
  });
});

describe('accountFromTraits: updating a known account', () => {
  it('links only when the traits carry nothing for the account (createdAt alone included)', () => {
    expect(accountFromTraits('initech', { industry: 'Technology', employees: 329, createdAt: '2020-01-01T00:00:00Z' }, stored)).toEqual({ kind: 'link' });
    expect(accountFromTraits('initech', undefined, stored)).toEqual({ kind: 'link' });
  });

  it('writes the traits sent, with the stored name and whole primary contact, and never its start date', () => {
    const out = accountFromTraits('initech', { plan: 'enterprise', mrr: '2000', createdAt: '2020-01-01T00:00:00Z' }, stored);
    expect(out).toEqual({ kind: 'upsert', input: { id: 'initech', name: 'Initech', plan: 'enterprise', arr: 24_000, primaryContact: stored.primaryContact } });
  });

  it('keeps the stored contact for the same email in another case, and replaces it for another email', () => {
    const same = accountFromTraits('initech', { email: 'Bill@Initech.example' }, stored);
    expect(same.kind === 'upsert' && same.input.primaryContact).toEqual(stored.primaryContact);
    const other = accountFromTraits('initech', { email: 'billing@initech.example' }, stored);
    expect(other.kind === 'upsert' && other.input.primaryContact).toEqual({ email: 'billing@initech.example' });
  });

  it('keeps the CSM email while the CSM stays; a new CSM name drops the old address', () => {
    const same = accountFromTraits('initech', { csm: 'Joanna' }, stored);
    expect(same.kind === 'upsert' && same.input.csm).toEqual(stored.csm);
    const other = accountFromTraits('initech', { csm: 'Bob' }, stored);
    expect(other.kind === 'upsert' && other.input.csm).toEqual({ name: 'Bob' });
    const email = accountFromTraits('initech', { csmEmail: 'jo@vendor.example' }, stored);
    expect(email.kind === 'upsert' && email.input.csm).toEqual({ name: 'Joanna', email: 'jo@vendor.example' });
  });
});
