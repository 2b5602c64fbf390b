import { describe, expect, it } from 'vitest';
import { relationshipFacts } from '../../functions/core/score/relationship.ts';
import type { Account, Contact } from '../../functions/core/types.ts';

const now = new Date('2026-06-30T06:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const account = { primaryContact: { email: 'Ana@acme.example', role: 'admin' } } as Pick<Account, 'primaryContact'>;
const contact = (email: string, role: Contact['role'], leftDaysAgo?: number): Contact => ({
  accountId: 'acme',
  email,
  role,
  updatedAt: ago(0),
  ...(leftDaysAgo === undefined ? {} : { leftAt: ago(leftDaysAgo) }),
});

describe('relationship facts', () => {
  it.each([
    ['only the primary contact', [], { executiveSponsor: 'no', stakeholders: 1 }, false, false],
    [
      'a sponsor and a champion',
      [contact('cfo@acme.example', 'executive-sponsor'), contact('bo@acme.example', 'champion')],
      { executiveSponsor: 'yes', stakeholders: 3 },
      false,
      false,
    ],
    ['the champion left last week', [contact('bo@acme.example', 'champion', 7)], { executiveSponsor: 'no', stakeholders: 1 }, true, false],
    [
      'the champion left and another took the role',
      [contact('bo@acme.example', 'champion', 7), contact('cy@acme.example', 'champion')],
      { executiveSponsor: 'no', stakeholders: 2 },
      false,
      false,
    ],
    ['the champion left two months ago', [contact('bo@acme.example', 'champion', 60)], { executiveSponsor: 'no', stakeholders: 1 }, false, false],
    ['the sponsor left yesterday', [contact('cfo@acme.example', 'executive-sponsor', 1)], { executiveSponsor: 'no', stakeholders: 1 }, false, true],
    ['the primary contact left', [contact('ana@acme.example', 'admin', 3)], { executiveSponsor: 'no', stakeholders: 0 }, false, false],
  ])('%s', (_, contacts, signals, championLeft, sponsorLeft) => {
    expect(relationshipFacts(account, contacts as Contact[], now)).toEqual({ signals, championLeft, sponsorLeft });
  });
});
