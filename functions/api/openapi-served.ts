// Set by esbuild's `define` at synth (lib/bundling/options.ts, lib/bundled-openapi.ts): the API's
// OpenAPI document, generated from the same route list and config, as JSON text. Absent unbundled.
declare const __TEND_OPENAPI__: string | undefined;

/**
 * The body of `GET /v1/openapi.json`. A Lambda bundle serves the document synth generated, from a
 * chunk loaded on the first request: `typeof` of the defined string folds to a constant, esbuild
 * drops the other branch, and neither zod's JSON Schema generator (~20 KB) nor the document (~40 KB)
 * is parsed at cold start. Unbundled (tests, tsx) the document is generated here, the same way.
 */
export async function servedOpenApi(productName: string): Promise<string> {
  return typeof __TEND_OPENAPI__ === 'string'
    ? (await import('./openapi-document.ts')).openApiJson
    : JSON.stringify((await import('./openapi.ts')).tendOpenApiDocument(productName));
}
