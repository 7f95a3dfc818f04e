import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { ejectAndRecord, initAndRegisterDisk, mediaRegister } from '../../core/targets/usb/media-register.ts';
import { pruneTargets } from '../../core/retention/prune-targets.ts';

/** Removable disks of rotation sets (issue 3): initialise one, eject one, the register. */
export const mediaRouter = router({
  list: procedure.query(({ ctx }) => mediaRegister(ctx.core)),
  initDisk: procedure
    .input(z.object({ set: z.string().min(1), mount: z.string().min(1), label: z.string().min(1) }))
    .mutation(({ ctx, input }) => initAndRegisterDisk(ctx.core, input)),
  eject: procedure.input(z.object({ target: z.string().min(1) })).mutation(({ ctx, input }) => ejectAndRecord(ctx.core, input.target)),
});

/** Retention: apply a job's (or a target's) policy, or only list what it would remove. */
export const retentionRouter = router({
  prune: procedure
    .input(z.object({ job: z.string().min(1).optional(), target: z.string().min(1).optional(), dryRun: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => pruneTargets(ctx.core, {
      ...(input.job ? { job: input.job } : {}), ...(input.target ? { target: input.target } : {}), dryRun: input.dryRun,
    })),
});
