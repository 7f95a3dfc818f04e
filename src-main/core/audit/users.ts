import type { CoreContext } from '../context.ts';
import type { Role, UserRecord } from '../catalog/users-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { authPolicy } from './auth-policy.ts';
import { checkCredentials } from './credentials.ts';
import { hashPassword } from './password.ts';
import { authorize, type Session } from './authorize.ts';
import { isRole } from './roles.ts';

export interface UserView { id: string; name: string; fullName: string; role: Role; disabled: boolean; locked: boolean; lockedUntil: string | null; createdAt: string }

export function toUserView(u: UserRecord, now: Date = new Date()): UserView {
  const locked = u.lockedUntil !== null && now.getTime() < Date.parse(u.lockedUntil);
  return { id: u.id, name: u.name, fullName: u.fullName, role: u.role, disabled: u.disabled, locked, lockedUntil: locked ? u.lockedUntil : null, createdAt: u.createdAt };
}

/** True on first start: nobody can sign in yet, and the first account made must be an admin. */
export function needsFirstAdmin(ctx: CoreContext): boolean {
  return ctx.catalog.users.count() === 0;
}

/**
 * Checks name and password (lockout applies) and audits the sign-in either way. Returns the user without
 * the password hash, ready for createSession().
 */
export async function authenticate(ctx: CoreContext, name: string, password: string, now: Date = new Date()): Promise<UserView> {
  const user = await checkCredentials(ctx, name, password, 'auth.login', now);
  ctx.catalog.audit.append({ actor: user.name, role: user.role, action: 'auth.login', object: user.name, outcome: 'success' });
  return toUserView(user, now);
}

function checkPassword(ctx: CoreContext, name: string, password: string): void {
  const min = authPolicy(ctx).minPasswordLength;
  if (password.length < min) throw new LifeboatError('USAGE', { verb: 'set', thing: 'password for user', where: name, cause: `a password needs at least ${min} characters` });
  if (password.toLowerCase().includes(name.toLowerCase())) throw new LifeboatError('USAGE', { verb: 'set', thing: 'password for user', where: name, cause: 'the password must not contain the user name' });
}

/**
 * Adds a local account. With no users yet, anyone at the machine may create the first one and it must be
 * an admin; afterwards only an admin's session may add users.
 */
export async function addUser(ctx: CoreContext, input: { name: string; fullName?: string; role: Role; password: string }, by: Session | null): Promise<UserView> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/.test(input.name)) throw new LifeboatError('USAGE', { verb: 'add', thing: 'user', where: input.name, cause: 'a name is 2 to 40 letters, digits, dots, dashes or underscores' });
  if (!isRole(input.role)) throw new LifeboatError('USAGE', { verb: 'add', thing: 'user', where: input.name, cause: `the role must be viewer, operator or admin` });
  const first = needsFirstAdmin(ctx);
  if (first && input.role !== 'admin') throw new LifeboatError('USAGE', { verb: 'add', thing: 'user', where: input.name, cause: 'the first user must be an admin', hint: 'add it with --role admin' });
  if (!first) {
    if (!by) throw new LifeboatError('UNAUTHORIZED', { verb: 'add', thing: 'user', where: input.name, cause: 'only an admin may add users', hint: 'sign in as an admin (--as NAME with --as-password-env or --as-password-stdin)' });
    authorize(ctx, by, 'user.change', input.name);
  }
  checkPassword(ctx, input.name, input.password);
  const u = ctx.catalog.users.add({ name: input.name, fullName: input.fullName?.trim() || input.name, role: input.role, passwordHash: await hashPassword(input.password) });
  ctx.catalog.audit.append({ actor: by?.user ?? ctx.actor, role: by?.role, action: 'user.add', object: u.name, outcome: 'success', reason: first ? 'first start: initial admin' : null, newValue: { name: u.name, fullName: u.fullName, role: u.role } });
  return toUserView(u);
}

export function listUsers(ctx: CoreContext, now: Date = new Date()): UserView[] {
  return ctx.catalog.users.list().map((u) => toUserView(u, now));
}

/** An admin sets anyone's password; a user sets their own. Open sessions of that user end. */
export async function changePassword(ctx: CoreContext, name: string, password: string, by: Session): Promise<void> {
  const user = ctx.catalog.users.get(name);
  if (by.user !== user.name) authorize(ctx, by, 'user.change', user.name);
  checkPassword(ctx, user.name, password);
  ctx.catalog.users.setPassword(user.id, await hashPassword(password));
  ctx.catalog.sessions.endAllFor(user.id, new Date().toISOString());
  ctx.catalog.audit.append({ actor: by.user, role: by.role, action: 'user.passwd', object: user.name, outcome: 'success' });
}

export function unlockUser(ctx: CoreContext, name: string, by: Session, reason: string | null = null): void {
  const user = ctx.catalog.users.get(name);
  authorize(ctx, by, 'user.change', user.name);
  ctx.catalog.users.recordFailures(user.id, { failedCount: 0, firstFailedAt: null, lockedUntil: null });
  ctx.catalog.audit.append({ actor: by.user, role: by.role, action: 'user.unlock', object: user.name, outcome: 'success', reason, oldValue: { lockedUntil: user.lockedUntil, failedCount: user.failedCount }, newValue: { lockedUntil: null, failedCount: 0 } });
}

export function setUserRole(ctx: CoreContext, name: string, role: Role, by: Session, reason: string | null = null): UserView {
  const user = ctx.catalog.users.get(name);
  authorize(ctx, by, 'user.change', user.name);
  if (!isRole(role)) throw new LifeboatError('USAGE', { verb: 'change', thing: 'role of user', where: name, cause: 'the role must be viewer, operator or admin' });
  if (user.role === 'admin' && role !== 'admin' && ctx.catalog.users.list().filter((u) => u.role === 'admin' && !u.disabled).length <= 1) {
    throw new LifeboatError('USAGE', { verb: 'change', thing: 'role of user', where: name, cause: 'it is the last admin' });
  }
  ctx.catalog.users.setRole(user.id, role);
  ctx.catalog.audit.append({ actor: by.user, role: by.role, action: 'user.role', object: user.name, outcome: 'success', reason, oldValue: { role: user.role }, newValue: { role } });
  return toUserView(ctx.catalog.users.get(user.id));
}
