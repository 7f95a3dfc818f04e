import type { CoreContext } from '../context.ts';
import type { DatabaseProfile } from '../catalog/profiles-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { authorize, type Session } from '../audit/authorize.ts';

/**
 * Sets a database's data class and recovery tier (the runbook's recovery order). A configuration change:
 * admins only when a session is given, always audited with the old and new values.
 */
export function setDatabaseProfile(ctx: CoreContext, p: { server: string; database: string; classification?: string | null; criticality?: number | null; owner?: string | null; notes?: string | null }, by: Session | null = null, reason: string | null = null): DatabaseProfile {
  const object = `${p.server}/${p.database}`;
  if (by) authorize(ctx, by, 'profile.change', object);
  if (p.criticality !== undefined && p.criticality !== null && (!Number.isInteger(p.criticality) || p.criticality < 1 || p.criticality > 99)) {
    throw new LifeboatError('USAGE', { verb: 'set', thing: 'recovery tier of', where: object, cause: 'the tier is a whole number from 1 (restored first) to 99' });
  }
  const old = ctx.catalog.profiles.get(p.server, p.database);
  const next = {
    server: p.server, database: p.database,
    classification: p.classification === undefined ? old?.classification ?? null : p.classification,
    criticality: p.criticality === undefined ? old?.criticality ?? null : p.criticality,
    owner: p.owner === undefined ? old?.owner ?? null : p.owner,
    notes: p.notes === undefined ? old?.notes ?? null : p.notes,
  };
  const saved = ctx.catalog.profiles.set(next);
  const view = (x: typeof next | undefined) => (x ? { classification: x.classification, criticality: x.criticality, owner: x.owner, notes: x.notes } : null);
  ctx.catalog.audit.append({ actor: by?.user ?? ctx.actor, role: by?.role, action: 'profile.change', object, outcome: 'success', reason, oldValue: view(old), newValue: view(next) });
  return saved;
}
