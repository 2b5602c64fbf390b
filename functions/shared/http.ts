import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type * as z from '../core/zod.ts';
import { formatPath } from '../core/config.ts';
import { TendError, ValidationError } from '../core/errors.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = Exclude<APIGatewayProxyResultV2, string>;

export function json(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Parses a JSON body against a schema; every failure is a ValidationError that names the field and the rule. */
export function parseBody<T extends z.ZodMiniType>(event: HttpEvent, schema: T): z.output<T> {
  if (!event.body) throw new ValidationError('request body is required (JSON)');
  let data: unknown;
  try {
    data = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
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
        request.response = json(err.status, { error: err.name, message: err.message, ...(err.details ? { details: err.details } : {}) });
        return;
      }
      log('unhandled error', err);
      request.response = json(500, { error: 'InternalError', message: 'internal error' });
    },
  };
}
