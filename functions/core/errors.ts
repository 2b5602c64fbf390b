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
  constructor(message: string, details?: unknown) {
    super(message, 400, details);
  }
}

export class NotFoundError extends TendError {
  constructor(message: string) {
    super(message, 404);
  }
}

/** No key, or a key Tend does not know (or revoked). */
export class UnauthorizedError extends TendError {
  constructor(message: string) {
    super(message, 401);
  }
}

/** A valid key without the scope the route needs. */
export class ForbiddenError extends TendError {
  constructor(message: string) {
    super(message, 403);
  }
}

export class PayloadTooLargeError extends TendError {
  constructor(message: string) {
    super(message, 413);
  }
}

export class UnsupportedMediaTypeError extends TendError {
  constructor(message: string) {
    super(message, 415);
  }
}

/** The key used up its requests of the current window; `retryAfter` in seconds. */
export class RateLimitedError extends TendError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message, 429, { retryAfterSeconds: retryAfter });
  }
}
