import fc from 'fast-check';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { expressionMemoStats, memoized } from '../../local/dynalite-expressions.ts';

// dynalite's own entry point for a request's expressions, and the parsers it calls through their modules.
const require = createRequire(import.meta.url);
const validations = require('dynalite/validations/index.js') as { validateExpressions: (data: Request) => string | undefined };
type Parser = { parse: Parameters<typeof memoized>[0] };
const parsers = ['conditionParser', 'updateParser', 'projectionParser'].map((n) => require(`dynalite/db/${n}`) as Parser);
const originals = parsers.map((p) => p.parse);

afterEach(() => parsers.forEach((p, i) => (p.parse = originals[i]!)));

type Value = Record<string, unknown>;
interface Request {
  UpdateExpression?: string;
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, Value>;
  [parsed: string]: unknown;
}

/** What dynalite makes of each request (its answer and the parsed expressions it keeps), with or without the memo. */
function validate(requests: Request[], memo: boolean) {
  parsers.forEach((p, i) => (p.parse = memo ? memoized(originals[i]!) : originals[i]!));
  return requests.map((request) => {
    const data = structuredClone(request);
    const error = validations.validateExpressions(data);
    return { error, parsed: [data._updates, data._condition, data._keyCondition, data._filter, data._projection] };
  });
}

