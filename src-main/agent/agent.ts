import type { CoreContext } from '../core/context.ts';
import type { Logger } from '../core/util/logger.ts';
import type { BackupResult } from '../core/runner/run-backup.ts';
import type { Clock } from '../core/scheduler/clock.ts';
import type { ApiServices } from '../api/api-context.ts';
import { openCore, closeCore } from '../core/context.ts';
import { homePaths } from '../core/util/home.ts';
import { runJob } from '../core/runner/run-job.ts';
import { systemClock } from '../core/scheduler/clock.ts';
import { Scheduler } from '../core/scheduler/scheduler.ts';
import { systemTimezone } from '../core/scheduler/schedule-spec.ts';
import { createAlertService } from '../core/alerts/create-alert-service.ts';
import { attachAlertRules, checkTargetSpace } from '../core/alerts/alert-rules.ts';
import { evaluateObjectives } from '../core/objectives/evaluate-objectives.ts';
import { evaluateOfflineCopies } from '../core/objectives/evaluate-offline-copies.ts';
import { recoverInterruptedRuns } from '../core/runner/recover-runs.ts';
import { cleanupAbandonedDrills } from '../core/drills/cleanup-drills.ts';
import { runDueDrills } from '../core/drills/due-drills.ts';
import { reverifyCopies } from '../core/verify/reverify.ts';
import { takeCheckpointIfDue } from '../core/audit/checkpoint.ts';
import { causeOf } from '../core/errors/lifeboat-error.ts';
import { startApiServer, type StaticHandler } from '../api/http-server.ts';
import { newToken, removeAgentInfo, writeAgentInfo } from '../api/agent-info.ts';
import { acquireAgentLock } from './agent-lock.ts';
import { requestActor } from './peer-user.ts';

export const MAX_CONCURRENT_SETTING = 'scheduler.maxConcurrent';

export interface AgentOptions {
  home: string;
  port?: number;
  logger?: Logger;
  clock?: Clock;
  /** How often the scheduler looks at the clock. */
  tickMs?: number;
  /** Scheduled drills and re-verification (default on; tests of the schedule alone turn them off). */
  proofWork?: boolean;
  proofWorkDelayMs?: number;
  /** How long running work may take to finish at shutdown before it is aborted. */
  graceMs?: number;
  maxConcurrent?: number;
  /** How often objectives and alert repeats are checked. */
  checkEveryMs?: number;
  staticHandler?: StaticHandler;
}

