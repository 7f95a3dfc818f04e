import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { publicConfig } from '../public-records.ts';
import { engineDriver, ENGINE_DRIVERS } from '../../core/engines/registry.ts';
import { openEngine, parseConfig } from '../../core/open-drivers.ts';
import { registerSecret } from '../../core/util/redact.ts';

const name = z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only');

export const sourcesRouter = router({
  kinds: procedure.query(() => Object.values(ENGINE_DRIVERS).map((d) => ({ kind: d.kind, describe: d.describe, capabilities: d.capabilities }))),
  list: procedure.query(({ ctx }) => ctx.core.catalog.sources.list().map(publicConfig)),
  get: procedure.input(z.object({ source: z.string().min(1) })).query(({ ctx, input }) => publicConfig(ctx.core.catalog.sources.get(input.source))),
  add: procedure
    .input(z.object({ name, kind: z.string().min(1), config: z.record(z.string(), z.unknown()), password: z.string().min(1).optional() }))
    .mutation(({ ctx, input }) => {
      const driver = engineDriver(input.kind);
      const config = parseConfig(driver.configSchema, { id: '', name: input.name, kind: input.kind, config: input.config, secret: null, createdAt: '', updatedAt: '' }, 'source');
      registerSecret(input.password);
      const rec = ctx.core.catalog.sources.add({ name: input.name, kind: input.kind, config: config as Record<string, unknown>, secret: input.password ? ctx.core.secrets.seal(input.password) : null });
      ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'source.add', object: rec.name, outcome: 'success', detail: { kind: rec.kind, config: rec.config } });
      return publicConfig(rec);
    }),
  update: procedure
    .input(z.object({ source: z.string().min(1), config: z.record(z.string(), z.unknown()).optional(), password: z.string().min(1).nullable().optional() }))
    .mutation(({ ctx, input }) => {
      const cur = ctx.core.catalog.sources.get(input.source);
      const config = input.config ? parseConfig(engineDriver(cur.kind).configSchema, { ...cur, config: input.config }, 'source') as Record<string, unknown> : undefined;
      registerSecret(input.password);
      const rec = ctx.core.catalog.sources.update(cur.id, {
        ...(config ? { config } : {}),
        ...(input.password !== undefined ? { secret: input.password === null ? null : ctx.core.secrets.seal(input.password) } : {}),
      });
      ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'source.update', object: rec.name, outcome: 'success' });
      return publicConfig(rec);
    }),
  remove: procedure.input(z.object({ source: z.string().min(1) })).mutation(({ ctx, input }) => {
    const cur = ctx.core.catalog.sources.get(input.source);
    ctx.core.catalog.sources.remove(cur.id);
    ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'source.remove', object: cur.name, outcome: 'success' });
    return { removed: cur.name };
  }),
  /** Connects and probes: version, databases and sizes, so a form can offer the databases to pick. */
  test: procedure.input(z.object({ source: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const engine = openEngine(ctx.core, ctx.core.catalog.sources.get(input.source));
    try { return await engine.probe(); } finally { await engine.close().catch(() => undefined); }
  }),
});
