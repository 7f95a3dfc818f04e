import type { CoreContext } from '../context.ts';
import type { AlertService } from './alert-service.ts';
import type { Clock } from '../scheduler/clock.ts';
import { evaluateObjectives } from '../objectives/evaluate-objectives.ts';
import { openTarget } from '../open-drivers.ts';
import { causeOf } from '../errors/lifeboat-error.ts';
import { readAlertThresholds } from './alert-thresholds.ts';

/**
 * The alert rules: each turns something the core reports into raising or clearing one cause.
 * - run failed (per job and database), cleared by the next good run;
 * - USB disk of a set absent (MEDIA_ABSENT), cleared when a run reaches the disk again;
 * - verification failed (per set), cleared when the set verifies again;
 * - missed schedule (slots skipped while the agent was down), cleared when the job runs on schedule;
 * - RPO breached, evaluated when a set lands and periodically; cleared by a new verified set;
 * - target low on space, evaluated periodically for targets that can tell their free space;
 * - offline copy stale (a rotated disk not taken off site in N days), evaluated periodically by the agent
 *   (objectives/evaluate-offline-copies.ts).
 * Returns a function that detaches the rules.
 */
export function attachAlertRules(ctx: CoreContext, alerts: AlertService, clock: Clock): () => void {
  const offs: (() => void)[] = [];
  const track = (p: Promise<unknown>) => { void alerts.track(p).catch((err) => ctx.logger.log('error', `alert rule failed: ${causeOf(err)}`)); };

  offs.push(ctx.events.onEvent('run.finished', (e) => track(onRunFinished(ctx, alerts, e.runId))));
  offs.push(ctx.events.onEvent('set.recorded', () => track(evaluateObjectives(ctx.catalog, alerts, clock.now()))));
  offs.push(ctx.events.onEvent('schedule.slot', (e) => track((async () => {
    const job = ctx.catalog.jobs.find(e.jobId);
    const cause = `missed-schedule:${e.jobId}`;
    if (e.outcome === 'skipped' && e.reason === 'downtime' && e.missedSlots) {
      await alerts.raise({
        rule: 'missed-schedule', causeKey: cause, severity: 'warning',
        subject: `Scheduled backups of job ${job?.name ?? e.jobId} were missed`,
        message: `${e.missedSlots} scheduled run${e.missedSlots === 1 ? '' : 's'} up to ${e.slotAt} did not happen (the agent was not running); the job's policy is to skip missed runs`,
        detail: { jobId: e.jobId, job: job?.name ?? null, missedSlots: e.missedSlots },
      });
    } else if (e.outcome === 'ran' || e.outcome === 'catch-up') {
      await alerts.clear(cause);
    }
  })())));
  return () => { for (const off of offs) off(); };
}

async function onRunFinished(ctx: CoreContext, alerts: AlertService, runId: string): Promise<void> {
  const run = safeGet(ctx, runId);
  if (!run) return;
  if (run.kind === 'backup') {
    const job = run.jobId ? ctx.catalog.jobs.find(run.jobId) : undefined;
    const server = job ? ctx.catalog.sources.find(job.sourceId)?.name ?? null : null;
    const db = run.databaseName ?? '(all)';
    const failCause = `run-failed:${run.jobId ?? 'none'}:${db}`;
    const mediaCause = `media-absent:${run.jobId ?? 'none'}`;
    if (run.status === 'failed' || run.status === 'partial') {
      const media = run.errorCode === 'MEDIA_ABSENT';
      await alerts.raise({
        rule: media ? 'media-absent' : 'run-failed', causeKey: media ? mediaCause : failCause, severity: run.status === 'failed' ? 'error' : 'warning',
        subject: media ? `No disk of the rotation set is connected for ${db}` : `Backup of ${db}${server ? ` on ${server}` : ''} ${run.status === 'failed' ? 'failed' : 'reached only some targets'}`,
        message: run.errorMessage ?? 'no cause was recorded',
        detail: { database: db, server, jobId: run.jobId, job: job?.name ?? null, runId: run.id, code: run.errorCode, trigger: run.trigger },
      });
    } else if (run.status === 'succeeded') {
      await alerts.clear(failCause);
      await alerts.clear(mediaCause);
    }
    return;
  }
  if (run.kind === 'verify') {
    const setIds = (run.detail.setIds as string[] | undefined) ?? [];
    for (const setId of setIds) {
      const cause = `verification-failed:${setId}`;
      const set = ctx.catalog.sets.find(setId);
      const failedHere = run.status === 'failed' && (run.errorMessage ?? '').includes(setId);
      if (failedHere) {
        await alerts.raise({
          rule: 'verification-failed', causeKey: cause, severity: 'error',
          subject: `Verification of a backup of ${set?.database ?? setId} failed`,
          message: run.errorMessage ?? 'no cause was recorded',
          detail: { database: set?.database ?? null, server: set?.server ?? null, setId, runId: run.id, code: run.errorCode },
        });
      } else if (run.status === 'succeeded') {
        await alerts.clear(cause);
      }
    }
  }
}

function safeGet(ctx: CoreContext, runId: string) {
  try { return ctx.catalog.runs.get(runId); } catch { return undefined; }
}

/** Targets that can tell their free space are checked against the threshold (alert-thresholds.ts). */
export async function checkTargetSpace(ctx: CoreContext, alerts: AlertService): Promise<void> {
  const threshold = readAlertThresholds(ctx.catalog).lowSpaceBytes;
  for (const rec of ctx.catalog.targets.list()) {
    const cause = `target-low-space:${rec.id}`;
    let free: number | null = null;
    try {
      const t = await openTarget(ctx, rec);
      try {
        if (t.capabilities.freeSpace && t.freeSpace) free = await t.freeSpace();
      } finally {
        await t.close().catch(() => undefined);
      }
    } catch {
      // An unreachable target is reported by the run that needs it, not as low space.
      continue;
    }
    if (free === null) continue;
    if (free < threshold) {
      await alerts.raise({
        rule: 'target-low-space', causeKey: cause, severity: 'warning',
        subject: `Target ${rec.name} is low on space`,
        message: `${(free / 1024 ** 3).toFixed(1)} GiB free, below the ${(threshold / 1024 ** 3).toFixed(1)} GiB threshold`,
        detail: { targetId: rec.id, target: rec.name, freeBytes: free, thresholdBytes: threshold },
      });
    } else {
      await alerts.clear(cause);
    }
  }
}
