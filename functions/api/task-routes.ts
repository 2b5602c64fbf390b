import type * as z from '../core/zod.ts';
import type { Clock } from '../core/clock.ts';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import { fnv1a } from '../core/hash.ts';
import { formatPath } from '../core/format-path.ts';
import { addNote, listNotes, pinNote } from '../core/notes.ts';
import { csmBook, listCsms, type Csm } from '../core/owners.ts';
import type { AccountRepo, NoteRepo, OwnerRepo, TaskRepo } from '../core/ports.ts';
import { idSchema } from '../core/schemas.ts';
import { commentTask, completeTask, listTasks, reassignTask, snoozeTask } from '../core/tasks.ts';
import { json, parseBody, rawBody, type HttpEvent, type HttpResult } from '../shared/http.ts';
import { ROUTES, type ApiRouteKey } from './routes.ts';

export interface TaskRouteDeps {
  clock: Clock;
  accounts: Pick<AccountRepo, 'get'>;
  tasks: TaskRepo;
  owners: OwnerRepo;
  notes: NoteRepo;
  csms: readonly Csm[];
  maxBodyBytes: number;
}

type TaskRouteKey = Extract<ApiRouteKey, `${string} /v1/tasks${string}` | `${string} /v1/csms${string}` | `${string}/notes${string}`>;
type Spec<K extends TaskRouteKey> = (typeof ROUTES)[K];

/** A path parameter that is no valid id names nothing: a 404, like an id that is not there. */
function param(event: HttpEvent, name: string, what: string): string {
  const value = idSchema.safeParse(event.pathParameters?.[name]);
  if (!value.success) throw new NotFoundError(`${what} "${event.pathParameters?.[name] ?? ''}" not found`);
  return value.data;
}

function query<K extends TaskRouteKey>(event: HttpEvent, route: K): z.output<Spec<K> extends { query: infer Q extends z.ZodMiniType } ? Q : never> {
  const schema = (ROUTES[route] as { query: z.ZodMiniType }).query;
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: formatPath(i.path), message: i.message }));
    throw new ValidationError(fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
  return parsed.data as never;
}

/** The body, parsed with the route's schema; a route whose body is optional takes none. */
function body<K extends TaskRouteKey>(
  deps: TaskRouteDeps,
  event: HttpEvent,
  route: K,
): z.output<Spec<K> extends { body: infer B extends z.ZodMiniType } ? B : never> {
  const schema = (ROUTES[route] as { body: z.ZodMiniType }).body;
  if (!event.body || rawBody(event, deps.maxBodyBytes).trim() === '') {
    const empty = schema.safeParse(undefined);
    if (empty.success) return empty.data as never;
  }
  return parseBody(event, schema, deps.maxBodyBytes) as never;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,64}$/;

/** Owners, tasks and notes over HTTP (docs/api.md, "Owners, tasks and notes"): each handler parses, calls one core function, answers. */
export function taskRoutes(deps: TaskRouteDeps): Record<TaskRouteKey, (event: HttpEvent) => Promise<HttpResult>> {
  const now = () => deps.clock.now();
  const task = (event: HttpEvent) => [param(event, 'accountId', 'account'), param(event, 'taskId', 'task')] as const;
  return {
    'GET /v1/csms': async () => json(200, await listCsms(deps)),
    'GET /v1/csms/{id}/accounts': async (event) => {
      const q = query(event, 'GET /v1/csms/{id}/accounts');
      return json(200, await csmBook(deps, event.pathParameters?.id ?? '', { limit: Number(q.limit ?? 50), cursor: q.cursor }));
    },
    'GET /v1/tasks': async (event) => json(200, await listTasks(deps, query(event, 'GET /v1/tasks'), now())),
    'POST /v1/tasks/{accountId}/{taskId}/complete': async (event) =>
      json(200, await completeTask(deps, ...task(event), body(deps, event, 'POST /v1/tasks/{accountId}/{taskId}/complete'), now())),
    'POST /v1/tasks/{accountId}/{taskId}/snooze': async (event) =>
      json(200, await snoozeTask(deps, ...task(event), body(deps, event, 'POST /v1/tasks/{accountId}/{taskId}/snooze'), now())),
    'POST /v1/tasks/{accountId}/{taskId}/reassign': async (event) =>
      json(200, await reassignTask(deps, ...task(event), body(deps, event, 'POST /v1/tasks/{accountId}/{taskId}/reassign'), now())),
    'POST /v1/tasks/{accountId}/{taskId}/comments': async (event) =>
      json(
        200,
        await commentTask(
          { ...deps, hash: (s) => fnv1a(s).toString(36) },
          ...task(event),
          body(deps, event, 'POST /v1/tasks/{accountId}/{taskId}/comments'),
          now(),
        ),
      ),
    'POST /v1/accounts/{id}/notes': async (event) => {
      const accountId = param(event, 'id', 'account');
      const input = body(deps, event, 'POST /v1/accounts/{id}/notes');
      const key = event.headers?.['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
        throw new ValidationError('Idempotency-Key: letters, digits and . _ : - (at most 64)', [{ field: 'Idempotency-Key', message: 'malformed' }]);
      const { note, created } = await addNote({ ...deps, newId: () => crypto.randomUUID() }, accountId, input, key, now());
      return json(created ? 201 : 200, { note, created });
    },
    'GET /v1/accounts/{id}/notes': async (event) => {
      const q = query(event, 'GET /v1/accounts/{id}/notes');
      return json(200, await listNotes(deps, param(event, 'id', 'account'), { limit: Number(q.limit ?? 50), cursor: q.cursor }));
    },
    'POST /v1/accounts/{id}/notes/{noteId}/pin': async (event) =>
      json(200, await pinNote(deps, param(event, 'id', 'account'), param(event, 'noteId', 'note'), true, now())),
    'POST /v1/accounts/{id}/notes/{noteId}/unpin': async (event) =>
      json(200, await pinNote(deps, param(event, 'id', 'account'), param(event, 'noteId', 'note'), false, now())),
  };
}
