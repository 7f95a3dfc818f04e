import type { CoreContext } from '../context.ts';
import type { ConfigRecord } from '../catalog/config-repo.ts';
import { openTarget } from '../open-drivers.ts';
import { scanRepo } from '../repo/scan-repo.ts';
import { removeSetObjects } from '../runner/remove-set-objects.ts';
import type { Target } from '../targets/target.ts';
import { mediaOf } from '../targets/usb/usb-target.ts';
import { planRetention, type RetentionSet } from './plan-retention.ts';
import type { RetentionPolicy } from './policy.ts';

export interface PruneReport {
  target: string;
  dryRun: boolean;
  keep: { id: string; path: string; reasons: string[] }[];
  remove: { id: string; path: string; bytes: number }[];
  clean: { path: string; objects: number }[];
  /** Set folders whose MANIFEST.json could not be read: never touched, reported for a person to look at. */
  untouched: { path: string; reason: string }[];
}

/**
 * Applies retention to one target. The target's own tree is the truth for what exists (DESIGN §3); the
 * catalog adds legal holds and verification results. With dryRun nothing is removed or recorded.
 */
export async function pruneTarget(ctx: CoreContext, targetRecord: ConfigRecord, policy: RetentionPolicy, opts: { dryRun?: boolean; now?: Date; target?: Target } = {}): Promise<PruneReport> {
  const target = opts.target ?? await openTarget(ctx, targetRecord);
  try {
    const mediaId = mediaOf(target)?.id ?? null;
    const scan = await scanRepo(target);
    const paths = new Map(scan.complete.map((s) => [s.manifest.setId, s]));
    const sets: RetentionSet[] = scan.complete.map(({ manifest: m }) => {
      const rec = ctx.catalog.sets.find(m.setId);
      const copy = rec?.copies.find((c) => c.targetId === targetRecord.id && (mediaId === null || c.mediaId === mediaId));
      const verified = rec ? ctx.catalog.verifications.forSet(m.setId).some((v) => v.result === 'passed' && (v.copyId === null || v.copyId === copy?.id)) : false;
      return { id: m.setId, server: m.server, database: m.database, type: m.type, finishedAt: new Date(m.finishedAt), parentSetId: m.parentSetId, legalHold: rec?.legalHold ?? false, verified };
    });
    const plan = planRetention(sets, policy, opts.now ?? new Date(), scan.incomplete);
    const report: PruneReport = {
      target: targetRecord.name,
      dryRun: opts.dryRun ?? false,
      keep: plan.keep.map((k) => ({ id: k.id, path: paths.get(k.id)!.path, reasons: k.reasons })),
      remove: plan.remove.map((r) => ({ id: r.id, path: paths.get(r.id)!.path, bytes: paths.get(r.id)!.manifest.artifacts.reduce((n, a) => n + a.bytes, 0) })),
      clean: plan.clean.map((p) => ({ path: p, objects: scan.incomplete.find((i) => i.path === p)!.objects.length })),
      untouched: scan.rejected,
    };
    if (report.dryRun) return report;
    for (const r of report.remove) {
      await removeSetObjects(target, r.path);
      const rec = ctx.catalog.sets.find(r.id);
      for (const c of rec?.copies ?? []) {
        if (c.targetId === targetRecord.id && (mediaId === null || c.mediaId === mediaId) && c.status === 'present') ctx.catalog.sets.markCopy(c.id, 'removed');
      }
    }
    for (const c of plan.clean) {
      for (const o of scan.incomplete.find((i) => i.path === c)!.objects) await target.remove(o);
    }
    return report;
  } finally {
    if (!opts.target) await target.close();
  }
}
