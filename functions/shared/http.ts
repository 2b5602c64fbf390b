import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type * as z from '../core/zod.ts';
import { formatPath } from '../core/format-path.ts';
import { PayloadTooLargeError, RateLimitedError, TendError, UnsupportedMediaTypeError, ValidationError } from '../core/errors.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = Exclude<APIGatewayProxyResultV2, string>;

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Parses a JSON body against a schema; every failure is a ValidationError that names the field and the rule. */
export function parseBody<T extends z.ZodMiniType>(event: HttpEvent, schema: T, maxBytes = DEFAULT_MAX_BODY_BYTES): z.output<T> {
  if (!event.body) throw new ValidationError('request body is required (JSON)');
  const type = contentType(event);
  if (type && !/^application\/([\w.+-]+\+)?json$/.test(type)) throw new UnsupportedMediaTypeError(`content-type must be application/json, not ${type}`);
  const body = rawBody(event, maxBytes);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new ValidationError('request body is not valid JSON');
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message }));
    throw new ValidationError(fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
  return result.data;
}

/** One place maps errors to responses: a client's mistake is a 4xx with a message, anything else a bare 500. */
export function httpErrors(log: (message: string, err: unknown) => void): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const err = request.error;
      if (err instanceof TendError) {
        request.response = json(err.status, { error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
        if (err instanceof RateLimitedError) request.response.headers = { ...request.response.headers, 'retry-after': String(err.retryAfter) };
        return;
      }
      log('unhandled error', err);
      request.response = json(500, { error: 'InternalError', message: 'internal error' });
    },
  };
}

/** The API's body limit unless tend.config.ts sets `api.maxBodyBytes`; API Gateway's own is 10 MB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The body as text (API Gateway base64-encodes some content types), refused over the limit. */
export function rawBody(event: HttpEvent, maxBytes = DEFAULT_MAX_BODY_BYTES): string {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(`request body is ${bytes.length} bytes; the limit is ${maxBytes}`);
  return bytes.toString('utf8');
}

/** The media type of the request, lower case and without parameters; undefined when not sent. */
export function contentType(event: HttpEvent): string | undefined {
  const raw = event.headers?.['content-type'] ?? event.headers?.['Content-Type'];
  return raw ? raw.split(';')[0]!.trim().toLowerCase() : undefined;
}
