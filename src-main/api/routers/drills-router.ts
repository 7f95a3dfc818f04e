import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { keys, keysOf } from './recovery-router.ts';

// Drill code is loaded when a drill procedure is first called: the agent and the CLI pay for it only then.
const drillsCore = async () => ({
  ...(await import('../../core/drills/run-drill.ts')), ...(await import('../../core/drills/cleanup-drills.ts')),
  ...(await import('../../core/drills/plan-drills.ts')), ...(await import('../../core/drills/due-drills.ts')),
  ...(await import('../../core/drills/drill-summary.ts')), ...(await import('../../core/drills/probe-query.ts')),
});

const probe = z.object({ name: z.string().min(1), sql: z.string().min(1), expect: z.string().min(1) });
const where = z.object({ source: z.string().min(1), database: z.string().min(1) });

/** Restore drills (issue 7): run one now, the history, the plan ahead, per-database status, stored probes. */
export const drillsRouter = router({
  run: procedure
    .input(z.object({
      setId: z.string().min(1).optional(), database: z.string().min(1).optional(), server: z.string().min(1).optional(),
      at: z.iso.datetime({ offset: true }).optional(), scratchServer: z.string().min(1).optional(), probes: z.array(probe).default([]), keys,
    }).refine((v) => v.setId !== undefined || v.database !== undefined, { message: 'give a setId or a database', path: ['setId'] }))
    .mutation(async ({ ctx, input }) => {
      const d = await drillsCore();
      const core = ctx.core;
      const k = keysOf(input.keys);
      await d.cleanupAbandonedDrills(core);
      return d.runDrill(core, {
        ...(input.setId ? { setId: input.setId } : {}), ...(input.database ? { database: input.database } : {}), ...(input.server ? { server: input.server } : {}),
        ...(input.at ? { at: new Date(input.at) } : {}), ...(input.scratchServer ? { scratchServer: input.scratchServer } : {}),
        probes: input.probes, ...(k ? { keys: k } : {}), trigger: 'manual',
      });
    }),
  list: procedure
    .input(z.object({ database: z.string().min(1).optional(), limit: z.number().int().min(0).max(10_000).default(30) }).default({ limit: 30 }))
    .query(async ({ ctx, input }) => {
      const d = await drillsCore();
      await d.cleanupAbandonedDrills(ctx.core);
      return ctx.core.catalog.drills.list({ ...(input.database ? { database: input.database } : {}), limit: input.limit });
    }),
  plan: procedure.input(z.object({ days: z.number().int().min(0).max(3660).default(30) }).default({ days: 30 })).query(async ({ ctx, input }) => {
    const d = await drillsCore();
    return d.planAhead(d.protectedDatabases(ctx.core), d.pastDrills(ctx.core), ctx.services.clock.now(), input.days).map((p) => ({ ...p, at: p.at.toISOString() }));
  }),
  status: procedure.query(async ({ ctx }) => {
    const d = await drillsCore();
    await d.cleanupAbandonedDrills(ctx.core);
    return d.drillSummaries(ctx.core);
  }),
  probes: router({
    list: procedure.input(where).query(async ({ ctx, input }) => {
      const d = await drillsCore();
      return d.storedProbes(ctx.core, ctx.core.catalog.sources.get(input.source).name, input.database);
    }),
    put: procedure.input(where.extend({ probe })).mutation(async ({ ctx, input }) => {
      const d = await drillsCore();
      return d.putProbe(ctx.core, input.source, input.database, input.probe);
    }),
    remove: procedure.input(where.extend({ name: z.string().min(1) })).mutation(async ({ ctx, input }) => {
      const d = await drillsCore();
      d.removeProbe(ctx.core, input.source, input.database, input.name);
      return { removed: input.name };
    }),
  }),
});
