import * as z from './zod.ts';

/**
 * Bounds on what becomes part of a DynamoDB key. DynamoDB refuses a partition key over 2,048
 * bytes and a sort key over 1,024, counted in UTF-8: a 500-character string of 4-byte characters
 * is 2,000 bytes. A value over these bounds would reach DynamoDB and fail the whole request with
 * a 500, so the schemas refuse it first and name the field (docs/api.md, "Limits").
 */
export const KEY_LIMITS = {
  /** An address as SMTP allows it (RFC 5321: 254 characters); the regex admits ASCII only. */
  emailChars: 254,
  /** Segment's messageId, userId and anonymousId: under `USER#` and `EVENT#...#company`, well inside both key limits. */
  segmentIdBytes: 512,
  /** An ISO date-time with the longest offset and nanoseconds is 35 characters. */
  dateTimeChars: 40,
} as const;

/** The shape of an id the API accepts (account, event, survey...): what idSchema checks, for code that checks it without zod. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A zod check on a string's UTF-8 length, which is what DynamoDB measures. */
export const maxBytes = (limit: number) => z.refine<string>((s) => utf8Bytes(s) <= limit, { message: `too long: at most ${limit} bytes (UTF-8)` });
