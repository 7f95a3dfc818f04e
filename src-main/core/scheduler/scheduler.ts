import type { Catalog } from '../catalog/catalog.ts';
import type { BackupType, JobRecord } from '../catalog/jobs-repo.ts';
import type { SlotOutcome } from '../catalog/schedule-repo.ts';
import type { CoreEventBus } from '../events.ts';
import type { Logger } from '../util/logger.ts';
import type { BackupResult } from '../runner/run-backup.ts';
import type { Clock } from './clock.ts';
import { ERROR_CODES, isErrorCode } from '../errors/codes.ts';
import { causeOf, isLifeboatError, LifeboatError } from '../errors/lifeboat-error.ts';
import { nullLogger } from '../util/logger.ts';
import { parseSchedule } from './schedule-spec.ts';
import { inBlackout, jobPolicy, type JobPolicy } from './job-policy.ts';

/** What the scheduler calls to do a job's work: the agent passes runJob; tests pass their own. */
export type Executor = (req: { job: JobRecord; trigger: string; databases?: string[]; type?: BackupType; signal: AbortSignal }) => Promise<BackupResult[]>;

export interface SchedulerOptions {
  catalog: Catalog;
  clock: Clock;
  execute: Executor;
  events?: CoreEventBus;
  logger?: Logger;
  /** How many jobs may run at once, across all jobs. */
  maxConcurrent: number;
  defaultTimezone: string;
  /** A slot found later than this after its time counts as missed (downtime), not as on time. */
  lateAfterMs?: number;
}

interface QueueItem {
  job: JobRecord;
  policy: JobPolicy;
  trigger: string;
  databases?: string[];
  type?: BackupType;
  attempt: number;
  notBefore: number;
  enqueuedAt: number;
  slotEventId: string | null;
  deferredRecorded: boolean;
  waiters: { resolve: (r: BackupResult[]) => void; reject: (e: unknown) => void }[];
}

interface Running {
  item: QueueItem;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Decides when each job runs. Every tick compares each job's slots (croner, in the job's time zone) with
 * the last slot it handled, kept in the catalog, so downtime is noticed and recorded after a restart.
 * Work goes through one queue: a job never overlaps itself, at most `maxConcurrent` run at once, lower
 * priority numbers (log backups) go first, heavy work waits out maintenance blackouts, and failures the
 * error table calls retryable come back with exponential backoff.
 */
