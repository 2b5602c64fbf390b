import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeParts } from '../../functions/api/routes.ts';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The error body's `error` is each error's explicit code, as the bundled (minified) API function
 * answers it on the local runtime: a class name would come out as a minifier's one-letter name.
 */
describe('errors of the bundled API keep their names', () => {
  let rt: TestRuntime;
  let readKey: string;
  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-03-02T08:00:00Z') });
    readKey = await rt.createKey(['read'], 'reader');
    expect((await rt.request('POST', '/v1/accounts', { id: 'errs', name: 'Errs', primaryContact: { email: 'cs@errs.example' } })).status).toBe(201);
    await rt.idle();
  });
  afterAll(() => rt?.stop());

  it.each([
    ['retrying a play run that is not failed', 'POST', '/v1/accounts/errs/plays/onboarding/retry', undefined, {}, 409, 'ConflictError'],
    ['an account that does not exist', 'GET', '/v1/accounts/nobody', undefined, {}, 404, 'NotFoundError'],
    ['a play action that does not exist', 'POST', '/v1/accounts/errs/plays/onboarding/explode', undefined, {}, 404, 'NotFoundError'],
    ['an account without a name', 'POST', '/v1/accounts', { id: 'bad', primaryContact: { email: 'cs@bad.example' } }, {}, 400, 'ValidationError'],
    ['no key', 'GET', '/v1/accounts/errs', undefined, { key: null }, 401, 'UnauthorizedError'],
    ['a key without the scope', 'POST', '/v1/accounts/errs/milestones', { milestone: 'x' }, { key: 'read' }, 403, 'ForbiddenError'],
  ] as const)('%s: %i %s', async (_, method, path, body, opts, status, error) => {
    const res = await rt.request(method, path, body, undefined, 'key' in opts ? { key: opts.key === 'read' ? readKey : null } : {});
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error, message: expect.any(String) });
  });

  // Every route naming a play, with the names every object has: a play lookup that is not an
  // own-property check finds Object's `constructor` and answered 500 (or 409) instead of 404.
  const playRoutes = Object.keys(ROUTES)
    .filter((key) => key.includes('{play}'))
    .map((key) => routeParts(key));
  it.each(playRoutes.flatMap(({ method, path }) => ['constructor', '__proto__', 'toString'].map((play) => [method, path, play] as const)))(
    '%s %s with play %s: 404 NotFoundError',
    async (method, path, play) => {
      const url = path.replace('{play}', play).replace('{id}', 'errs').replace('{action}', 'pause');
      const res = await rt.request(method, url, method === 'POST' ? { reason: 'a test' } : undefined);
      expect({ url, status: res.status, error: res.body?.error }).toEqual({ url, status: 404, error: 'NotFoundError' });
    },
  );

  it('a body that is not JSON: 415 UnsupportedMediaTypeError', async () => {
    const res = await rt.request('POST', '/v1/events', undefined, 'events=1', { headers: { 'content-type': 'text/plain' } });
    expect(res).toMatchObject({ status: 415, body: { error: 'UnsupportedMediaTypeError' } });
  });
});
