import type { CoreContext } from '../context.ts';
import type { JobRecord } from '../catalog/jobs-repo.ts';

/** One protected database as reports see it: where it lives, which jobs protect it, what it is worth. */
export interface ProtectedDatabase {
  server: string;
  database: string;
  engine: string;
  host: string | null;
  jobs: JobRecord[];
  targets: { id: string; name: string; kind: string; location: string }[];
  classification: string | null;
  criticality: number | null;
  owner: string | null;
  rpoSeconds: number | null;
  rtoSeconds: number | null;
}

export function dbKey(server: string, database: string): string {
  return `${server}/${database}`;
}

/** Where a target puts copies, for a person: folder, host and folder, share; never credentials. */
export function targetLocation(kind: string, config: Record<string, unknown>): string {
  const s = (k: string) => (typeof config[k] === 'string' || typeof config[k] === 'number' ? String(config[k]) : '');
  const host = s('host') ? `${s('user') ? `${s('user')}@` : ''}${s('host')}${s('port') ? `:${s('port')}` : ''}` : '';
  const where = s('path') || s('share') || s('root') || s('folder') || s('label') || s('unc');
  return [kind, host, where].filter(Boolean).join(' ');
}

/**
 * Every database Lifeboat protects or has protected: the databases of every job, any database that has
 * sets (a job may have been removed; its backups still need accounting for) and any database given a
 * class or tier. `scope` limits it to
 * names given as "database" or "server/database".
 */
export function protectedDatabases(ctx: CoreContext, scope: string[] = []): ProtectedDatabase[] {
  const sources = new Map(ctx.catalog.sources.list().map((s) => [s.id, s]));
  const targets = new Map(ctx.catalog.targets.list().map((t) => [t.id, t]));
  const profiles = new Map(ctx.catalog.profiles.list().map((p) => [dbKey(p.server, p.database), p]));
  const objectives = new Map(ctx.catalog.evidence.objectives().map((o) => [dbKey(o.server, o.database), o]));
  const out = new Map<string, ProtectedDatabase>();
  const entry = (server: string, database: string, engine: string, host: string | null) => {
    const key = dbKey(server, database);
    let e = out.get(key);
    if (!e) {
      const p = profiles.get(key);
      const o = objectives.get(key);
      e = { server, database, engine, host, jobs: [], targets: [], classification: p?.classification ?? null, criticality: p?.criticality ?? null, owner: p?.owner ?? null, rpoSeconds: o?.rpoSeconds ?? null, rtoSeconds: o?.rtoSeconds ?? null };
      out.set(key, e);
    }
    return e;
  };
  for (const job of ctx.catalog.jobs.list()) {
    const src = sources.get(job.sourceId);
    if (!src) continue;
    for (const db of job.databases) {
      const e = entry(src.name, db, src.kind, typeof src.config.host === 'string' ? src.config.host : null);
      e.jobs.push(job);
      for (const tid of job.targetIds) {
        const t = targets.get(tid);
        if (t && !e.targets.some((x) => x.id === t.id)) e.targets.push({ id: t.id, name: t.name, kind: t.kind, location: targetLocation(t.kind, t.config) });
      }
    }
  }
  for (const s of ctx.catalog.sets.list()) {
    const src = ctx.catalog.sources.find(s.server);
    entry(s.server, s.database, s.engine, typeof src?.config.host === 'string' ? src.config.host : null);
  }
  // Classified but without a job or a backup: listed so the gap is seen, not hidden.
  for (const p of profiles.values()) {
    if (out.has(dbKey(p.server, p.database))) continue;
    const src = ctx.catalog.sources.find(p.server);
    entry(p.server, p.database, src?.kind ?? 'unknown', typeof src?.config.host === 'string' ? src.config.host : null);
  }
  const inScope = (d: ProtectedDatabase) => scope.length === 0 || scope.includes(d.database) || scope.includes(dbKey(d.server, d.database));
  return [...out.values()].filter(inScope).sort((a, b) => dbKey(a.server, a.database).localeCompare(dbKey(b.server, b.database)));
}

/** Recovery order: tier 1 first; databases without a tier last; then by name so the order is stable. */
export function recoveryOrder(dbs: ProtectedDatabase[]): ProtectedDatabase[] {
  return [...dbs].sort((a, b) => (a.criticality ?? 1e9) - (b.criticality ?? 1e9) || dbKey(a.server, a.database).localeCompare(dbKey(b.server, b.database)));
}

export function formatSeconds(s: number | null): string {
  if (s === null) return 'not set';
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
