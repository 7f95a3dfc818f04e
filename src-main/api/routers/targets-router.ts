import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { publicConfig } from '../public-records.ts';
import { targetDriver, TARGET_DRIVERS } from '../../core/targets/registry.ts';
import { openTarget, parseConfig } from '../../core/open-drivers.ts';
import { registerSecret } from '../../core/util/redact.ts';
import { roundTripTarget } from '../../core/targets/round-trip-target.ts';
import { approveHostKey } from '../../core/targets/approve-host-key.ts';

const name = z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only');

export const targetsRouter = router({
  kinds: procedure.query(() => Object.values(TARGET_DRIVERS).map((d) => ({ kind: d.kind, describe: d.describe }))),
  list: procedure.query(({ ctx }) => ctx.core.catalog.targets.list().map(publicConfig)),
  get: procedure.input(z.object({ target: z.string().min(1) })).query(({ ctx, input }) => publicConfig(ctx.core.catalog.targets.get(input.target))),
  add: procedure
    .input(z.object({ name, kind: z.string().min(1), config: z.record(z.string(), z.unknown()), secret: z.string().min(1).optional() }))
    .mutation(({ ctx, input }) => {
      const config = parseConfig(targetDriver(input.kind).configSchema, { id: '', name: input.name, kind: input.kind, config: input.config, secret: null, createdAt: '', updatedAt: '' }, 'target');
      registerSecret(input.secret);
      const rec = ctx.core.catalog.targets.add({ name: input.name, kind: input.kind, config: config as Record<string, unknown>, secret: input.secret ? ctx.core.secrets.seal(input.secret) : null });
      ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'target.add', object: rec.name, outcome: 'success', detail: { kind: rec.kind, config: rec.config } });
      return publicConfig(rec);
    }),
  update: procedure
    .input(z.object({ target: z.string().min(1), config: z.record(z.string(), z.unknown()).optional(), secret: z.string().min(1).nullable().optional() }))
    .mutation(({ ctx, input }) => {
      const cur = ctx.core.catalog.targets.get(input.target);
      const config = input.config ? parseConfig(targetDriver(cur.kind).configSchema, { ...cur, config: input.config }, 'target') as Record<string, unknown> : undefined;
      registerSecret(input.secret);
      const rec = ctx.core.catalog.targets.update(cur.id, {
        ...(config ? { config } : {}),
        ...(input.secret !== undefined ? { secret: input.secret === null ? null : ctx.core.secrets.seal(input.secret) } : {}),
      });
      ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'target.update', object: rec.name, outcome: 'success' });
      return publicConfig(rec);
    }),
  remove: procedure.input(z.object({ target: z.string().min(1) })).mutation(({ ctx, input }) => {
    const cur = ctx.core.catalog.targets.get(input.target);
    ctx.core.catalog.targets.remove(cur.id);
    ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'target.remove', object: cur.name, outcome: 'success' });
    return { removed: cur.name };
  }),
  /** Writes, reads back, hashes and removes a probe object; free space and what the repository holds. */
  test: procedure.input(z.object({ target: z.string().min(1) })).mutation(({ ctx, input }) => roundTripTarget(ctx.core, input.target)),
  /** Pins the SSH host key the server presents; a changed key only with its fingerprint given. */
  approveKey: procedure
    .input(z.object({ target: z.string().min(1), fingerprint: z.string().min(1).optional() }))
    .mutation(({ ctx, input }) => approveHostKey(ctx.core, input.target, input.fingerprint)),
});