const s = (S: string): Value => ({ S });
const n = (N: string): Value => ({ N });
const ss = (...SS: string[]): Value => ({ SS });
const claim = (hashes: string[], extra: Partial<Request> = {}): Request => ({
  UpdateExpression: 'ADD #ids :ids, #users :users SET #day = :day, expiresAt = :exp',
  ConditionExpression: `NOT (${hashes.map((_, i) => `contains(#ids, :h${i})`).join(' OR ')})`,
  ExpressionAttributeNames: { '#ids': 'ids', '#users': 'users', '#day': 'day' },
  ExpressionAttributeValues: {
    ':ids': ss(...hashes),
    ':users': ss('u1'),
    ':day': s('2026-01-05'),
    ':exp': n('1767225600'),
    ...Object.fromEntries(hashes.map((h, i) => [`:h${i}`, s(h)])),
  },
  ...extra,
});
const between = (from: Value, to: Value): Request => ({
  KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
  ExpressionAttributeValues: { ':pk': s('ACCT#a'), ':from': from, ':to': to },
});

describe('the memo of dynalite expression parses', () => {
  it.each<[string, Request[]]>([
    ['the same claim with other hashes (a hit fills in this request’s values)', [claim(['a', 'b']), claim(['c', 'd']), claim(['e', 'f'])]],
    ['claims of other lengths', [claim(['a']), claim(['a', 'b', 'c']), claim(['x'])]],
    [
      'a value left unused is still refused on a hit',
      [claim(['a']), claim(['b'], { ExpressionAttributeValues: { ...claim(['b']).ExpressionAttributeValues, ':spare': s('x') } })],
    ],
    ['a value not defined is refused, and not remembered', [claim(['a'], { ExpressionAttributeValues: { ':ids': ss('a') } }), claim(['a'])]],
    ['BETWEEN in order, then reversed bounds on a hit', [between(s('a'), s('b')), between(s('z'), s('b')), between(s('c'), s('d'))]],
    ['BETWEEN with bounds of two types', [between(n('1'), n('2')), between(n('1'), s('2'))]],
    [
      'begins_with on a string, then on a number (a type the check refuses)',
      [
        { ConditionExpression: 'begins_with(#k, :p)', ExpressionAttributeNames: { '#k': 'sk' }, ExpressionAttributeValues: { ':p': s('USAGE#') } },
        { ConditionExpression: 'begins_with(#k, :p)', ExpressionAttributeNames: { '#k': 'sk' }, ExpressionAttributeValues: { ':p': n('1') } },
        { ConditionExpression: 'begins_with(#k, :p)', ExpressionAttributeNames: { '#k': 'sk' }, ExpressionAttributeValues: { ':p': s('SCORE#') } },
      ],
    ],
    [
      'one condition beside updates that use some of its names',
      [
        {
          UpdateExpression: 'SET #a = :a',
          ConditionExpression: 'attribute_not_exists(#a) OR #b < :b',
          ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
          ExpressionAttributeValues: { ':a': n('1'), ':b': n('2') },
        },
        {
          UpdateExpression: 'SET #b = :b',
          ConditionExpression: 'attribute_not_exists(#a) OR #b < :b',
          ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
          ExpressionAttributeValues: { ':b': n('3') },
        },
        {
          ConditionExpression: 'attribute_not_exists(#a) OR #b < :b',
          ExpressionAttributeNames: { '#a': 'a', '#b': 'b', '#c': 'c' },
          ExpressionAttributeValues: { ':b': n('3') },
        },
      ],
    ],
    [
      'a names map that says other attributes',
      [
        { ConditionExpression: '#x = :v', ExpressionAttributeNames: { '#x': 'status' }, ExpressionAttributeValues: { ':v': s('active') } },
        { ConditionExpression: '#x = :v', ExpressionAttributeNames: { '#x': 'tier' }, ExpressionAttributeValues: { ':v': s('red') } },
      ],
    ],
    [
      'a reserved word',
      [
        { ConditionExpression: 'status = :v', ExpressionAttributeValues: { ':v': s('a') } },
        { ConditionExpression: 'status = :v', ExpressionAttributeValues: { ':v': s('b') } },
      ],
    ],
    [
      'list_append and if_not_exists, numbers and lists',
      [
        {
          UpdateExpression: 'SET #h = list_append(if_not_exists(#h, :empty), :new), #n = #n + :one',
          ExpressionAttributeNames: { '#h': 'history', '#n': 'n' },
          ExpressionAttributeValues: { ':empty': { L: [] }, ':new': { L: [n('1')] }, ':one': n('1') },
        },
        {
          UpdateExpression: 'SET #h = list_append(if_not_exists(#h, :empty), :new), #n = #n + :one',
          ExpressionAttributeNames: { '#h': 'history', '#n': 'n' },
          ExpressionAttributeValues: { ':empty': { L: [] }, ':new': { L: [n('2')] }, ':one': n('2') },
        },
        {
          UpdateExpression: 'SET #h = list_append(if_not_exists(#h, :empty), :new), #n = #n + :one',
          ExpressionAttributeNames: { '#h': 'history', '#n': 'n' },
          ExpressionAttributeValues: { ':empty': { L: [] }, ':new': { L: [n('2')] }, ':one': s('2') },
        },
      ],
    ],
    [
      'projections with nested paths, and a filter',
      [
        {
          ProjectionExpression: '#s.tier, ids[0], trainings',
          FilterExpression: 'size(#s) > :z',
          ExpressionAttributeNames: { '#s': 'score' },
          ExpressionAttributeValues: { ':z': n('0') },
        },
        {
          ProjectionExpression: '#s.tier, ids[0], trainings',
          FilterExpression: 'size(#s) > :z',
          ExpressionAttributeNames: { '#s': 'score' },
          ExpressionAttributeValues: { ':z': n('5') },
        },
      ],
    ],
    [
      'a syntax error, twice',
      [
        { ConditionExpression: 'a = = :v', ExpressionAttributeValues: { ':v': s('a') } },
        { ConditionExpression: 'a = = :v', ExpressionAttributeValues: { ':v': s('a') } },
      ],
    ],
  ])('answers as dynalite does: %s', (_, requests) => {
    expect(validate(requests, true)).toStrictEqual(validate(requests, false));
  });

  it('parses a shape once, and gives each request a tree of its own (dynalite may change what it is handed)', () => {
    parsers.forEach((p, i) => (p.parse = memoized(originals[i]!)));
    const first = claim(['a']);
    const second = claim(['b']);
    validations.validateExpressions(first);
    const { hits, misses } = expressionMemoStats;
    validations.validateExpressions(second);
    expect(expressionMemoStats).toMatchObject({ hits: hits + 2, misses });
    expect(first._condition).not.toBe(second._condition);
    expect(JSON.stringify(first._condition)).toContain('"a"');
    expect(JSON.stringify(second._condition)).not.toContain('"a"');
  });

  it('keeps the nodes dynalite shares shared (an update lists each path in its section and in `paths`)', () => {
    const update = (v: string): Request => ({
      UpdateExpression: 'SET #a = :a REMOVE b',
      ExpressionAttributeNames: { '#a': 'a' },
      ExpressionAttributeValues: { ':a': s(v) },
    });
    const [plain] = validate([update('x')], false);
    const [, hit] = validate([update('x'), update('y')], true);
    const sharing = (parsed: unknown) => {
      const { sections, paths } = parsed as { sections: { path: unknown }[]; paths: unknown[] };
      return sections.map((section, i) => section.path === paths[i]);
    };
    expect(sharing(hit!.parsed[0])).toEqual(sharing(plain!.parsed[0]));
    expect(sharing(plain!.parsed[0])).toContain(true);
  });

  it('answers BETWEEN as dynalite does for any bounds', () => {
    const bound = fc.oneof(
      fc
        .string({ maxLength: 3 })
        .filter((x) => x.length > 0)
        .map(s),
      fc.integer({ min: -50, max: 50 }).map((x) => n(String(x))),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(bound, bound), { minLength: 1, maxLength: 6 }), (pairs) => {
        const requests = pairs.map(([from, to]) => between(from, to));
        expect(validate(requests, true)).toStrictEqual(validate(requests, false));
      }),
    );
  });
});
