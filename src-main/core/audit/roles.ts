import type { Role } from '../catalog/users-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export type { Role };
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/**
 * The one permission table (21 CFR 11.10(g) authority checks): each action and the least role that may do
 * it. Reading is for everyone; running work (backups, drills, restores) is for operators; changing what is
 * protected, where it goes, how long it is kept and who may act is for admins only.
 */
export const PERMISSIONS = {
  'status.read': 'viewer',
  'sets.list': 'viewer',
  'runs.list': 'viewer',
  'audit.read': 'viewer',
  'audit.verify': 'viewer',
  'report.audit': 'viewer',
  'report.runbook': 'viewer',
  'backup.start': 'operator',
  'verify.start': 'operator',
  'drill.start': 'operator',
  'restore.start': 'operator',
  'restore.overwrite': 'operator',
  'alert.ack': 'operator',
  'media.custody': 'operator',
  'audit.checkpoint': 'operator',
  'restore.integrity-override': 'admin',
  'source.change': 'admin',
  'target.change': 'admin',
  'job.change': 'admin',
  'retention.change': 'admin',
  'objectives.change': 'admin',
  'profile.change': 'admin',
  'settings.change': 'admin',
  'user.change': 'admin',
  'sets.delete': 'admin',
  'legal-hold.release': 'admin',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/** The least role for an action; unknown actions need a role nobody has, so they are always refused. */
export function minimumRole(action: string): Role | null {
  return Object.hasOwn(PERMISSIONS, action) ? PERMISSIONS[action as Action] : null;
}

export function roleAllows(role: Role, action: string): boolean {
  const min = minimumRole(action);
  return min !== null && RANK[role] >= RANK[min];
}

/** Throws FORBIDDEN unless the session's role is at least `role`. Pure: callers that must audit use authorize(). */
export function requireRole(session: { user: string; role: Role }, role: Role): void {
  if (RANK[session.role] < RANK[role]) {
    throw new LifeboatError('FORBIDDEN', { verb: 'allow', thing: 'user', where: session.user, cause: `the role '${session.role}' is below '${role}'` });
  }
}
