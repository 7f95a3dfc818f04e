import type { CoreContext } from '../core/context.ts';
import type { BackupType, JobRecord } from '../core/catalog/jobs-repo.ts';
import type { BackupResult } from '../core/runner/run-backup.ts';
import type { AlertService } from '../core/alerts/alert-service.ts';
import type { Clock } from '../core/scheduler/clock.ts';

/**
 * What the procedures work with. The agent fills it with its scheduler (runs queue behind the concurrency
 * limit and never overlap); the CLI without an agent fills it with the core opened in-process.
 */
export interface ApiServices {
  mode: 'agent' | 'in-process';
  startedAt: string;
  clock: Clock;
  alerts: AlertService;
  runJob(jobIdOrName: string, opts: { trigger: string; databases?: string[]; type?: BackupType }): Promise<BackupResult[]>;
  nextRuns(job: JobRecord, count: number): Date[];
  /** Jobs running and waiting now (the agent's queue); empty in-process. */
  queue(): { running: { jobId: string; trigger: string }[]; queued: { jobId: string; trigger: string; notBefore: string }[] };
}

export interface ApiContext {
  core: CoreContext;
  services: ApiServices;
  /**
   * Who is asking, for the audit trail: over HTTP `<client>:<account>` with the account the kernel names for the
   * caller's socket (src-main/agent/peer-user.ts), else 'api'; in-process the CLI's actor, `cli:<account>`.
   */
  actor: string;
}

/** The core as the caller acts on it (applied to every procedure in trpc.ts). */
export function coreFor(ctx: ApiContext): CoreContext {
  return ctx.core.actor === ctx.actor ? ctx.core : { ...ctx.core, actor: ctx.actor };
}
