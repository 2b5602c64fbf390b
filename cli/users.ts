import { join, resolve } from 'node:path';
import { ROLES, type Role } from '../functions/core/roles.ts';
import { LocalUsers } from '../local/local-users.ts';

/** The people who sign in to `tend dev` (kept under <data>/state, as the runtime keeps them: local/local-users.ts). */
const usersOf = (data: string) => new LocalUsers(join(resolve(data), 'state'));

export function listUsersCommand(options: { data: string; json?: boolean }) {
  const users = usersOf(options.data)
    .list()
    .map(({ email, name, role }) => ({ email, name, role }));
  if (options.json) return console.log(JSON.stringify({ users }));
  if (!users.length) return console.log('No local users yet: `tend dev` creates them on its first start.');
  for (const u of users) console.log(`${u.email.padEnd(32)}${u.role.padEnd(8)}${u.name ?? ''}`);
}

export function addUserCommand(email: string, options: { data: string; role: string; name?: string; password?: string }) {
  if (!(ROLES as readonly string[]).includes(options.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const password = usersOf(options.data).add({ email, role: options.role as Role, name: options.name, password: options.password });
  console.log(`${email} (${options.role}) can sign in to tend dev with the password ${password}`);
}

export function setPasswordCommand(email: string, options: { data: string; password?: string }) {
  const password = usersOf(options.data).setPassword(email, options.password);
  console.log(`${email}: the password is now ${password}`);
}
