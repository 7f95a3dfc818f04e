import os from 'node:os';
import type { CoreContext } from '../context.ts';
import type { DrillRecord } from '../catalog/drills-repo.ts';
import { pidAlive } from '../catalog/runs-repo.ts';
import { openEngine } from '../open-drivers.ts';
import { causeOf } from '../errors/lifeboat-error.ts';
import { recoverInterruptedRuns } from '../runner/recover-runs.ts';
import { isScratchName } from './scratch-name.ts';
import { sendDrillOutcome, type DrillAlertSink } from './drill-alerts.ts';

export interface CleanedDrill {
  drillId: string;
  scratchName: string;
  drillServer: string | null;
  dropped: boolean;
  cause: string;
}

/**
 * At start (agent, CLI): a drill whose process died is recorded as failed with the cause its run got, and its
 * scratch database is dropped on the drill server. Drills that finished but could not drop their scratch
 * (server unreachable then) are retried here too. A drill of a live process is left alone.
 */
export async function cleanupAbandonedDrills(ctx: CoreContext, opts: { alerts?: DrillAlertSink } = {}): Promise<CleanedDrill[]> {
  const repo = ctx.catalog.drills;
  // Idempotent: closes runs of dead processes (openCore normally did it already).
  await recoverInterruptedRuns(ctx);
  const out: CleanedDrill[] = [];
  for (const d of repo.running()) {
    const run = d.runId ? safeRun(ctx, d.runId) : undefined;
    if (run && run.status === 'running' && run.host === os.hostname() && run.pid !== null && pidAlive(run.pid)) continue;
    const cause = run?.errorMessage ?? `unable to complete drill '${d.id}': interrupted (the process ended while the drill was in progress)`;
    const drillServer = typeof run?.detail.drillServer === 'string' ? run.detail.drillServer : null;
    const drop = await dropScratch(ctx, d, drillServer);
    const message = drop.error ? `${cause}; ${drop.error}` : cause;
    // The restore into the scratch name died with the process too: its row must not stay "running".
    for (const r of ctx.catalog.restores.list(200)) {
      if (r.destination === d.scratchName && r.status === 'running') ctx.catalog.restores.finish(r.id, { status: 'failed', durationMs: Date.now() - Date.parse(r.startedAt), detail: { error: cause } });
    }
    repo.finish(d.id, { status: 'failed', checks: [...d.checks, { kind: 'restore', name: 'restore', status: 'failed', detail: cause }], errorMessage: message });
    if (d.setId && ctx.catalog.sets.has(d.setId)) {
      ctx.catalog.verifications.add({
        setId: d.setId, copyId: null, level: 3, result: 'failed', startedAt: d.startedAt, finishedAt: new Date().toISOString(),
        triggeredBy: 'drill:cleanup', runId: d.runId, detail: { drillId: d.id, scratchName: d.scratchName, drillServer, error: message },
      });
    }
    ctx.catalog.audit.append({ actor: ctx.actor, action: 'drill.cleanup', object: `${d.server}/${d.database}`, outcome: 'failure', detail: { drillId: d.id, scratchName: d.scratchName, drillServer, scratchDropped: drop.dropped, cause: message } });
    ctx.logger.log('warn', `abandoned drill ${d.id} recorded as failed: ${message}`, { runId: d.runId });
    await sendDrillOutcome(opts.alerts, repo.get(d.id));
    out.push({ drillId: d.id, scratchName: d.scratchName, drillServer, dropped: drop.dropped, cause: message });
  }
  for (const d of repo.undropped()) {
    const run = d.runId ? safeRun(ctx, d.runId) : undefined;
    const drillServer = typeof run?.detail.drillServer === 'string' ? run.detail.drillServer : null;
    const drop = await dropScratch(ctx, d, drillServer);
    if (drop.dropped) out.push({ drillId: d.id, scratchName: d.scratchName, drillServer, dropped: true, cause: d.errorMessage ?? 'the scratch database was left by an earlier drill' });
  }
  return out;
}

async function dropScratch(ctx: CoreContext, d: DrillRecord, drillServer: string | null): Promise<{ dropped: boolean; error: string | null }> {
  if (!isScratchName(d.scratchName)) return { dropped: false, error: `'${d.scratchName}' is not a drill scratch name; not dropped` };
  const source = ctx.catalog.sources.find(drillServer ?? d.server);
  if (!source) return { dropped: false, error: `the drill server '${drillServer ?? d.server}' is no longer configured; drop '${d.scratchName}' by hand` };
  const engine = openEngine(ctx, source);
  try {
    await engine.dropDatabase(d.scratchName);
    ctx.catalog.drills.markScratchDropped(d.id);
    return { dropped: true, error: null };
  } catch (err) {
    return { dropped: false, error: `the scratch database '${d.scratchName}' could not be dropped yet: ${causeOf(err)}` };
  } finally {
    await engine.close().catch(() => undefined);
  }
}

function safeRun(ctx: CoreContext, id: string) {
  try { return ctx.catalog.runs.get(id); } catch { return undefined; }
}
