// Set by esbuild's `define` at synth (lib/bundled-openapi.ts); this module is only imported from a bundle.
declare const __TEND_OPENAPI__: string;

/** The OpenAPI document synth generated, as JSON text: its own chunk, loaded on the first `GET /v1/openapi.json`. */
export const openApiJson: string = __TEND_OPENAPI__;
