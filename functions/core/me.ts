import type { Scope } from './api-keys.ts';
import type { Role } from './roles.ts';

export interface Me {
  subject: string;
  email?: string;
  name?: string;
  roles: Role[];
  scopes: Scope[];
  csmId?: string;
}

/** GET /v1/me: the caller as the web app needs it, with the CSM of tend.config.ts whose email is theirs (case-insensitive). */
export function describeCaller(caller: Omit<Me, 'csmId'>, csms: readonly { id: string; email: string }[]): Me {
  const email = caller.email?.toLowerCase();
  const csm = email ? csms.find((c) => c.email.toLowerCase() === email) : undefined;
  return {
    subject: caller.subject,
    ...(caller.email ? { email: caller.email } : {}),
    ...(caller.name ? { name: caller.name } : {}),
    roles: caller.roles,
    scopes: caller.scopes,
    ...(csm ? { csmId: csm.id } : {}),
  };
}
