import type { Catalog } from '../catalog/catalog.ts';
import type { AlertService } from '../alerts/alert-service.ts';
import { formatSeconds, rpoState, type RpoState } from './live-rpo.ts';

export const RPO_CAUSE_PREFIX = 'rpo:';

export function rpoCause(server: string, database: string): string {
  return `${RPO_CAUSE_PREFIX}${server}/${database}`;
}

/**
 * Compares every objective with its database's live RPO: a breach raises one alert per database, which
 * clears as soon as a newly verified set brings the database back inside its objective.
 */
export async function evaluateObjectives(catalog: Catalog, alerts: AlertService, now: Date): Promise<RpoState[]> {
  const states: RpoState[] = [];
  const breached = new Set<string>();
  for (const o of catalog.objectives.list()) {
    if (o.rpoSeconds === null) continue;
    const s = rpoState(catalog, o.server, o.database, now);
    states.push(s);
    const cause = rpoCause(o.server, o.database);
    if (s.breached) {
      breached.add(cause);
      const age = s.liveRpoSeconds === null ? 'no verified backup exists' : `the newest verified backup is ${formatSeconds(s.liveRpoSeconds)} old`;
      await alerts.raise({
        rule: 'rpo-breached', causeKey: cause, severity: 'error',
        subject: `Recovery point objective missed for ${o.database} on ${o.server}`,
        message: `${age}; the objective is ${formatSeconds(o.rpoSeconds)}`,
        detail: { server: o.server, database: o.database, rpoSeconds: o.rpoSeconds, liveRpoSeconds: s.liveRpoSeconds, newestVerifiedAt: s.newestVerifiedAt },
      });
    }
  }
  // Objectives removed or met: their alerts clear.
  await alerts.clearOthers(RPO_CAUSE_PREFIX, breached);
  return states;
}
