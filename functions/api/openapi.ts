import * as z from '../core/zod.ts';
import { ROUTES, type RouteSpec } from './routes.ts';

const COMMON_ERRORS: Record<number, string> = {
  400: 'bad input: the message names the field and the rule',
  401: 'no API key or access token, or one Tend refuses (unknown, revoked, forged, expired)',
  403: "the key's scopes or the person's role lack the scope this route needs",
  413: 'body over the size limit',
  415: 'body is not application/json',
  429: 'the key exceeded its requests a minute; see Retry-After',
};

/** JSON Schema 2020-12 of a zod schema, as OpenAPI 3.1 embeds it (without its own `$schema`). */
function schemaOf(schema: z.ZodMiniType) {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' }, details: {} },
};

/** OpenAPI 3.1 from the route list and the very zod schemas the handlers parse with. */
export function openApiDocument(routes: Record<string, RouteSpec>, info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [routeKey, doc] of Object.entries(routes)) {
    const [method, path] = routeKey.split(' ') as [string, string];
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = doc.query ? (schemaOf(doc.query) as { properties?: Record<string, unknown>; required?: string[] }) : undefined;
    const queryParams = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query?.required?.includes(name) ?? false,
      schema,
    }));
    const keyed = doc.auth !== 'public';
    // Public routes (the unsubscribe links) take no key, so none of the key's errors apply to them.
    const errors = { ...(keyed ? COMMON_ERRORS : {}), ...(doc.errors ?? {}) };
    const errorContent = doc.contentType ? { [doc.contentType]: { schema: { type: 'string' } } } : { 'application/json': { schema: errorSchema } };
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      operationId: routeKey.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, ''),
      summary: doc.summary,
      security: keyed ? [{ bearer: [] }, { apiKeyHeader: [] }, ...(routeKey.endsWith('/segment') ? [{ segmentWriteKey: [] }] : [])] : [],
      'x-tend-scope': doc.auth === 'any' ? 'any valid key' : doc.auth === 'public' ? 'none: the signed token in the link' : doc.auth,
      parameters: [...params, ...queryParams],
      // A body the route's schema accepts absent (a play action's optional { by }) is not required.
      ...(doc.body
        ? { requestBody: { required: !doc.body.safeParse(undefined).success, content: { 'application/json': { schema: schemaOf(doc.body) } } } }
        : {}),
      responses: {
        ...Object.fromEntries(
          Object.entries(doc.ok).map(([code, description]) => [
            code,
            { description, ...(doc.contentType ? { content: { [doc.contentType]: { schema: { type: 'string' } } } } : {}) },
          ]),
        ),
        ...Object.fromEntries(Object.entries(errors).map(([code, description]) => [code, { description, content: errorContent }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: "Authorization: Bearer tend_<id>_<secret> (tend keys create), or a signed-in person's access token (a JWT; docs/auth.md)",
        },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        segmentWriteKey: { type: 'http', scheme: 'basic', description: 'Segment SDKs: the Tend key as the Basic user, empty password' },
      },
    },
  };
}

/** Tend's API document: the route list's, titled with the product's name (served by functions/api/openapi-served.ts). */
export const tendOpenApiDocument = (productName: string) => openApiDocument(ROUTES, { title: `Tend API (${productName})`, version: '1' });
