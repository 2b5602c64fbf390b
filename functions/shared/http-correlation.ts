import type { MiddlewareObj } from '@middy/core';
import { CORRELATION_ID } from './correlation.ts';
import type { HttpEvent, HttpResult } from './http.ts';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * A request's correlation id: the client's own `x-correlation-id` when it is a valid one (letters,
 * digits and `. _ : @ -`, at most 128), else API Gateway's request id. An invalid header is not
 * an error: it is the client's label, and the request id stands in for it.
 */
export function requestCorrelationId(event: HttpEvent): string {
  const sent = event.headers?.[CORRELATION_HEADER];
  return sent && CORRELATION_ID.test(sent) ? sent : event.requestContext.requestId;
}

/** Answers every response, errors included, with the request's correlation id, so a client can quote it. */
export const correlationHeader: MiddlewareObj<HttpEvent, HttpResult> = {
  after: (request) => {
    if (request.response) request.response = withHeader(request.response, requestCorrelationId(request.event));
  },
  onError: (request) => {
    if (request.response) request.response = withHeader(request.response, requestCorrelationId(request.event));
  },
};

const withHeader = (response: HttpResult, id: string): HttpResult => ({ ...response, headers: { ...response.headers, [CORRELATION_HEADER]: id } });
