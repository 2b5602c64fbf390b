import { SCOPES, type Scope } from './api-keys.ts';

/**
 * The roles of people who sign in, from their groups (`cognito:groups`: the user pool's groups on
 * AWS, the local issuer's users in `tend dev`). Lowest first: when a person is in several, the
 * highest wins.
 */
export const ROLES = ['viewer', 'csm', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do, in the route list's scopes: a viewer reads, a CSM also works tasks, notes and plays, an admin everything. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  viewer: ['read'],
  csm: ['read', 'work'],
  admin: SCOPES,
};

/** The known roles among a token's groups, highest first; other groups mean nothing to Tend. */
export function rolesOf(groups: unknown): Role[] {
  const names = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  return ROLES.filter((r) => names.includes(r)).reverse();
}

/** The scopes of the highest of the roles (none without a role). */
export function scopesOf(roles: readonly Role[]): Scope[] {
  const highest = ROLES.filter((r) => roles.includes(r)).at(-1);
  return highest ? [...ROLE_SCOPES[highest]] : [];
}
