import type { CoreContext } from '../context.ts';
import { openTarget } from '../open-drivers.ts';
import { causeOf } from '../errors/lifeboat-error.ts';
import { removeSetObjects } from './remove-set-objects.ts';
import { removeStaleWork } from './stale-work.ts';

/**
 * At start: runs a dead process left "running" are closed as failed, their work folders are removed (see
 * removeStaleWork), and the objects of their unfinished sets are removed from the targets that can be
 * reached. An unreachable target keeps its leftovers, which have no MANIFEST.json and are therefore never
 * listed; retention cleans them later.
 */
export async function recoverInterruptedRuns(ctx: CoreContext): Promise<string[]> {
  const closed = ctx.catalog.runs.recoverInterrupted();
  removeStaleWork(ctx.home.work, closed.map((r) => r.id));
  for (const run of closed) {
    ctx.logger.log('warn', run.errorMessage ?? 'interrupted run closed', { runId: run.id });
    const setId = run.detail.setId as string | undefined;
    const setPath = run.detail.setPath as string | undefined;
    const targetIds = (run.detail.targetIds as string[] | undefined) ?? [];
    if (!setPath || (setId && ctx.catalog.sets.has(setId))) continue;
    for (const tid of targetIds) {
      const rec = ctx.catalog.targets.find(tid);
      if (!rec) continue;
      try {
        const t = await openTarget(ctx, rec);
        try { await removeSetObjects(t, setPath); } finally { await t.close(); }
      } catch (err) {
        ctx.logger.log('warn', `left the unfinished set '${setPath}' on target '${rec.name}': ${causeOf(err)}`, { runId: run.id });
      }
    }
  }
  return closed.map((r) => r.id);
}
