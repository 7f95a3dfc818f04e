import type { JobRecord } from '../catalog/jobs-repo.ts';

export type MissedRunPolicy = 'run-once' | 'skip';

/** A span of local time in which heavy work must not start (production hours). days: 0 = Sunday; none = every day. */
export interface MaintenanceBlackout {
  days?: number[];
  from: string;
  to: string;
}

/** How the scheduler treats a job; read from jobs.options, with defaults for everything left out. */
export interface JobPolicy {
  timezone: string;
  missedRuns: MissedRunPolicy;
  blackouts: MaintenanceBlackout[];
  /** Lower runs first when several jobs wait for a free slot. */
  priority: number;
  retries: { max: number; baseSeconds: number };
  /** Heavy work obeys blackouts; log backups are light and keep the recovery point moving. */
  heavy: boolean;
}

const TYPE_PRIORITY: Record<string, number> = { log: 0, diff: 5, full: 10, 'copy-only': 10 };

export function jobPolicy(job: Pick<JobRecord, 'options' | 'backupType'>, defaultTimezone: string): JobPolicy {
  const o = job.options;
  const retries = (o.retries ?? {}) as { max?: unknown; baseSeconds?: unknown };
  return {
    timezone: typeof o.timezone === 'string' && o.timezone ? o.timezone : defaultTimezone,
    missedRuns: o.missedRuns === 'skip' ? 'skip' : 'run-once',
    blackouts: Array.isArray(o.blackouts) ? (o.blackouts as MaintenanceBlackout[]) : [],
    priority: typeof o.priority === 'number' ? o.priority : TYPE_PRIORITY[job.backupType] ?? 10,
    retries: {
      max: typeof retries.max === 'number' ? retries.max : 2,
      baseSeconds: typeof retries.baseSeconds === 'number' ? retries.baseSeconds : 60,
    },
    heavy: typeof o.heavy === 'boolean' ? o.heavy : job.backupType !== 'log',
  };
}

/** True when `at`, read as local time in `timezone`, falls inside one of the blackouts. */
export function inBlackout(at: Date, timezone: string, blackouts: ReadonlyArray<MaintenanceBlackout>): boolean {
  if (blackouts.length === 0) return false;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  return blackouts.some((b) => {
    const from = hhmm(b.from);
    const to = hhmm(b.to);
    // A window past midnight (22:00-06:00) belongs to the day it starts on.
    if (from <= to) return (!b.days || b.days.includes(day)) && minutes >= from && minutes < to;
    if (minutes >= from) return !b.days || b.days.includes(day);
    return minutes < to && (!b.days || b.days.includes((day + 6) % 7));
  });
}

function hhmm(v: string): number {
  const [h, m] = v.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
