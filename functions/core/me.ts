import type { Scope } from './api-keys.ts';
import { dayOf } from './clock.ts';
import type { Role } from './roles.ts';

export interface Me {
  subject: string;
  email?: string;
  name?: string;
  roles: Role[];
  scopes: Scope[];
  csmId?: string;
  /** Today (UTC) on the API's clock: the local runtime's clock is virtual, so the web app counts periods from this, not the browser's. */
  today: string;
}

/** GET /v1/me: the caller as the web app needs it, with the CSM of tend.config.ts whose email is theirs (case-insensitive). */
export function describeCaller(caller: Omit<Me, 'csmId' | 'today'>, csms: readonly { id: string; email: string }[], now: Date): Me {
  const email = caller.email?.toLowerCase();
  const csm = email ? csms.find((c) => c.email.toLowerCase() === email) : undefined;
  return {
    subject: caller.subject,
    ...(caller.email ? { email: caller.email } : {}),
    ...(caller.name ? { name: caller.name } : {}),
    roles: caller.roles,
    scopes: caller.scopes,
    ...(csm ? { csmId: csm.id } : {}),
    today: dayOf(now),
  };
}
