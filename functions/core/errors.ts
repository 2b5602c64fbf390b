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

export class ConflictError extends TendError {
  constructor(message: string) {
    super(message, 409);
  }
}
