import type { CoreContext } from '../context.ts';
import type { BackupType } from '../catalog/jobs-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { encryptionSpecForJob } from './encryption.ts';
import { runBackup, type BackupResult } from './run-backup.ts';

/** Runs a job: one backup run per database, in the job's order. A database failing does not stop the rest. */
export async function runJob(ctx: CoreContext, jobIdOrName: string, opts: { trigger: string; databases?: string[]; type?: BackupType; signal?: AbortSignal }): Promise<BackupResult[]> {
  const job = ctx.catalog.jobs.get(jobIdOrName);
  const source = ctx.catalog.sources.get(job.sourceId);
  const targets = job.targetIds.map((id) => ctx.catalog.targets.get(id));
  const databases = opts.databases?.length ? opts.databases : job.databases;
  for (const d of databases) {
    if (!job.databases.includes(d)) throw new LifeboatError('USAGE', { verb: 'run', thing: 'job', where: job.name, cause: `database '${d}' is not part of the job (it covers ${job.databases.join(', ')})` });
  }
  const encryption = encryptionSpecForJob(ctx, job);
  const results: BackupResult[] = [];
  for (const database of databases) {
    results.push(await runBackup(ctx, {
      jobId: job.id, jobName: job.name, source, targets, database, type: opts.type ?? job.backupType, options: job.options, encryption,
      trigger: opts.trigger, ...(opts.signal ? { signal: opts.signal } : {}),
    }));
  }
  return results;
}
