import { readFileSync } from 'node:fs';
import type { TendConfig } from '../functions/core/config.ts';
import { tendOpenApiDocument } from '../functions/api/openapi.ts';

const documents = new Map<string, string>();

/**
 * The API's OpenAPI document as JSON text, generated at synth from the route list and the config
 * synth validated (its file, lib/bundled-config.ts), for esbuild to define as `__TEND_OPENAPI__`
 * (functions/api/openapi.ts): the API bundle serves it as is, without zod's JSON Schema generator.
 * Once per config file: every function's bundle gets the same define.
 */
export function bundledOpenApi(configFile: string): string {
  let json = documents.get(configFile);
  if (json === undefined) {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as TendConfig;
    documents.set(configFile, (json = JSON.stringify(tendOpenApiDocument(config.product.name))));
  }
  return json;
}
