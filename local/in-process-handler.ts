import type { WireRequest, WireResponse } from './dynalite-call.ts';
import { localSigV4Scheme } from './local-signer.ts';

/** The part of the SDK's HttpRequest a DynamoDB call fills (JSON protocol: the body is a string). */
interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * The well-known global through which the local runtime gives the bundles it imports this
 * handler (functions/data/client.ts uses it when present; nothing sets it on Lambda).
 */
export const LOCAL_DYNAMODB_HANDLER = Symbol.for('tend.local.dynamodb');

/**
 * An SDK `requestHandler` that serves each serialized request in this process instead of sending
 * it over HTTP: the client's serialization, middleware (signing, retries) and error parsing run as
 * on AWS; only the socket is gone. `httpAuthSchemes` is the auth its clients take (a signature
 * nobody checks is not computed: local/local-signer.ts).
 */
export function inProcessHandler(serve: (request: WireRequest) => Promise<WireResponse>) {
  return {
    metadata: { handlerProtocol: 'in-process' },
    httpAuthSchemes: [localSigV4Scheme],
    async handle(request: SdkHttpRequest, options?: { abortSignal?: { aborted: boolean } }) {
      if (options?.abortSignal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      let search = '';
      // DynamoDB's JSON protocol sends no query string: the common case builds none.
      const entries = request.query ? Object.entries(request.query) : [];
      if (entries.length > 0) {
        const query = new URLSearchParams();
        for (const [k, v] of entries) for (const x of Array.isArray(v) ? v : [v ?? '']) query.append(k, x);
        search = `?${query}`;
      }
      const response = await serve({ path: `${request.path}${search}`, headers, body: bodyText(request.body) });
      // A Uint8Array body is what the SDK's body collector reads without a stream.
      return { response: { statusCode: response.statusCode, headers: response.headers, body: Buffer.from(response.body, 'utf8') } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/** The serialized body as text (the SDK's JSON body is a Uint8Array; read as bytes, not through its string view). */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body == null) return '';
  throw new Error('the in-process DynamoDB handler takes a string or byte body, not a stream');
}

export type InProcessHandler = ReturnType<typeof inProcessHandler>;
