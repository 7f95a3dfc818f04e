import type { Catalog } from '../catalog/catalog.ts';
import type { AlertService } from '../alerts/alert-service.ts';
import { TARGET_DRIVERS } from '../targets/registry.ts';
import { awayCopies } from './copy-rule.ts';
import { readAlertThresholds } from '../alerts/alert-thresholds.ts';

export const OFFLINE_CAUSE_PREFIX = 'offline-copy:';
const DAY = 86_400_000;

/**
 * Rotation only protects when the disks actually leave: for every database a job writes to removable disks,
 * the newest copy on a disk taken off site (the offline copy of 3-2-1-1-0) must be younger than the threshold
 * (alert-thresholds.ts). Raises one alert per database when it is older, or when no disk has been taken off site in that long since
 * the database's first set; clears when a fresher copy has been taken away or the job no longer rotates disks.
 */
export async function evaluateOfflineCopies(catalog: Catalog, alerts: AlertService, now: Date): Promise<void> {
  const maxAgeMs = readAlertThresholds(catalog).offlineCopyMaxAgeDays * DAY;
  const removable = new Set(catalog.targets.list().filter((t) => TARGET_DRIVERS[t.kind]?.removable).map((t) => t.id));
  const rotated = new Map<string, { server: string; database: string }>();
  for (const job of catalog.jobs.list()) {
    if (!job.targetIds.some((id) => removable.has(id))) continue;
    const server = catalog.sources.find(job.sourceId)?.name;
    if (server) for (const database of job.databases) rotated.set(`${OFFLINE_CAUSE_PREFIX}${server}/${database}`, { server, database });
  }
  const stale = new Set<string>();
  for (const [cause, { server, database }] of rotated) {
    const sets = catalog.sets.list({ server, database });
    if (sets.length === 0) continue;
    const newest = awayCopies(catalog, sets).offline[0] ?? null;
    const ageMs = now.getTime() - Date.parse(newest?.finishedAt ?? sets[0]!.finishedAt);
    if (ageMs <= maxAgeMs) continue;
    const ageDays = Math.floor(ageMs / DAY);
    stale.add(cause);
    await alerts.raise({
      rule: 'offline-copy-stale', causeKey: cause, severity: 'warning',
      subject: `No recent offline copy of ${database} on ${server}`,
      message: newest
        ? `the newest copy on a disk taken off site (${newest.disk ?? newest.target}) is ${ageDays} days old, over the ${maxAgeMs / DAY}-day limit: take the disk in use off site (lifeboat target eject) and bring another in`
        : `no disk holding a copy has been taken off site in the ${ageDays} days since the first backup: take the disk in use off site (lifeboat target eject)`,
      detail: { server, database, newestOfflineAt: newest?.finishedAt ?? null, maxAgeDays: maxAgeMs / DAY },
    });
  }
  await alerts.clearOthers(OFFLINE_CAUSE_PREFIX, stale);
}
