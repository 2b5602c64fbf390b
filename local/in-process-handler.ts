import type { WireRequest, WireResponse } from './dynalite-call.ts';

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
 * on AWS; only the socket is gone.
 */
export function inProcessHandler(serve: (request: WireRequest) => Promise<WireResponse>) {
  return {
    metadata: { handlerProtocol: 'in-process' },
    async handle(request: SdkHttpRequest, options?: { abortSignal?: { aborted: boolean } }) {
      if (options?.abortSignal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(request.query ?? {})) for (const x of Array.isArray(v) ? v : [v ?? '']) query.append(k, x);
      const search = query.size > 0 ? `?${query}` : '';
      const body = typeof request.body === 'string' ? request.body : request.body == null ? '' : Buffer.from(request.body as Uint8Array).toString('utf8');
      const response = await serve({ path: `${request.path}${search}`, headers, body });
      // A Uint8Array body is what the SDK's body collector reads without a stream.
      return { response: { statusCode: response.statusCode, headers: response.headers, body: Buffer.from(response.body, 'utf8') } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

export type InProcessHandler = ReturnType<typeof inProcessHandler>;