export interface Agent {
  core: CoreContext;
  scheduler: Scheduler;
  port: number;
  url: string;
  token: string;
  /** Resolves when the agent has stopped (after stop()). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The agent (DESIGN §1): takes the catalog's lock, opens the core (closing runs a dead process left
 * "running"), runs the scheduler and the alert rules, and serves the API on loopback with a fresh token
 * written to <home>/agent.json (0600).
 */
export async function startAgent(opts: AgentOptions): Promise<Agent> {
  const lock = acquireAgentLock(homePaths(opts.home).root);
  let core: CoreContext;
  try {
    // Recovery of interrupted runs waits until the alert rules listen, so a crash-killed run raises its alert.
    core = await openCore({ home: opts.home, actor: 'scheduler', recover: false, ...(opts.logger ? { logger: opts.logger } : {}) });
  } catch (err) {
    lock.release();
    throw err;
  }
  const log = core.logger.child({ component: 'agent' });
  // Every SSE subscriber (tray, windows, CLI progress) listens on the bus; more than ten is normal here.
  core.events.setMaxListeners(0);
  const clock = opts.clock ?? systemClock;
  const graceMs = opts.graceMs ?? 60_000;
  const alerts = createAlertService(core, clock);
  const detachRules = attachAlertRules(core, alerts, clock);
  for (const runId of await recoverInterruptedRuns(core)) {
    const r = core.catalog.runs.get(runId);
    core.events.emitEvent('run.finished', { runId, kind: r.kind, status: r.status, errorCode: r.errorCode, errorMessage: r.errorMessage });
  }
  // A drill cut short by a crash left a scratch database behind: drop it and record the drill as failed.
  await cleanupAbandonedDrills(core, { alerts }).catch((err) => log.log('error', `drill cleanup failed: ${causeOf(err)}`));
  const scheduler = new Scheduler({
    catalog: core.catalog, clock, events: core.events, logger: log,
    maxConcurrent: opts.maxConcurrent ?? Number(core.catalog.getSetting(MAX_CONCURRENT_SETTING) ?? 2),
    defaultTimezone: core.catalog.getSetting('timezone') ?? systemTimezone(),
    execute: async ({ job, trigger, databases, type, signal }) => {
      const results = await runJob(core, job.id, { trigger, signal, ...(databases ? { databases } : {}), ...(type ? { type } : {}) });
      return signal.aborted ? markInterrupted(core, results, graceMs) : results;
    },
  });

  const startedAt = new Date().toISOString();
  const services: ApiServices = {
    mode: 'agent', startedAt, clock, alerts,
    runJob: (job, o) => scheduler.runNow(job, o),
    nextRuns: (job, n) => scheduler.nextRuns(job, n),
    queue: () => scheduler.snapshot(),
  };
  const token = newToken();
  let server: Awaited<ReturnType<typeof startApiServer>>;
  try {
    server = await startApiServer({
      token, createContext: (req, port) => ({ core, services, actor: requestActor(req, port) }),
      ...(opts.port ? { port: opts.port } : {}), ...(opts.staticHandler ? { staticHandler: opts.staticHandler } : {}),
    });
  } catch (err) {
    // The port is taken (or similar): leave nothing behind that would make the next start refuse.
    detachRules();
    closeCore(core);
    lock.release();
    throw err;
  }
  writeAgentInfo(core.home.agentInfo, { pid: process.pid, port: server.port, url: server.url, token, startedAt, version: core.appVersion });
  log.log('info', `agent started: listening on ${server.url}`, { pid: process.pid });

  // Objectives and repeats are time-driven too: check them at start and every minute.
  let breachedBefore = '';
  const periodic = async () => {
    try {
      const states = await evaluateObjectives(core.catalog, alerts, clock.now());
      // The dashboard's RPO column ages with the clock alone: tell listeners when a database crosses its objective.
      const breached = states.filter((s) => s.breached).map((s) => `${s.server}/${s.database}`).join(',');
      if (breached !== breachedBefore) core.events.emitEvent('status.changed', { reason: breached ? `objective missed: ${breached}` : 'all objectives met' });
      breachedBefore = breached;
      await evaluateOfflineCopies(core.catalog, alerts, clock.now());
      await alerts.sweep();
      takeCheckpointIfDue(core, clock.now());
    } catch (err) {
      log.log('error', `periodic alert check failed: ${causeOf(err)}`);
    }
    startProofWork();
  };
  // Proof of recoverability runs beside the schedule, one piece at a time: due restore drills, then
  // re-verification of the copies checked longest ago (bit rot; rotated disks when they come back).
  let proving: Promise<void> | null = null;
  let lastReverify = 0;
  // Not in the first minutes after start: catch-up backups come first, and a restarted agent does not
  // hammer the servers the moment it is up.
  const proofFrom = clock.now().getTime() + (opts.proofWorkDelayMs ?? 10 * 60_000);
  const startProofWork = () => {
    if (proving || opts.proofWork === false || clock.now().getTime() < proofFrom) return;
    proving = (async () => {
      try {
        await runDueDrills(core, clock.now(), { alerts });
        if (clock.now().getTime() - lastReverify >= 3_600_000) {
          lastReverify = clock.now().getTime();
          await reverifyCopies(core, { now: clock.now() });
        }
      } catch (err) {
        log.log('error', `drills or re-verification failed: ${causeOf(err)}`);
      } finally {
        proving = null;
      }
    })();
  };
  await periodic();
  const loop = new AbortController();
  const tickMs = opts.tickMs ?? 1000;
  const looping = (async () => {
    let lastPeriodic = clock.now().getTime();
    let lastSpace = 0;
    while (!loop.signal.aborted) {
      try {
        scheduler.tick();
      } catch (err) {
        // A busy or briefly unreadable catalog must not end the loop: the next tick tries again.
        log.log('error', `scheduler tick failed: ${causeOf(err)}`);
      }
      const now = clock.now().getTime();
      if (now - lastPeriodic >= (opts.checkEveryMs ?? 60_000)) { lastPeriodic = now; await periodic(); }
      if (now - lastSpace >= 600_000) { lastSpace = now; await alerts.track(checkTargetSpace(core, alerts)).catch(() => undefined); }
      await clock.sleep(tickMs, loop.signal);
    }
  })();

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => { resolveStopped = r; });
  let stopping: Promise<void> | null = null;
  const stop = () => stopping ??= (async () => {
    log.log('info', 'agent stopping: letting running work finish', { graceMs });
    loop.abort();
    await looping;
    await scheduler.stop(graceMs);
    // A drill still running is left to the next start's cleanup after the grace period.
    await Promise.race([proving, new Promise((r) => setTimeout(r, graceMs).unref())]);
    await alerts.settled();
    detachRules();
    await server.close();
    removeAgentInfo(core.home.agentInfo);
    log.log('info', 'agent stopped');
    closeCore(core);
    lock.release();
    resolveStopped();
  })();
  return { core, scheduler, port: server.port, url: server.url, token, stopped, stop };
}

/** Runs cut short by shutdown are recorded as interrupted, whatever error the abort surfaced as. */
function markInterrupted(core: CoreContext, results: BackupResult[], graceMs: number): BackupResult[] {
  for (const r of results) {
    if (r.status !== 'failed') continue;
    const message = `unable to complete backup run '${r.runId}': interrupted (the agent stopped and the run did not finish within the ${Math.round(graceMs / 1000)} s grace period)`;
    core.catalog.runs.mergeDetail(r.runId, { abortedWith: r.error?.message ?? null });
    core.catalog.runs.finish(r.runId, { status: 'failed', errorCode: 'INTERRUPTED', errorMessage: message });
    r.error = { code: 'INTERRUPTED', message };
  }
  return results;
}
