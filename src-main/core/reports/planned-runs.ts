import type { JobRecord } from '../catalog/jobs-repo.ts';
import { parseSchedule, systemTimezone } from '../scheduler/schedule-spec.ts';
import { jobPolicy } from '../scheduler/job-policy.ts';

/**
 * How many times a job was due within [from, to], read with the scheduler's own parser and time zone so the
 * report counts exactly the slots the scheduler would have run. null when the schedule does not parse.
 */
export function plannedRuns(job: Pick<JobRecord, 'schedule' | 'enabled' | 'options' | 'backupType'>, from: Date, to: Date): number | null {
  if (!job.schedule || !job.enabled || to <= from) return 0;
  try {
    const schedule = parseSchedule(job.schedule, jobPolicy(job, systemTimezone()).timezone);
    // between() is exclusive of its start: step back one millisecond so a slot exactly at `from` counts.
    return schedule.between(new Date(from.getTime() - 1), to, 1_000_000).length;
  } catch {
    return null;
  }
}
