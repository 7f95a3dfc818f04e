import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { setSummaries } from '../../core/verify/set-summaries.ts';

const runKind = z.enum(['backup', 'verify', 'restore', 'drill', 'prune', 'rebuild']);

/** Runs (with their phases) and sets: what happened and what can be restored. */
export const runsRouter = router({
  list: procedure
    .input(z.object({ job: z.string().min(1).optional(), kind: runKind.optional(), limit: z.number().int().min(1).max(1000).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => {
      const jobId = input.job ? ctx.core.catalog.jobs.get(input.job).id : undefined;
      return ctx.core.catalog.runs.list({ ...(jobId ? { jobId } : {}), ...(input.kind ? { kind: input.kind } : {}), limit: input.limit });
    }),
  get: procedure.input(z.object({ runId: z.string().min(1) })).query(({ ctx, input }) => ctx.core.catalog.runs.get(input.runId)),
  running: procedure.query(({ ctx }) => ctx.core.catalog.runs.running()),
});

export const setsRouter = router({
  list: procedure
    .input(z.object({ database: z.string().min(1).optional(), server: z.string().min(1).optional(), job: z.string().min(1).optional(), target: z.string().min(1).optional() }).default({}))
    .query(({ ctx, input }) => {
      const jobId = input.job ? ctx.core.catalog.jobs.get(input.job).id : undefined;
      const targetId = input.target ? ctx.core.catalog.targets.get(input.target).id : undefined;
      return ctx.core.catalog.sets.list({
        ...(input.database ? { database: input.database } : {}), ...(input.server ? { server: input.server } : {}),
        ...(jobId ? { jobId } : {}), ...(targetId ? { targetId } : {}),
      }).map((s) => ({ ...s, verifications: ctx.core.catalog.verifications.forSet(s.id) }));
    }),
  /** One row per complete set as `lifeboat sets list` shows it: copies by target name, the SHA-256 verdict. */
  summaries: procedure
    .input(z.object({ database: z.string().min(1).optional(), job: z.string().min(1).optional(), target: z.string().min(1).optional() }).default({}))
    .query(({ ctx, input }) => setSummaries(ctx.core, input)),
  get: procedure.input(z.object({ setId: z.string().min(1) })).query(({ ctx, input }) => {
    const s = ctx.core.catalog.sets.get(input.setId);
    return { ...s, verifications: ctx.core.catalog.verifications.forSet(s.id) };
  }),
});
