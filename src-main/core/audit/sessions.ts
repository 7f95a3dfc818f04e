import { createHash, randomBytes } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import type { UserRecord } from '../catalog/users-repo.ts';
import type { SessionRow } from '../catalog/sessions-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { registerSecret } from '../util/redact.ts';
import { authPolicy } from './auth-policy.ts';
import { checkCredentials } from './credentials.ts';
import type { Session } from './authorize.ts';

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toSession(row: SessionRow, user: Pick<UserRecord, 'id' | 'name' | 'fullName' | 'role'>): Session {
  return { id: row.id, userId: user.id, user: user.name, fullName: user.fullName, role: user.role, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt };
}

/** Opens a session for a user that just authenticated; the token is returned once and only its hash kept. */
export function createSession(ctx: CoreContext, user: Pick<UserRecord, 'id' | 'name' | 'fullName' | 'role'>, now: Date = new Date()): { token: string; session: Session } {
  const token = randomBytes(32).toString('base64url');
  registerSecret(token);
  const row = ctx.catalog.sessions.add(tokenHash(token), user.id, now.toISOString());
  return { token, session: toSession(row, user) };
}

function lookup(ctx: CoreContext, token: string): { row: SessionRow; user: UserRecord } {
  const row = ctx.catalog.sessions.byTokenHash(tokenHash(token));
  const user = row ? ctx.catalog.users.find(row.userId) : undefined;
  if (!row || !user || row.endedAt) throw new LifeboatError('UNAUTHORIZED', { verb: 'use', thing: 'session', cause: 'the session is unknown or has ended; sign in again' });
  return { row, user };
}

/**
 * Called on every request: refuses an ended or locked session, locks one idle longer than the policy allows
 * (SR 2.5, 164.312(a)(2)(iii)) and otherwise records the activity. The role is read fresh each time, so a
 * role change applies at once.
 */
export function touchSession(ctx: CoreContext, token: string, now: Date = new Date()): Session {
  const { row, user } = lookup(ctx, token);
  if (row.lockedAt) throw new LifeboatError('SESSION_LOCKED', { verb: 'use', thing: 'session of', where: user.name, cause: `it was locked at ${row.lockedAt}; enter the password to unlock it` });
  if (user.disabled || (user.lockedUntil && now.getTime() < Date.parse(user.lockedUntil))) {
    ctx.catalog.sessions.end(row.id, now.toISOString());
    throw new LifeboatError('UNAUTHORIZED', { verb: 'use', thing: 'session of', where: user.name, cause: 'the account is disabled or locked' });
  }
  const idle = now.getTime() - Date.parse(row.lastSeenAt);
  if (idle > authPolicy(ctx).idleMs) {
    ctx.catalog.sessions.lock(row.id, now.toISOString());
    ctx.catalog.audit.append({ actor: user.name, role: user.role, action: 'auth.session-lock', object: row.id, outcome: 'success', reason: `inactive for ${Math.round(idle / 60_000)} min` });
    throw new LifeboatError('SESSION_LOCKED', { verb: 'use', thing: 'session of', where: user.name, cause: `it was idle for ${Math.round(idle / 60_000)} min and is now locked; enter the password to unlock it` });
  }
  ctx.catalog.sessions.touch(row.id, now.toISOString());
  return toSession({ ...row, lastSeenAt: now.toISOString() }, user);
}

/** The user's own "lock now" (walking away from a shared workstation). */
export function lockSession(ctx: CoreContext, token: string, now: Date = new Date()): void {
  const { row, user } = lookup(ctx, token);
  ctx.catalog.sessions.lock(row.id, now.toISOString());
  ctx.catalog.audit.append({ actor: user.name, role: user.role, action: 'auth.session-lock', object: row.id, outcome: 'success', reason: 'locked by the user' });
}

/** Unlocks with the same user's password; failures count toward the account lockout. */
export async function unlockSession(ctx: CoreContext, token: string, password: string, now: Date = new Date()): Promise<Session> {
  const { row, user } = lookup(ctx, token);
  await checkCredentials(ctx, user.name, password, 'auth.session-unlock', now);
  ctx.catalog.sessions.unlock(row.id, now.toISOString());
  ctx.catalog.audit.append({ actor: user.name, role: user.role, action: 'auth.session-unlock', object: row.id, outcome: 'success' });
  return toSession({ ...row, lockedAt: null, lastSeenAt: now.toISOString() }, ctx.catalog.users.get(user.id));
}

export function endSession(ctx: CoreContext, token: string, now: Date = new Date()): void {
  const { row, user } = lookup(ctx, token);
  ctx.catalog.sessions.end(row.id, now.toISOString());
  ctx.catalog.audit.append({ actor: user.name, role: user.role, action: 'auth.logout', object: row.id, outcome: 'success' });
}
