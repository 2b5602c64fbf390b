/** Errors that carry their HTTP status, so one middleware maps them and a client mistake is never a 500. */
export class TendError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends TendError {
  // Spelled out: bundles are minified, and the name is part of the API's error body.
  override name = 'ValidationError';
  constructor(message: string, details?: unknown) {
    super(message, 400, details);
  }
}

export class NotFoundError extends TendError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message, 404);
  }
}

export class ConflictError extends TendError {
  constructor(message: string) {
    super(message, 409);
  }
}

/** No key, or a key Tend does not know (or revoked). */
export class UnauthorizedError extends TendError {
  override name = 'UnauthorizedError';
  constructor(message: string) {
    super(message, 401);
  }
}

/** A valid key without the scope the route needs. */
export class ForbiddenError extends TendError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(message, 403);
  }
}

export class PayloadTooLargeError extends TendError {
  override name = 'PayloadTooLargeError';
  constructor(message: string) {
    super(message, 413);
  }
}

export class UnsupportedMediaTypeError extends TendError {
  override name = 'UnsupportedMediaTypeError';
  constructor(message: string) {
    super(message, 415);
  }
}

/** The key used up its requests of the current window; `retryAfter` in seconds. */
export class RateLimitedError extends TendError {
  override name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message, 429, { retryAfterSeconds: retryAfter });
  }
}
