import type { CoreContext } from '../context.ts';
import type { Role } from '../catalog/users-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { minimumRole, roleAllows } from './roles.ts';

/** Who is acting, as the API and CLI know it after sign-in. */
export interface Session {
  id: string;
  userId: string;
  user: string;
  fullName: string;
  role: Role;
  createdAt: string;
  lastSeenAt: string;
}

/**
 * The authority check every API route and CLI verb goes through: refused actions are written to the audit
 * trail (who tried what on which object) and end in FORBIDDEN (HTTP 403).
 */
export function authorize(ctx: CoreContext, session: Session, action: string, object: string | null = null): void {
  if (roleAllows(session.role, action)) return;
  const min = minimumRole(action);
  const cause = min ? `the role '${session.role}' may not do '${action}' (needs ${min})` : `'${action}' is not a known action`;
  ctx.catalog.audit.append({ actor: session.user, role: session.role, action, object, outcome: 'refused', reason: cause, detail: { sessionId: session.id, required: min } });
  throw new LifeboatError('FORBIDDEN', { verb: 'perform', thing: action, ...(object ? { where: object } : {}), cause: `${session.user}: ${cause}` });
}
