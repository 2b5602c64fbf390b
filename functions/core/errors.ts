/**
 * Errors that carry an explicit code and HTTP status, so one middleware maps them and a client
 * mistake is never a 500. The code is a string literal, not the class name: bundles are minified,
 * and the code is part of the API's error body (`{"error":"ConflictError"}`).
 */
export class TendError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = code;
  }
}

export class ValidationError extends TendError {
  constructor(message: string, details?: unknown) {
    super(message, 'ValidationError', 400, details);
  }
}

export class NotFoundError extends TendError {
  constructor(message: string) {
    super(message, 'NotFoundError', 404);
  }
}

export class ConflictError extends TendError {
  constructor(message: string) {
    super(message, 'ConflictError', 409);
  }
}

/** No key, or a key Tend does not know (or revoked). */
export class UnauthorizedError extends TendError {
  constructor(message: string) {
    super(message, 'UnauthorizedError', 401);
  }
}

/** A valid key without the scope the route needs. */
export class ForbiddenError extends TendError {
  constructor(message: string) {
    super(message, 'ForbiddenError', 403);
  }
}

export class PayloadTooLargeError extends TendError {
  constructor(message: string) {
    super(message, 'PayloadTooLargeError', 413);
  }
}

export class UnsupportedMediaTypeError extends TendError {
  constructor(message: string) {
    super(message, 'UnsupportedMediaTypeError', 415);
  }
}

/** The key used up its requests of the current window; `retryAfter` in seconds. */
export class RateLimitedError extends TendError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message, 'RateLimitedError', 429, { retryAfterSeconds: retryAfter });
  }
}

/** DynamoDB still left part of a batch unprocessed after every retry (the table is throttled): the request may be tried again later. */
export class StoreBusyError extends TendError {
  constructor(message: string) {
    super(message, 'StoreBusyError', 503);
  }
}

/**
 * A usage day that can take no more (DynamoDB's 400 KB item limit): the repository throws it, and
 * ingest rejects that account-day's events alone while the rest of the batch is stored.
 */
export class UsageDayFullError extends Error {
  constructor(
    readonly accountId: string,
    readonly day: string,
  ) {
    super(`the usage of account "${accountId}" on ${day} has reached the 400 KB a day can hold; its events were not stored`);
    this.name = 'UsageDayFullError';
  }
}
