import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_LIMITS } from '../../functions/core/limits.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Values at and over the limits of what becomes part of a DynamoDB key (partition key 2,048
 * bytes, sort key 1,024, in UTF-8), sent to the bundled API on the local runtime, whose dynalite
 * refuses oversized keys as DynamoDB does: never a 5xx, a valid value stored, an oversized one
 * refused naming its field (alone, inside a Segment batch).
 */
const CHARS = ['a', 'é', '€', '😀']; // 1, 2, 3 and 4 bytes in UTF-8
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A string of exactly `n` UTF-8 bytes, built from a mix of 1- to 4-byte characters. */
const ofBytes = (n: number, mix: string[]) => {
  let s = '';
  for (let i = 0; ; i++) {
    const c = mix[i % mix.length]!;
    if (bytes(s) + bytes(c) > n) break;
    s += c;
  }
  return s + 'a'.repeat(n - bytes(s));
};
const around = (limit: number) =>
  fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: limit - 8, max: limit + 8 }), fc.integer({ min: 1000, max: 2200 }));
const keyText = (limit: number) =>
  fc.tuple(around(limit), fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 6 })).map(([n, mix]) => ofBytes(n, mix));

let seq = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;

describe('limits at the edge of the bundled API', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z') });
    expect((await rt.request('POST', '/v1/accounts', { id: 'lim', name: 'Limits', primaryContact: { email: 'cs@lim.example' } })).status).toBe(201);
    await rt.idle();
  });
  afterAll(() => rt?.stop());

  it('a Segment batch: every message over a limit is rejected naming its field, the valid ones are stored, never a 5xx', async () => {
    const field = fc.constantFrom('messageId', 'userId', 'anonymousId', 'groupId', 'context.groupId', 'traits.company.id');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(field, keyText(KEY_LIMITS.segmentIdBytes)), { minLength: 1, maxLength: 6 }), async (cases) => {
        const valid = {
          type: 'track',
          event: 'Report Viewed',
          messageId: unique('ok'),
          userId: 'u1',
          context: { groupId: 'lim' },
          timestamp: '2026-03-02T08:30:00Z',
        };
        const messages = cases.map(([name, value]) => {
          const base = { messageId: unique('m'), userId: 'u2', timestamp: '2026-03-02T08:30:00Z' };
          if (name === 'groupId') return { ...base, type: 'group', groupId: value };
          if (name === 'context.groupId') return { ...base, type: 'track', event: 'Opened', context: { groupId: value } };
          if (name === 'traits.company.id') return { ...base, type: 'identify', traits: { email: 'p@lim.example', company: { id: value } } };
          return { ...base, type: 'group', groupId: 'lim', [name]: value };
        });
        const res = await rt.request('POST', '/v1/segment', { batch: [valid, ...messages] });
        expect(res.status).toBe(200);
        const results = res.body!.results as { index: number; status: string; reason?: string }[];
        expect(results[0]).toMatchObject({ index: 0, status: 'accepted' });
        cases.forEach(([name, value], i) => {
          const outcome = results[i + 1]!;
          const over =
            name === 'groupId' || name === 'context.groupId' || name === 'traits.company.id' ? value.length > 128 : bytes(value) > KEY_LIMITS.segmentIdBytes;
          const leaf = name.split('.').pop()!;
          if (over)
            expect(outcome, `${name} of ${bytes(value)} bytes`).toMatchObject({
              status: 'rejected',
              reason: expect.stringMatching(new RegExp(`${leaf}|accountId`)),
            });
          // A group call of the known account with an id within the limit ties its user: stored.
          else if (name !== 'groupId' && name !== 'context.groupId' && name !== 'traits.company.id') expect(outcome.status).toMatch(/accepted|duplicate/);
        });
      }),
      { numRuns: 30 },
    );
  });

  it('a group call with a userId at the limit links that user; over it, the rest of the batch is still stored', async () => {
    const atLimit = ofBytes(KEY_LIMITS.segmentIdBytes, ['😀', 'é']);
    const over = ofBytes(KEY_LIMITS.segmentIdBytes + 1, ['😀', 'é']);
    const res = await rt.request('POST', '/v1/segment', {
      batch: [
        { type: 'group', groupId: 'lim', userId: atLimit, messageId: unique('g') },
        { type: 'group', groupId: 'lim', userId: over, messageId: unique('g') },
        { type: 'track', event: 'Opened', userId: 'u1', messageId: unique('t'), context: { groupId: 'lim' }, timestamp: '2026-03-02T08:31:00Z' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body!.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(res.body!.results[1].reason).toMatch(/^userId: too long/);
    const link = await rt.db.send(new GetCommand({ TableName: rt.tableName, Key: { pk: `USER#${atLimit}`, sk: 'ACCOUNT' } }));
    expect(link.Item).toBeDefined();
  });

  it('direct API: a contact email, an account id, event ids and a survey time over their limits are a 400 naming the field, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1100 }), keyText(128), fc.integer({ min: 0, max: 2000 }), async (localLength, id, fractionDigits) => {
        const email = `${'x'.repeat(localLength)}@lim.example`;
        const contact = await rt.request('POST', '/v1/contacts', { contacts: [{ accountId: 'lim', email }] });
        if (email.length <= KEY_LIMITS.emailChars) expect(contact).toMatchObject({ status: 202, body: { accepted: 1 } });
        else expect(contact).toMatchObject({ status: 400, body: { error: 'ValidationError', message: expect.stringContaining('contacts[0].email') } });

        const valid = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/.test(id) && id.length <= 128;
        const account = await rt.request('POST', '/v1/accounts', { id, name: 'X', primaryContact: { email } });
        expect(account.status).toBeLessThan(500);
        if (!valid) expect(account.body).toMatchObject({ error: 'ValidationError', message: expect.stringContaining('id') });

        const event = { id, accountId: 'lim', userId: id, name: 'opened', timestamp: '2026-03-02T08:00:00Z' };
        const events = await rt.request('POST', '/v1/events', { events: [event] });
        if (valid) expect(events.status).toBe(202);
        else expect(events).toMatchObject({ status: 400, body: { message: expect.stringContaining('events[0].id') } });

        const answeredAt = `2026-03-02T08:00:00${fractionDigits ? '.' + '1'.repeat(fractionDigits) : ''}Z`;
        const survey = await rt.request('POST', '/v1/surveys', { surveys: [{ id: unique('s'), accountId: 'lim', kind: 'nps', score: 9, answeredAt }] });
        if (answeredAt.length <= KEY_LIMITS.dateTimeChars) expect(survey.status).toBe(202);
        else expect(survey).toMatchObject({ status: 400, body: { message: expect.stringContaining('surveys[0].answeredAt') } });
      }),
      { numRuns: 25 },
    );
  });

  it('a cursor that is not one the API returned is a 400 with a code, never a 5xx', async () => {
    const crafted = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      fc
        .record({ pk: fc.string(), sk: fc.string(), gsi1pk: fc.constantFrom('RUNS#onboarding', 'RUNS#other', 'x'), gsi1sk: fc.string() }, { requiredKeys: [] })
        .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      keyText(1024).map((s) =>
        Buffer.from(JSON.stringify({ pk: `ACCOUNT#${s}`, sk: `RUN#onboarding#${s}`, gsi1pk: 'RUNS#onboarding', gsi1sk: s })).toString('base64url'),
      ),
      keyText(300).map((s) => Buffer.from(`3:${s}`).toString('base64url')),
      // A well-formed account cursor whose id belongs to another shard: a key DynamoDB refuses for that partition.
      fc
        .tuple(fc.integer({ min: 0, max: 20 }), fc.stringMatching(/^[a-z0-9]{1,12}$/))
        .map(([shard, id]) => Buffer.from(`${shard}:${id}`).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(crafted, fc.constantFrom('/v1/plays/onboarding/runs', '/v1/accounts'), async (cursor, path) => {
        const res = await rt.request('GET', `${path}?cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, cursor).toBeLessThan(500);
        if (res.status !== 200) expect(res).toMatchObject({ status: 400, body: { error: 'ValidationError', message: expect.stringContaining('cursor') } });
      }),
      { numRuns: 60 },
    );
  });

  it('a cursor the API returned pages on', async () => {
    for (const id of ['lim-b', 'lim-c']) await rt.request('POST', '/v1/accounts', { id, name: id, primaryContact: { email: `cs@${id}.example` } });
    await rt.idle();
    const first = await rt.request('GET', '/v1/plays/onboarding/runs?limit=1');
    expect(first).toMatchObject({ status: 200, body: { cursor: expect.any(String) } });
    const next = await rt.request('GET', `/v1/plays/onboarding/runs?limit=1&cursor=${first.body!.cursor}`);
    expect(next.status).toBe(200);
    expect(next.body!.runs[0].accountId).not.toBe(first.body!.runs[0].accountId);
  });
});
