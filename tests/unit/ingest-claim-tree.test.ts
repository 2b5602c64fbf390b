import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usageEvent } from './support/usage-event.ts';
import { CLAIMS_PER_WRITE, eventHash } from '../../functions/data/usage-claims.ts';
import { bodyPrint, childOf, claimInNode, NODE_CLAIMS } from '../../functions/data/usage-overflow.ts';
import type { UsageEvent } from '../../functions/core/types.ts';

const ev = (id: string, over: Partial<UsageEvent> = {}) => usageEvent(id, { properties: { feature: 'reports', sessionId: 's1' }, ...over });

describe("a busy day's claim tree", () => {
  it.each([
    ['', /^[0-3]$/],
    ['2', /^2\.[0-7]$/],
    ['2.5', /^2\.5\.[0-7]$/],
  ])('sends an id from node "%s" to one child of its fanout', (node, child) => {
    fc.assert(fc.property(fc.string(), (id) => void expect(childOf(node, eventHash(id))).toMatch(child)));
  });

  it('sends an id along one path: the child of its parent, the same every time', () => {
    fc.assert(
      fc.property(fc.string(), (id) => {
        const h = eventHash(id);
        const first = childOf('', h);
        expect(childOf(first, h).startsWith(`${first}.`)).toBe(true);
        expect(childOf(first, h)).toBe(childOf(first, h));
      }),
    );
  });

  it('spreads ids over the children (no child takes more than twice its share of 8,000 ids)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 8000; i++) counts.set(childOf('1', eventHash(`e${i}`)), (counts.get(childOf('1', eventHash(`e${i}`))) ?? 0) + 1);
    expect(counts.size).toBe(8);
    for (const n of counts.values()) expect(n).toBeLessThan(2000);
  });

  it.each([
    ['another user', { userId: 'u2' }],
    ['another event name', { name: 'api.export' }],
    ['another hour', { timestamp: '2026-03-02T11:00:00Z' }],
    ['another property value', { properties: { feature: 'alerts', sessionId: 's1' } }],
    ['one property more', { properties: { feature: 'reports', sessionId: 's1', department: 'ops' } }],
  ])('prints a body with %s differently', (_, over) => {
    expect(bodyPrint(ev('a', over))).not.toBe(bodyPrint(ev('a')));
  });

  it('prints the same body the same, whatever the order of its properties or its id', () => {
    expect(bodyPrint(ev('a', { properties: { sessionId: 's1', feature: 'reports' } }))).toBe(bodyPrint(ev('b')));
    expect(bodyPrint(ev('a'))).toMatch(/^[A-Za-z0-9_-]{4}$/);
  });

  it("keeps a full node's claim inside DynamoDB's expression limits (4 KB, 300 operators) and the node's room", () => {
    const events = Array.from({ length: NODE_CLAIMS }, (_, i) => ev(`event-${i}`));
    const input = claimInNode('t', { pk: 'p', sk: 's' }, events, 1).input;
    for (const expression of [input.ConditionExpression!, input.UpdateExpression!]) expect(Buffer.byteLength(expression)).toBeLessThan(4096);
    expect((input.ConditionExpression!.match(/\b(attribute_not_exists|OR|AND|NOT)\b|<=/g) ?? []).length).toBeLessThanOrEqual(300);
    expect(input.ExpressionAttributeValues![':room']).toBe(0);
    expect(new Set(Object.values(input.ExpressionAttributeNames!).filter((n) => /^c.{11}$/.test(n))).size).toBe(NODE_CLAIMS);
    expect(NODE_CLAIMS).toBeLessThanOrEqual(CLAIMS_PER_WRITE);
  });
});
