import type { CoreContext } from '../context.ts';
import type { UserRecord } from '../catalog/users-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { authPolicy } from './auth-policy.ts';
import { DUMMY_HASH, verifyPassword } from './password.ts';

/**
 * Checks a name and password against the lockout policy. Every failure counts, whether it came from a
 * sign-in, a session unlock or an e-signature; the account locks after maxFailures within the window.
 * Audits failures under `action` (the caller audits success, knowing what it was for).
 */
export async function checkCredentials(ctx: CoreContext, name: string, password: string, action: string, now: Date = new Date()): Promise<UserRecord> {
  const user = ctx.catalog.users.find(name);
  const refuse = (code: 'UNAUTHORIZED' | 'ACCOUNT_LOCKED', cause: string, outcome: 'failure' | 'refused' = 'failure') => {
    ctx.catalog.audit.append({ actor: name, role: user?.role ?? null, action, object: name, outcome, reason: cause });
    return new LifeboatError(code, { verb: 'sign in', thing: 'user', where: name, cause });
  };
  if (!user) {
    await verifyPassword(password, DUMMY_HASH);
    throw refuse('UNAUTHORIZED', 'the name or the password is wrong');
  }
  if (user.lockedUntil && now.getTime() < Date.parse(user.lockedUntil)) {
    throw refuse('ACCOUNT_LOCKED', `the account is locked until ${user.lockedUntil} after repeated failures; an admin can unlock it`, 'refused');
  }
  if (user.disabled) throw refuse('UNAUTHORIZED', 'the account is disabled', 'refused');
  if (await verifyPassword(password, user.passwordHash)) {
    if (user.failedCount > 0 || user.lockedUntil) ctx.catalog.users.recordFailures(user.id, { failedCount: 0, firstFailedAt: null, lockedUntil: null });
    return ctx.catalog.users.get(user.id);
  }
  const policy = authPolicy(ctx);
  const fresh = !user.firstFailedAt || now.getTime() - Date.parse(user.firstFailedAt) > policy.failureWindowMs;
  const failedCount = fresh ? 1 : user.failedCount + 1;
  const firstFailedAt = fresh ? now.toISOString() : user.firstFailedAt;
  const lockedUntil = failedCount >= policy.maxFailures ? new Date(now.getTime() + policy.lockoutMs).toISOString() : null;
  ctx.catalog.users.recordFailures(user.id, { failedCount, firstFailedAt, lockedUntil });
  if (lockedUntil) {
    ctx.catalog.audit.append({ actor: 'system', action: 'user.lock', object: name, outcome: 'success', reason: `${failedCount} failed attempts within ${policy.failureWindowMs / 60_000} min`, detail: { lockedUntil } });
    throw refuse('ACCOUNT_LOCKED', `the password is wrong; the account is now locked until ${lockedUntil}`);
  }
  throw refuse('UNAUTHORIZED', 'the name or the password is wrong');
}
