import type { CoreContext } from '../context.ts';
import type { RunKind } from '../catalog/runs-repo.ts';
import { pidAlive } from '../catalog/runs-repo.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

/**
 * Begins a run unless the same job (and database) already has a live one: one job never overlaps itself,
 * also across processes (CLI and agent), because the check and the insert share one write transaction.
 */
export function beginExclusiveRun(ctx: CoreContext, input: { kind: RunKind; jobId: string | null; databaseName: string | null; trigger: string; detail?: Record<string, unknown> }): string {
  return ctx.catalog.db.transaction(() => {
    if (input.jobId) {
      const busy = ctx.catalog.runs.running().find((r) => r.jobId === input.jobId && r.kind === input.kind && (r.databaseName === input.databaseName) && r.pid !== null && pidAlive(r.pid));
      if (busy) {
        throw new LifeboatError('BUSY', { verb: 'start', thing: `${input.kind} of`, where: input.databaseName ?? input.jobId, cause: `run ${busy.id} of the same job is still in progress (since ${busy.startedAt})` });
      }
    }
    return ctx.catalog.runs.begin(input);
  }).immediate();
}