export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #lateAfterMs: number;
  #queue: QueueItem[] = [];
  readonly #running = new Map<string, Running>();
  #stopped = false;
  readonly #badSchedules = new Set<string>();

  constructor(opts: SchedulerOptions) {
    this.#o = opts;
    this.#lateAfterMs = opts.lateAfterMs ?? 90_000;
  }

  get maxConcurrent(): number {
    return this.#o.maxConcurrent;
  }

  set maxConcurrent(n: number) {
    this.#o.maxConcurrent = Math.max(1, n);
    this.#dispatch();
  }

  /** Looks at every scheduled job once, queues what is due and starts what may start. */
  tick(): void {
    if (this.#stopped) return;
    const now = this.#o.clock.now();
    for (const job of this.#o.catalog.jobs.list()) {
      if (!job.enabled || !job.schedule) {
        // Slots of a disabled job were never promised: no catch-up or missed-run alert once it is enabled.
        if (this.#o.catalog.schedule.state(job.id)) this.#o.catalog.schedule.clearState(job.id);
        continue;
      }
      try {
        this.#checkJob(job, now);
      } catch (err) {
        const key = `${job.id}:${job.schedule}`;
        if (!this.#badSchedules.has(key)) {
          this.#badSchedules.add(key);
          this.#log('error', causeOf(err), { jobId: job.id });
        }
      }
    }
    this.#dispatch();
  }

  /** The next `count` slots of a job, in its time zone (empty for a job without a schedule). */
  nextRuns(job: JobRecord, count: number, from: Date = this.#o.clock.now()): Date[] {
    if (!job.schedule || !job.enabled) return [];
    const p = jobPolicy(job, this.#o.defaultTimezone);
    return parseSchedule(job.schedule, p.timezone).next(from, count);
  }

  /** Runs a job now through the same queue (no overlap, same concurrency limit); resolves with its results. */
  runNow(jobIdOrName: string, opts: { trigger?: string; databases?: string[]; type?: BackupType } = {}): Promise<BackupResult[]> {
    if (this.#stopped) return Promise.reject(stopping());
    const job = this.#o.catalog.jobs.get(jobIdOrName);
    return new Promise((resolve, reject) => {
      const item = this.#enqueue(job, opts.trigger ?? 'manual', { ...(opts.databases ? { databases: opts.databases } : {}), ...(opts.type ? { type: opts.type } : {}) });
      item.waiters.push({ resolve, reject });
      this.#dispatch();
    });
  }

  /** Jobs running now, and those waiting (for a slot, a blackout's end, a retry). */
  snapshot(): { running: { jobId: string; trigger: string }[]; queued: { jobId: string; trigger: string; notBefore: string }[] } {
    return {
      running: [...this.#running.values()].map((r) => ({ jobId: r.item.job.id, trigger: r.item.trigger })),
      queued: this.#queue.map((q) => ({ jobId: q.job.id, trigger: q.trigger, notBefore: new Date(q.notBefore).toISOString() })),
    };
  }

  /** Resolves once nothing runs (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  /**
   * Stops taking work; running jobs get `graceMs` to finish, then are aborted and awaited, so each run ends
   * failed with its cause instead of being left "running".
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    for (const q of this.#queue) for (const w of q.waiters) w.reject(stopping());
    this.#queue = [];
    if (this.#running.size === 0) return;
    const all = Promise.all([...this.#running.values()].map((r) => r.done));
    const timer = new AbortController();
    await Promise.race([all, this.#o.clock.sleep(graceMs, timer.signal)]);
    timer.abort();
    if (this.#running.size === 0) return;
    for (const r of this.#running.values()) r.controller.abort(stopping());
    await all;
  }

  #checkJob(job: JobRecord, now: Date): void {
    const policy = jobPolicy(job, this.#o.defaultTimezone);
    const schedule = parseSchedule(job.schedule!, policy.timezone);
    const repo = this.#o.catalog.schedule;
    const state = repo.state(job.id);
    const at = now.toISOString();
    // A job the scheduler has not seen (or whose schedule changed) starts counting from now: slots before
    // it knew the schedule were never promised.
    if (!state || state.schedule !== job.schedule || state.timezone !== policy.timezone) {
      repo.saveState({ jobId: job.id, schedule: job.schedule!, timezone: policy.timezone, lastSlot: at }, at);
      return;
    }
    const slots = schedule.between(new Date(state.lastSlot), now, MAX_SLOTS);
    if (slots.length === 0) return;
    const newest = slots[slots.length - 1]!;
    // A very long downtime of a very frequent job is cut at MAX_SLOTS: the rest are covered by the same record.
    repo.saveState({ ...state, lastSlot: slots.length >= MAX_SLOTS ? at : newest.toISOString() }, at);
    // Slots all within the late margin are a slow tick (a busy machine), not downtime: one run covers them.
    const onTime = now.getTime() - slots[0]!.getTime() <= this.#lateAfterMs;
    const pending = this.#queue.find((q) => q.job.id === job.id && (q.trigger === 'schedule' || q.trigger === 'catch-up'));
    if (pending) {
      // The previous slot still waits (a long run, a blackout): one queued run covers both.
      this.#record(job.id, newest, 'skipped', null, slots.length, { reason: OVERLAP });
      return;
    }
    if (onTime) {
      const ev = this.#record(job.id, newest, 'ran', 'schedule', 0, slots.length > 1 ? { coalescedSlots: slots.length } : {});
      this.#enqueue(job, 'schedule', { slotEventId: ev });
      return;
    }
    if (policy.missedRuns === 'skip') {
      this.#record(job.id, newest, 'skipped', null, slots.length, { reason: 'missed while the agent was not running', firstMissed: slots[0]!.toISOString() });
      return;
    }
    const ev = this.#record(job.id, newest, 'catch-up', 'catch-up', slots.length, { firstMissed: slots[0]!.toISOString() });
    this.#enqueue(job, 'catch-up', { slotEventId: ev });
  }

  #record(jobId: string, slot: Date, outcome: SlotOutcome, trigger: string | null, missedSlots: number, detail: Record<string, unknown> = {}): string {
    const e = this.#o.catalog.schedule.record({ jobId, slotAt: slot.toISOString(), recordedAt: this.#o.clock.now().toISOString(), outcome, trigger, missedSlots, detail });
    const reason = detail.reason === OVERLAP ? 'overlap' : outcome === 'deferred' ? 'blackout' : missedSlots ? 'downtime' : undefined;
    this.#o.events?.emitEvent('schedule.slot', { jobId, slotAt: e.slotAt, outcome, runIds: [], ...(missedSlots ? { missedSlots } : {}), ...(reason ? { reason } : {}) });
    return e.id;
  }

  #enqueue(job: JobRecord, trigger: string, extra: { databases?: string[]; type?: BackupType; slotEventId?: string; attempt?: number; notBefore?: number }): QueueItem {
    const now = this.#o.clock.now().getTime();
    const item: QueueItem = {
      job, policy: jobPolicy(job, this.#o.defaultTimezone), trigger, attempt: extra.attempt ?? 0, notBefore: extra.notBefore ?? now, enqueuedAt: now,
      slotEventId: extra.slotEventId ?? null, deferredRecorded: false, waiters: [], ...(extra.databases ? { databases: extra.databases } : {}), ...(extra.type ? { type: extra.type } : {}),
    };
    this.#queue.push(item);
    return item;
  }

  #dispatch(): void {
    if (this.#stopped) return;
    const now = this.#o.clock.now();
    const ready = this.#queue
      .filter((q) => q.notBefore <= now.getTime())
      .sort((a, b) => a.policy.priority - b.policy.priority || a.enqueuedAt - b.enqueuedAt);
    for (const item of ready) {
      if (this.#running.size >= this.#o.maxConcurrent) break;
      if (this.#running.has(item.job.id)) continue;
      // Manual runs are someone's explicit decision; blackouts hold back only unattended heavy work.
      if (item.policy.heavy && item.trigger !== 'manual' && inBlackout(now, item.policy.timezone, item.policy.blackouts)) {
        if (!item.deferredRecorded) {
          item.deferredRecorded = true;
          this.#record(item.job.id, now, 'deferred', item.trigger, 0, { reason: 'inside a maintenance blackout' });
        }
        continue;
      }
      this.#queue = this.#queue.filter((q) => q !== item);
      this.#start(item);
    }
  }

  #start(item: QueueItem): void {
    const controller = new AbortController();
    const run: Running = { item, controller, done: Promise.resolve() };
    this.#running.set(item.job.id, run);
    run.done = (async () => {
      let results: BackupResult[] = [];
      let thrown: unknown = null;
      try {
        const job = this.#o.catalog.jobs.get(item.job.id);
        results = await this.#o.execute({ job, trigger: item.trigger, signal: controller.signal, ...(item.databases ? { databases: item.databases } : {}), ...(item.type ? { type: item.type } : {}) });
      } catch (err) {
        thrown = err;
        this.#log('error', causeOf(err), { jobId: item.job.id, trigger: item.trigger });
      }
      this.#running.delete(item.job.id);
      if (item.slotEventId) this.#o.catalog.schedule.setRunIds(item.slotEventId, results.map((r) => r.runId));
      this.#maybeRetry(item, results, thrown);
      for (const w of item.waiters) thrown ? w.reject(thrown) : w.resolve(results);
      this.#dispatch();
    })();
  }

  #maybeRetry(item: QueueItem, results: BackupResult[], thrown: unknown): void {
    if (this.#stopped || item.attempt >= item.policy.retries.max) return;
    const retryable = (code: string | undefined) => code !== undefined && isErrorCode(code) && ERROR_CODES[code].retryable && code !== 'INTERRUPTED';
    let databases: string[] | undefined;
    if (thrown) {
      if (!isLifeboatError(thrown) || !retryable(thrown.code)) return;
      databases = item.databases;
    } else {
      const failed = results.filter((r) => r.status === 'failed' && retryable(r.error?.code));
      if (failed.length === 0) return;
      databases = failed.map((r) => r.database);
    }
    const delay = item.policy.retries.baseSeconds * 1000 * 2 ** item.attempt;
    this.#enqueue(item.job, 'retry', { attempt: item.attempt + 1, notBefore: this.#o.clock.now().getTime() + delay, ...(databases ? { databases } : {}), ...(item.type ? { type: item.type } : {}) });
  }

  #log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    (this.#o.logger ?? nullLogger).log(level, msg, fields);
  }
}

const OVERLAP = 'the previous run of this job has not started yet';
const MAX_SLOTS = 10_000;

function stopping(): LifeboatError {
  return new LifeboatError('INTERRUPTED', { verb: 'run', thing: 'job', cause: 'the agent is shutting down' });
}
