import type { AlertInput } from '../catalog/alerts-repo.ts';
import type { DrillRecord } from '../catalog/drills-repo.ts';

/** What the drill code needs of the agent's AlertService (src-main/core/alerts/alert-service.ts). */
export interface DrillAlertSink {
  raise(input: AlertInput): Promise<unknown>;
  clear(causeKey: string): Promise<unknown>;
}

export const DRILL_FAILED_PREFIX = 'drill-failed:';
export const DRILL_OVERDUE_PREFIX = 'drill-overdue:';

export function drillFailedCause(server: string, database: string): string {
  return `${DRILL_FAILED_PREFIX}${server}/${database}`;
}

export function drillOverdueCause(server: string, database: string): string {
  return `${DRILL_OVERDUE_PREFIX}${server}/${database}`;
}

/** A failed drill raises one alert per database; the next passing drill of it clears the alert. */
export function drillOutcomeAlert(d: DrillRecord): { raise: AlertInput } | { clear: string } {
  const cause = drillFailedCause(d.server, d.database);
  if (d.status === 'succeeded') return { clear: cause };
  const failed = d.checks.filter((c) => c.status === 'failed').map((c) => `${c.name}: ${c.detail}`);
  return {
    raise: {
      rule: 'drill-failed', causeKey: cause, severity: 'error',
      subject: `Restore drill of ${d.database} on ${d.server} failed`,
      message: d.errorMessage ?? (failed.join('; ') || 'no cause was recorded'),
      detail: { server: d.server, database: d.database, drillId: d.id, setId: d.setId, runId: d.runId },
    },
  };
}

export async function sendDrillOutcome(alerts: DrillAlertSink | undefined, d: DrillRecord): Promise<void> {
  if (!alerts) return;
  const a = drillOutcomeAlert(d);
  if ('raise' in a) await alerts.raise(a.raise);
  else await alerts.clear(a.clear);
}
