import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { verifySets } from '../../core/verify/verify-set.ts';
import { selectSets } from '../../core/verify/set-summaries.ts';
import { restoreSet } from '../../core/restore/restore-set.ts';
import { registerSecret } from '../../core/util/redact.ts';

// Keys to read encrypted sets travel in the request body (never in a URL or argv) and are registered for redaction.
export const keys = z.object({ passphrase: z.string().min(1).optional(), identities: z.array(z.string().startsWith('AGE-SECRET-KEY-')).optional() }).optional();

export function keysOf(k: z.infer<typeof keys>) {
  if (!k) return undefined;
  registerSecret(k.passphrase);
  for (const i of k.identities ?? []) registerSecret(i);
  return { ...(k.passphrase ? { passphrase: k.passphrase } : {}), ...(k.identities ? { identities: k.identities } : {}) };
}

/** Verify and restore: the same core functions the CLI's verbs call. */
export const recoveryRouter = router({
  /** Verifies the sets named, or every set (`all`), or every set of a database. */
  verify: procedure
    .input(z.object({
      setIds: z.array(z.string().min(1)).optional(), all: z.boolean().optional(), database: z.string().min(1).optional(),
      engineLevel: z.boolean().default(true), trigger: z.enum(['api', 'manual']).default('api'), keys,
    }))
    .mutation(async ({ ctx, input }) => {
      const k = keysOf(input.keys);
      const core = ctx.core;
      const setIds = selectSets(core, { ...(input.setIds ? { setIds: input.setIds } : {}), ...(input.all ? { all: true } : {}), ...(input.database ? { database: input.database } : {}) });
      return verifySets(core, setIds, { engineLevel: input.engineLevel, trigger: input.trigger, ...(k ? { keys: k } : {}) });
    }),
  /** A restore; over the original (`overwrite` + `confirm`) it needs `signatureId` once the site has users. */
  restore: procedure
    .input(z.object({
      setId: z.string().min(1).optional(), database: z.string().min(1).optional(), at: z.iso.datetime({ offset: true }).optional(),
      sourceName: z.string().min(1).optional(), as: z.string().min(1).max(63).optional(), overwrite: z.boolean().optional(), confirm: z.boolean().optional(),
      overrideReason: z.string().min(1).nullable().optional(), preferTarget: z.string().min(1).optional(), jobs: z.number().int().min(1).max(16).optional(),
      noOwner: z.boolean().optional(), signatureId: z.string().min(1).nullable().optional(), keys,
    }).refine((v) => v.setId !== undefined || v.database !== undefined, { message: 'give a setId or a database', path: ['setId'] }))
    .mutation(async ({ ctx, input }) => {
      const k = keysOf(input.keys);
      const preferTargetId = input.preferTarget ? ctx.core.catalog.targets.get(input.preferTarget).id : undefined;
      return restoreSet(ctx.core, {
        ...(input.setId ? { setId: input.setId } : {}), ...(input.database ? { database: input.database } : {}), ...(input.at ? { at: new Date(input.at) } : {}),
        ...(input.sourceName ? { sourceName: input.sourceName } : {}), ...(input.as ? { as: input.as } : {}), ...(input.overwrite !== undefined ? { overwrite: input.overwrite } : {}),
        ...(input.confirm !== undefined ? { confirm: input.confirm } : {}), ...(input.overrideReason !== undefined ? { overrideReason: input.overrideReason } : {}),
        ...(preferTargetId ? { preferTargetId } : {}), ...(input.jobs ? { jobs: input.jobs } : {}), ...(input.noOwner !== undefined ? { noOwner: input.noOwner } : {}),
        ...(input.signatureId !== undefined ? { signatureId: input.signatureId } : {}), ...(k ? { keys: k } : {}), requestedBy: ctx.actor,
      });
    }),
});

/** The catalog itself: learn the sets a target's repository holds (after losing the workstation). */
export const catalogRouter = router({
  rebuild: procedure.input(z.object({ target: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const { rebuildCatalog } = await import('../../core/repo/rebuild-catalog.ts');
    return rebuildCatalog(ctx.core, input.target);
  }),
});
