import type { CoreContext } from '../context.ts';
import type { ConfigRecord } from '../catalog/config-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import { pruneTarget, type PruneReport } from './prune-target.ts';
import { parseRetentionPolicy } from './policy.ts';

/**
 * `lifeboat prune`: every target of a job with the job's policy, or one target with the policy of the first
 * job that uses it (else the default). Real prunes are audited.
 */
export async function pruneTargets(ctx: CoreContext, sel: { job?: string; target?: string; dryRun?: boolean }): Promise<PruneReport[]> {
  if (!sel.job === !sel.target) throw new LifeboatError('USAGE', { verb: 'prune', thing: 'targets', cause: 'give exactly one of --job or --target' });
  const work: { rec: ConfigRecord; policySource: unknown; where: string }[] = [];
  if (sel.job) {
    const job = ctx.catalog.jobs.get(sel.job);
    for (const id of job.targetIds) work.push({ rec: ctx.catalog.targets.get(id), policySource: job.options.retention, where: `job ${job.name}` });
  } else {
    const rec = ctx.catalog.targets.get(sel.target!);
    const job = ctx.catalog.jobs.list().find((j) => j.targetIds.includes(rec.id));
    work.push({ rec, policySource: job?.options.retention, where: job ? `job ${job.name}` : 'default policy' });
  }
  const reports: PruneReport[] = [];
  for (const w of work) {
    const report = await pruneTarget(ctx, w.rec, parseRetentionPolicy(w.policySource, w.where), { dryRun: Boolean(sel.dryRun) });
    reports.push(report);
    if (!report.dryRun) {
      ctx.catalog.audit.append({ actor: ctx.actor, action: 'retention.prune', object: w.rec.name, outcome: 'success', detail: { removed: report.remove.map((r) => r.id), cleaned: report.clean.map((c) => c.path) } });
    }
  }
  return reports;
}
