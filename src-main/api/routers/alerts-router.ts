import { z } from 'zod';
import { router, procedure } from '../trpc.ts';

export const alertsRouter = router({
  list: procedure
    .input(z.object({ status: z.enum(['open', 'acknowledged', 'cleared', 'active']).optional(), limit: z.number().int().min(1).max(1000).default(200) }).default({ limit: 200 }))
    .query(({ ctx, input }) => ctx.core.catalog.alerts.list({ ...(input.status ? { status: input.status } : {}), limit: input.limit })),
  ack: procedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const a = await ctx.services.alerts.acknowledge(input.id, ctx.actor);
    ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'alert.ack', object: a.id, outcome: 'success', detail: { subject: a.subject } });
    return a;
  }),
});
