import type { CoreContext } from '../context.ts';
import { openTarget } from '../open-drivers.ts';
import { scanRepo } from './scan-repo.ts';

export interface RebuildReport {
  target: string;
  added: string[];
  alreadyKnown: string[];
  copiesAdded: string[];
  incomplete: string[];
  rejected: { path: string; reason: string }[];
}

/**
 * Teaches the catalog every complete set found on a target, from the repository tree alone (after the loss
 * of a workstation, a fresh install reads a USB disk). Incomplete folders and manifests that fail the
 * schema are reported, never imported.
 */
export async function rebuildCatalog(ctx: CoreContext, targetName: string): Promise<RebuildReport> {
  const rec = ctx.catalog.targets.get(targetName);
  const target = await openTarget(ctx, rec);
  const runId = ctx.catalog.runs.begin({ kind: 'rebuild', trigger: 'manual', detail: { target: rec.name } });
  try {
    const scan = await scanRepo(target);
    const report: RebuildReport = { target: rec.name, added: [], alreadyKnown: [], copiesAdded: [], incomplete: scan.incomplete.map((i) => i.path), rejected: scan.rejected };
    ctx.catalog.db.transaction(() => {
      for (const s of scan.complete) {
        const known = ctx.catalog.sets.find(s.manifest.setId);
        if (known) {
          report.alreadyKnown.push(s.manifest.setId);
          if (!known.copies.some((c) => c.targetId === rec.id && c.status === 'present')) {
            ctx.catalog.sets.addCopy(s.manifest.setId, rec.id);
            report.copiesAdded.push(s.manifest.setId);
          }
          continue;
        }
        const job = s.manifest.job ? ctx.catalog.jobs.find(s.manifest.job) : undefined;
        ctx.catalog.sets.record({ manifest: s.manifest, path: s.path, manifestSha256: s.manifestSha256, runId: null, jobId: job?.id ?? null, copies: [{ targetId: rec.id }] });
        report.added.push(s.manifest.setId);
      }
    })();
    ctx.catalog.runs.finish(runId, { status: 'succeeded' });
    ctx.catalog.audit.append({ actor: ctx.actor, action: 'catalog.rebuild', object: rec.name, outcome: 'success', detail: { added: report.added.length, rejected: report.rejected.length } });
    return report;
  } catch (err) {
    ctx.catalog.runs.finish(runId, { status: 'failed', errorCode: 'INTERNAL', errorMessage: (err as Error).message });
    throw err;
  } finally {
    await target.close();
  }
}
