import { z } from 'zod';
import { router, procedure } from '../trpc.ts';
import { databaseStatuses } from '../../core/objectives/database-status.ts';
import { parseSchedule, systemTimezone, toCron } from '../../core/scheduler/schedule-spec.ts';

export const statusRouter = router({
  /** Who answers: the agent or an in-process core; used by clients to check the connection. */
  agent: procedure.query(({ ctx }) => ({
    mode: ctx.services.mode, pid: process.pid, version: ctx.core.appVersion, site: ctx.core.site, startedAt: ctx.services.startedAt, home: ctx.core.home.root,
  })),
  /** One row per protected database: status word, live RPO against its objective, last and next run, copies. */
  dashboard: procedure.query(({ ctx }) => {
    const rows = databaseStatuses(ctx.core.catalog, ctx.services.clock.now(), (j) => ctx.services.nextRuns(j, 1));
    const worst = rows.some((r) => r.status === 'failing') ? 'red' : rows.some((r) => r.status === 'warning' || r.status === 'unprotected') ? 'amber' : 'green';
    return { tray: worst as 'red' | 'amber' | 'green', databases: rows, openAlerts: ctx.core.catalog.alerts.list({ status: 'open' }).length };
  }),
});

export const scheduleRouter = router({
  /** The next runs a schedule text gives, so a form can show them while the user types. */
  preview: procedure
    .input(z.object({ schedule: z.string().min(1), timezone: z.string().min(1).optional(), count: z.number().int().min(1).max(50).default(5), from: z.iso.datetime({ offset: true }).optional() }))
    .query(({ ctx, input }) => {
      const tz = input.timezone ?? ctx.core.catalog.getSetting('timezone') ?? systemTimezone();
      const s = parseSchedule(input.schedule, tz);
      return { cron: toCron(input.schedule), timezone: tz, next: s.next(input.from ? new Date(input.from) : ctx.services.clock.now(), input.count).map((d) => d.toISOString()) };
    }),
  /** What the scheduler did with each slot: ran, caught up, skipped (with why), deferred. */
  history: procedure
    .input(z.object({ job: z.string().min(1).optional(), limit: z.number().int().min(1).max(1000).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) => {
      const jobId = input.job ? ctx.core.catalog.jobs.get(input.job).id : undefined;
      return ctx.core.catalog.schedule.events({ ...(jobId ? { jobId } : {}), limit: input.limit });
    }),
});
