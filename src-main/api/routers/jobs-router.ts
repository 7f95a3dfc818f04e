import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { publicJob } from '../public-records.ts';
import { parseSchedule, systemTimezone } from '../../core/scheduler/schedule-spec.ts';
import { jobPolicy } from '../../core/scheduler/job-policy.ts';
import { registerSecret } from '../../core/util/redact.ts';
import type { ApiContext } from '../api-context.ts';
import { addJob } from '../../core/setup/add-job.ts';

const name = z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

/** Scheduling and run options a job may carry besides the backup options. */
const jobOptions = z.object({
  compressionLevel: z.number().int().min(1).max(19).optional(),
  encryption: z.enum(['none', 'passphrase', 'recipients']).optional(),
  recipients: z.array(z.string().startsWith('age1')).optional(),
  includeGlobals: z.boolean().optional(),
  includeRolePasswords: z.boolean().optional(),
  probeTables: z.number().int().min(0).max(100).optional(),
  retention: z.record(z.string(), z.unknown()).optional(),
  timezone: z.string().min(1).optional(),
  missedRuns: z.enum(['run-once', 'skip']).optional(),
  blackouts: z.array(z.object({ days: z.array(z.number().int().min(0).max(6)).optional(), from: hhmm, to: hhmm })).optional(),
  priority: z.number().int().min(0).max(100).optional(),
  retries: z.object({ max: z.number().int().min(0).max(10), baseSeconds: z.number().int().min(1).max(86_400) }).optional(),
  heavy: z.boolean().optional(),
}).strict();

const backupType = z.enum(['full', 'diff', 'log', 'copy-only']);

function checkSchedule(ctx: ApiContext, schedule: string | null | undefined, options: { timezone?: string | undefined } | undefined): void {
  if (schedule) parseSchedule(schedule, options?.timezone ?? ctx.core.catalog.getSetting('timezone') ?? systemTimezone());
}

export const jobsRouter = router({
  list: procedure.query(({ ctx }) => ctx.core.catalog.jobs.list().map((j) => publicJob(j, safeNext(ctx, j)))),
  get: procedure.input(z.object({ job: z.string().min(1) })).query(({ ctx, input }) => {
    const j = ctx.core.catalog.jobs.get(input.job);
    return { ...publicJob(j, safeNext(ctx, j, 10)), policy: jobPolicy(j, ctx.core.catalog.getSetting('timezone') ?? systemTimezone()) };
  }),
  add: procedure
    .input(z.object({
      name, source: z.string().min(1), databases: z.array(z.string().min(1)).min(1), targets: z.array(z.string().min(1)).min(1),
      backupType: backupType.optional(), schedule: z.string().min(1).nullable().optional(), options: jobOptions.optional(),
      /** Further options without a field of their own (the CLI's --option key=value), e.g. scryptLogN. */
      extraOptions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      passphrase: z.string().min(8).optional(),
    }))
    .mutation(({ ctx, input }) => {
      checkSchedule(ctx, input.schedule, input.options);
      const { job, source, targets } = addJob(ctx.core, {
        name: input.name, source: input.source, databases: input.databases, targets: input.targets, ...(input.backupType ? { backupType: input.backupType } : {}),
        schedule: input.schedule ?? null, options: { ...input.extraOptions, ...dropUndefined(input.options ?? {}) }, passphrase: input.passphrase ?? null,
      });
      return { ...publicJob(job, safeNext(ctx, job)), source, targets };
    }),
  update: procedure
    .input(z.object({
      job: z.string().min(1), databases: z.array(z.string().min(1)).min(1).optional(), targets: z.array(z.string().min(1)).min(1).optional(),
      backupType: backupType.optional(), schedule: z.string().min(1).nullable().optional(), options: jobOptions.optional(), enabled: z.boolean().optional(),
      passphrase: z.string().min(8).nullable().optional(),
    }))
    .mutation(({ ctx, input }) => {
      const cur = ctx.core.catalog.jobs.get(input.job);
      // The schedule and its time zone are checked together, whichever of them changed.
      checkSchedule(ctx, input.schedule !== undefined ? input.schedule : cur.schedule, { ...cur.options, ...input.options } as { timezone?: string });
      registerSecret(input.passphrase);
      const job = ctx.core.catalog.jobs.update(cur.id, {
        ...(input.databases ? { databases: input.databases } : {}),
        ...(input.targets ? { targetIds: input.targets.map((t) => ctx.core.catalog.targets.get(t).id) } : {}),
        ...(input.backupType ? { backupType: input.backupType } : {}),
        ...(input.schedule !== undefined ? { schedule: input.schedule } : {}),
        ...(input.options ? { options: dropUndefined(input.options) } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.passphrase !== undefined ? { secret: input.passphrase === null ? null : ctx.core.secrets.seal(input.passphrase) } : {}),
      });
      ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'job.update', object: job.name, outcome: 'success' });
      return publicJob(job, safeNext(ctx, job));
    }),
  remove: procedure.input(z.object({ job: z.string().min(1) })).mutation(({ ctx, input }) => {
    const cur = ctx.core.catalog.jobs.get(input.job);
    ctx.core.catalog.jobs.remove(cur.id);
    ctx.core.catalog.audit.append({ actor: ctx.actor, action: 'job.remove', object: cur.name, outcome: 'success' });
    return { removed: cur.name };
  }),
  /**
   * Runs a job now; with an agent, the run waits its turn in the agent's queue. By default it answers when
   * the run is done; `wait: false` (the window's "Run now") answers once queued, and progress comes over
   * events.runs. In-process there is nobody to finish the work later, so it always waits.
   */
  run: procedure
    .input(z.object({ job: z.string().min(1), databases: z.array(z.string().min(1)).optional(), type: backupType.optional(), wait: z.boolean().default(true) }))
    .mutation(async ({ ctx, input }) => {
      const job = ctx.core.catalog.jobs.get(input.job);
      const running = ctx.services.runJob(job.id, { trigger: 'manual', ...(input.databases ? { databases: input.databases } : {}), ...(input.type ? { type: input.type } : {}) });
      if (!input.wait && ctx.services.mode === 'agent') {
        // The outcome is recorded as a run and announced as events; a failure here has nowhere else to go.
        running.catch((err: unknown) => ctx.core.logger.log('error', `manual run of job '${job.name}' failed to start: ${(err as Error).message}`));
        return { job: job.name, queued: true, results: [] };
      }
      return { job: job.name, queued: false, results: await running };
    }),
  queue: procedure.query(({ ctx }) => ctx.services.queue()),
});

function safeNext(ctx: ApiContext, job: Parameters<ApiContext['services']['nextRuns']>[0], n = 3): Date[] {
  try { return ctx.services.nextRuns(job, n); } catch { return []; }
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
