import type { CoreContext } from '../context.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { authorize, type Session } from './authorize.ts';
import { touchSession } from './sessions.ts';

/**
 * The one call an API route makes before doing anything: the session behind the token (ended, locked or
 * idle sessions are refused with 401), then the permission table (refusals audited, 403). Returns the
 * session so the route can attribute what it does.
 */
export function guardRequest(ctx: CoreContext, token: string | null | undefined, action: string, object: string | null = null, now: Date = new Date()): Session {
  if (!token) throw new LifeboatError('UNAUTHORIZED', { verb: 'perform', thing: action, cause: 'no session: sign in first' });
  const session = touchSession(ctx, token, now);
  authorize(ctx, session, action, object);
  return session;
}
