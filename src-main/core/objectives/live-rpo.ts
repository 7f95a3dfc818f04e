import type { Catalog } from '../catalog/catalog.ts';

export interface RpoState {
  server: string;
  database: string;
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  /** now − end of the newest verified set; null when no verified set exists. */
  liveRpoSeconds: number | null;
  newestVerifiedAt: string | null;
  breached: boolean;
}

/** Live RPO of one database against its objective (DESIGN: only a verified set counts as a recovery point). */
export function rpoState(catalog: Catalog, server: string, database: string, now: Date): RpoState {
  const obj = catalog.objectives.find(server, database);
  const newest = catalog.objectives.newestVerifiedFinish(server, database);
  const live = newest ? Math.max(0, Math.floor((now.getTime() - new Date(newest).getTime()) / 1000)) : null;
  const rpo = obj?.rpoSeconds ?? null;
  return {
    server, database, rpoSeconds: rpo, rtoSeconds: obj?.rtoSeconds ?? null, liveRpoSeconds: live, newestVerifiedAt: newest,
    breached: rpo !== null && (live === null || live > rpo),
  };
}

export function formatSeconds(s: number): string {
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}
