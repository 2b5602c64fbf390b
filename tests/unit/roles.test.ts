import { describe, expect, it } from 'vitest';
import { grants } from '../../functions/core/api-keys.ts';
import { describeCaller } from '../../functions/core/me.ts';

/** Late on a UTC day: `today` is the UTC day, whatever the machine's zone. */
const NOW = new Date('2026-05-04T23:30:00Z');
import { rolesOf, scopesOf, type Role } from '../../functions/core/roles.ts';
import { ROUTES, routeParts, type RouteAuth } from '../../functions/api/routes.ts';

/** What each role may do, route by route, read off the route list (the table the web app's buttons follow). */
const may = (role: Role, auth: RouteAuth) => auth === 'public' || auth === 'any' || grants(scopesOf([role]), auth);

/** The routes a CSM works: the task actions, the notes they write and pin, the play controls. */
const WORK_ROUTES = [
  'POST /v1/tasks/{accountId}/{taskId}/complete',
  'POST /v1/tasks/{accountId}/{taskId}/snooze',
  'POST /v1/tasks/{accountId}/{taskId}/reassign',
  'POST /v1/tasks/{accountId}/{taskId}/comments',
  'POST /v1/accounts/{id}/notes',
  'POST /v1/accounts/{id}/notes/{noteId}/pin',
  'POST /v1/accounts/{id}/notes/{noteId}/unpin',
  'POST /v1/accounts/{id}/plays/{play}/{action}',
];

describe('roles and the route list', () => {
  const routes = Object.entries(ROUTES) as [string, { auth: RouteAuth }][];

  it.each(routes)('%s: a viewer only reads, a CSM also works, an admin does everything', (key, spec) => {
    const { method } = routeParts(key);
    const reads = spec.auth === 'read' || spec.auth === 'any' || spec.auth === 'public';
    expect(may('viewer', spec.auth), 'viewer').toBe(reads);
    expect(may('csm', spec.auth), 'csm').toBe(reads || spec.auth === 'work');
    expect(may('admin', spec.auth), 'admin').toBe(true);
    // Reading routes are GETs (or the public unsubscribe links): a viewer never changes anything.
    if (may('viewer', spec.auth) && spec.auth !== 'public') expect(method).toBe('GET');
  });

  it('gives the work scope to exactly the task, note and play actions', () => {
    expect(
      routes
        .filter(([, s]) => s.auth === 'work')
        .map(([k]) => k)
        .sort(),
    ).toEqual([...WORK_ROUTES].sort());
  });

  it.each([
    [['viewer'], ['viewer'], ['read']],
    [['csm'], ['csm'], ['read', 'work']],
    [['admin'], ['admin'], ['ingest', 'read', 'work', 'admin']],
    [
      ['viewer', 'csm'],
      ['csm', 'viewer'],
      ['read', 'work'],
    ],
    [
      ['csm', 'admin', 'viewer'],
      ['admin', 'csm', 'viewer'],
      ['ingest', 'read', 'work', 'admin'],
    ],
    [['us-east-1_abc_Okta', 'csm'], ['csm'], ['read', 'work']],
    [['Admin', 'ADMIN'], [], []],
    [[], [], []],
    ['admin', [], []],
    [undefined, [], []],
    [[42, null, 'viewer'], ['viewer'], ['read']],
  ])('groups %j: roles %j (highest first), scopes of the highest %j', (groups, roles, scopes) => {
    expect(rolesOf(groups)).toEqual(roles);
    expect(scopesOf(rolesOf(groups))).toEqual(scopes);
  });

  it('finds the CSM of tend.config.ts by email, whatever its case, for GET /v1/me', () => {
    const csms = [
      { id: 'alex', email: 'Alex@Acme.example' },
      { id: 'sam', email: 'sam@acme.example' },
    ];
    expect(describeCaller({ subject: 's1', email: 'alex@acme.EXAMPLE', roles: ['csm'], scopes: ['read', 'work'] }, csms, NOW)).toEqual({
      subject: 's1',
      email: 'alex@acme.EXAMPLE',
      roles: ['csm'],
      scopes: ['read', 'work'],
      csmId: 'alex',
      today: '2026-05-04',
    });
    expect(describeCaller({ subject: 'key1', roles: [], scopes: ['read'] }, csms, NOW)).toEqual({
      subject: 'key1',
      roles: [],
      scopes: ['read'],
      today: '2026-05-04',
    });
    expect(describeCaller({ subject: 's2', email: 'boss@acme.example', name: 'Boss', roles: ['admin'], scopes: ['admin'] }, csms, NOW)).not.toHaveProperty(
      'csmId',
    );
  });
});
