import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '../functions/core/roles.ts';

export interface LocalUser {
  /** The token subject (`sub`): a UUID, as Cognito's. */
  id: string;
  /** The sign-in name, as the user pool's (email as username). */
  email: string;
  name?: string;
  role: Role;
  /** scrypt of the password, `salt:hash` in base64url: the password itself is never kept. */
  passwordHash: string;
}

/** The built-in people of a fresh `tend dev`, besides the CSMs of tend.config.ts (role csm). */
export const BUILT_IN_USERS = [
  { email: 'admin@tend.local', name: 'Admin', role: 'admin' },
  { email: 'viewer@tend.local', name: 'Viewer', role: 'viewer' },
] as const satisfies readonly { email: string; name: string; role: Role }[];

const hashPassword = (password: string, salt = randomBytes(16)) => `${salt.toString('base64url')}:${scryptSync(password, salt, 32).toString('base64url')}`;

function passwordMatches(password: string, stored: string): boolean {
  const [salt = '', hash = ''] = stored.split(':');
  const expected = Buffer.from(hash, 'base64url');
  const given = scryptSync(password, Buffer.from(salt, 'base64url'), 32);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** 18 random bytes as base64url: 24 characters, ~144 bits. */
export const newPassword = () => randomBytes(18).toString('base64url');

/**
 * The people who can sign in to the local issuer (local/oidc-issuer.ts): `users.json` in the data
 * folder (passwords stored hashed), or this run's memory without one. Read afresh at every sign-in,
 * so `tend users` changes apply to a running `tend dev`.
 */
export class LocalUsers {
  private memory: LocalUser[] = [];
  constructor(private readonly dataDir?: string) {}

  private get file() {
    return this.dataDir ? join(this.dataDir, 'users.json') : undefined;
  }

  list(): LocalUser[] {
    if (!this.file) return this.memory;
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as { users: LocalUser[] }).users : [];
  }

  private save(users: LocalUser[]) {
    if (!this.file) return void (this.memory = users);
    mkdirSync(this.dataDir!, { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }

  find(email: string): LocalUser | undefined {
    const wanted = email.trim().toLowerCase();
    return this.list().find((u) => u.email.toLowerCase() === wanted);
  }

  byId(id: string): LocalUser | undefined {
    return this.list().find((u) => u.id === id);
  }

  /** Adds a person (a new password unless given) and returns the password; an email already there is an error. */
  add(input: { email: string; role: Role; name?: string; password?: string }): string {
    if (!ROLES.includes(input.role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
    if (!/^[^\s@]+@[^\s@]+$/.test(input.email)) throw new Error(`"${input.email}" is not an email address`);
    if (this.find(input.email)) throw new Error(`${input.email} can already sign in`);
    const password = input.password ?? newPassword();
    const user: LocalUser = {
      id: randomUUID(),
      email: input.email.trim(),
      ...(input.name ? { name: input.name } : {}),
      role: input.role,
      passwordHash: hashPassword(password),
    };
    this.save([...this.list(), user]);
    return password;
  }

  /** Sets (or generates) a person's password and returns it. */
  setPassword(email: string, password = newPassword()): string {
    const users = this.list();
    const user = users.find((u) => u.email.toLowerCase() === email.trim().toLowerCase());
    if (!user) throw new Error(`no local user ${email}`);
    user.passwordHash = hashPassword(password);
    this.save(users);
    return password;
  }

  /** The person these credentials sign in, or undefined. */
  verify(email: string, password: string): LocalUser | undefined {
    const user = this.find(email);
    return user && passwordMatches(password, user.passwordHash) ? user : undefined;
  }

  /**
   * Adds whoever of the CSMs and the built-in people is missing, each with a new password; returns
   * those just added with their passwords (shown once: only the hash is kept).
   */
  seed(csms: readonly { email: string; name: string }[]): { email: string; role: Role; password: string }[] {
    const wanted = [...BUILT_IN_USERS, ...csms.map((c) => ({ email: c.email, name: c.name, role: 'csm' as const }))];
    return wanted.filter((w) => !this.find(w.email)).map((w) => ({ email: w.email, role: w.role, password: this.add(w) }));
  }
}
