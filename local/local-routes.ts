import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ClockControl, ClockRequestError, clockRequestSchema } from './clock-control.ts';
import type { LocalSes } from './ses.ts';

/** The local runtime's own routes under /local (and /health): the clock and the outbox, each answer carrying the clock's time. */

const reply = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** The API's error shape (functions/core/errors.ts), each issue naming its field. */
const invalid = (res: ServerResponse, issues: { field: string; message: string }[], status = 400) =>
  reply(res, status, {
    error: status === 409 ? 'ConflictError' : 'ValidationError',
    message: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
    details: issues,
  });

const zodIssues = (error: z.ZodError, unknown = 'unknown field') =>
  error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: unknown }))
      : [{ field: i.path.join('.') || 'body', message: i.message }],
  );

/** `GET /local/clock`: the clock; `POST /local/clock` with one of { set, step, pause, resume, speed } (local/clock-control.ts). */
export async function clockRoute(control: ClockControl, req: IncomingMessage, res: ServerResponse) {
  if (req.method === 'GET') return reply(res, 200, control.state());
  if (req.method !== 'POST') return reply(res, 405, { message: 'GET or POST' });
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return invalid(res, [
      { field: 'body', message: 'a JSON object: { "set": "2026-03-01" }, { "step": "1d" }, { "pause": true }, { "resume": true } or { "speed": 3600 }' },
    ]);
  }
  const parsed = clockRequestSchema.safeParse(body);
  if (!parsed.success) return invalid(res, zodIssues(parsed.error));
  try {
    return reply(res, 200, await control.apply(parsed.data));
  } catch (err) {
    if (err instanceof ClockRequestError) return invalid(res, [{ field: err.field, message: err.message }], err.status);
    throw err;
  }
}

const outboxQuerySchema = z.strictObject({
  to: z.optional(z.string().min(1)),
  account: z.optional(z.string().min(1)),
});

/** `GET /local/outbox[?to=address][&account=id]`: the emails sent, oldest first, at their virtual time, with the clock's time. */
export function outboxRoute(ses: LocalSes, clock: () => object, url: URL, res: ServerResponse) {
  const params: Record<string, string> = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const parsed = outboxQuerySchema.safeParse(params);
  if (!parsed.success) return invalid(res, zodIssues(parsed.error, 'unknown filter (the filters are to and account)'));
  return reply(res, 200, { ...clock(), emails: ses.sent(parsed.data) });
}
