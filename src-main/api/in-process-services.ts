import type { CoreContext } from '../core/context.ts';
import type { ApiServices } from './api-context.ts';
import { runJob } from '../core/runner/run-job.ts';
import { systemClock } from '../core/scheduler/clock.ts';
import { parseSchedule, systemTimezone } from '../core/scheduler/schedule-spec.ts';
import { jobPolicy } from '../core/scheduler/job-policy.ts';
import { createAlertService } from '../core/alerts/create-alert-service.ts';

/** Services for a core opened in this process (no agent): runs execute here and now. */
export function inProcessServices(core: CoreContext): ApiServices {
  const clock = systemClock;
  const tz = () => core.catalog.getSetting('timezone') ?? systemTimezone();
  return {
    mode: 'in-process',
    startedAt: new Date().toISOString(),
    clock,
    alerts: createAlertService(core, clock),
    runJob: (job, opts) => runJob(core, job, { trigger: opts.trigger, ...(opts.databases ? { databases: opts.databases } : {}), ...(opts.type ? { type: opts.type } : {}) }),
    nextRuns(job, count) {
      if (!job.schedule || !job.enabled) return [];
      return parseSchedule(job.schedule, jobPolicy(job, tz()).timezone).next(clock.now(), count);
    },
    queue: () => ({ running: [], queued: [] }),
  };
}
