import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tendOpenApiDocument } from '../../functions/api/openapi.ts';
import { assertKnownQuery, queryParameterNames, RENAMED_QUERY_PARAMETERS } from '../../functions/api/query-check.ts';
import { ROUTES, routeParts, type RouteSpec } from '../../functions/api/routes.ts';
import { ValidationError } from '../../functions/core/errors.ts';

const routes = Object.entries(ROUTES) as [string, RouteSpec][];
const openApi = tendOpenApiDocument('Test');
const rejected = (spec: RouteSpec, params: Record<string, string>) => {
  try {
    assertKnownQuery(spec, params);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return ((e as ValidationError).details as { field: string }[]).map((d) => d.field);
  }
};

describe('unknown query parameters, for every route of the route list', () => {
  it.each(routes)('%s: the names it accepts are the ones OpenAPI documents', (key, spec) => {
    const { method, path } = routeParts(key);
    const documented = (openApi.paths[path]![method.toLowerCase()] as { parameters: { name: string; in: string }[] }).parameters
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect([...queryParameterNames(spec.query)]).toEqual(documented);
  });

  it.each(routes)('%s: any mix of known and unknown names is rejected exactly for the unknown ones', (_, spec) => {
    const names = queryParameterNames(spec.query);
    const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,12}$/);
    fc.assert(
      fc.property(fc.subarray([...names]), fc.uniqueArray(name, { maxLength: 4 }), (knownOnes, others) => {
        const unknown = others.filter((n) => !names.includes(n) && !knownOnes.includes(n));
        const params = Object.fromEntries([...knownOnes, ...unknown].map((n) => [n, 'x']));
        expect(rejected(spec, params)).toEqual(unknown);
      }),
      { numRuns: 50 },
    );
  });

  it('says where a renamed parameter went', () => {
    const list = ROUTES['GET /v1/accounts'] as RouteSpec;
    for (const old of Object.keys(RENAMED_QUERY_PARAMETERS)) {
      try {
        assertKnownQuery(list, { [old]: 'red' });
        expect.unreachable();
      } catch (e) {
        expect((e as ValidationError).message).toContain(RENAMED_QUERY_PARAMETERS[old]);
      }
    }
  });
});
