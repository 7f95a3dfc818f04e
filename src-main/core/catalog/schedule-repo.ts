import type { Db } from './open-catalog.ts';
import { fromJson, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';

export interface ScheduleState {
  jobId: string;
  schedule: string;
  timezone: string;
  /** The newest slot the scheduler has handled (ran, caught up, skipped): slots after it are still to come. */
  lastSlot: string;
}

export type SlotOutcome = 'ran' | 'catch-up' | 'skipped' | 'deferred' | 'retry';

export interface ScheduleEvent {
  id: string;
  jobId: string | null;
  slotAt: string;
  recordedAt: string;
  outcome: SlotOutcome;
  trigger: string | null;
  missedSlots: number;
  runIds: string[];
  detail: Record<string, unknown>;
}

interface StateRow { job_id: string; schedule: string; timezone: string; last_slot: string }
interface EventRow { id: string; job_id: string | null; slot_at: string; recorded_at: string; outcome: string; trigger: string | null; missed_slots: number; run_ids: string; detail: string }

/** The scheduler's memory: where each job's schedule stands, and what happened to each slot. */
export class ScheduleRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  state(jobId: string): ScheduleState | undefined {
    const r = this.#db.prepare('SELECT * FROM schedule_state WHERE job_id = ?').get(jobId) as StateRow | undefined;
    return r ? { jobId: r.job_id, schedule: r.schedule, timezone: r.timezone, lastSlot: r.last_slot } : undefined;
  }

  saveState(s: ScheduleState, at: string): void {
    this.#db.prepare(`INSERT INTO schedule_state (job_id, schedule, timezone, last_slot, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(job_id) DO UPDATE SET schedule = excluded.schedule, timezone = excluded.timezone, last_slot = excluded.last_slot, updated_at = excluded.updated_at`)
      .run(s.jobId, s.schedule, s.timezone, s.lastSlot, at);
  }

  /** Forgets where a job's schedule stood (a disabled job): when it is enabled again it counts from then. */
  clearState(jobId: string): void {
    this.#db.prepare('DELETE FROM schedule_state WHERE job_id = ?').run(jobId);
  }

  record(e: Omit<ScheduleEvent, 'id' | 'runIds' | 'detail'> & { runIds?: string[]; detail?: Record<string, unknown> }): ScheduleEvent {
    const id = newId('slt');
    this.#db.prepare('INSERT INTO schedule_events (id, job_id, slot_at, recorded_at, outcome, trigger, missed_slots, run_ids, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, e.jobId, e.slotAt, e.recordedAt, e.outcome, e.trigger, e.missedSlots, toJson(e.runIds ?? []), toJson(e.detail ?? {}));
    return { id, runIds: e.runIds ?? [], detail: e.detail ?? {}, ...e };
  }

  setRunIds(eventId: string, runIds: string[]): void {
    this.#db.prepare('UPDATE schedule_events SET run_ids = ? WHERE id = ?').run(toJson(runIds), eventId);
  }

  events(filter: { jobId?: string; limit?: number } = {}): ScheduleEvent[] {
    const rows = filter.jobId
      ? this.#db.prepare('SELECT * FROM schedule_events WHERE job_id = ? ORDER BY slot_at DESC, recorded_at DESC LIMIT ?').all(filter.jobId, filter.limit ?? 500)
      : this.#db.prepare('SELECT * FROM schedule_events ORDER BY slot_at DESC, recorded_at DESC LIMIT ?').all(filter.limit ?? 500);
    return (rows as EventRow[]).map((r) => ({
      id: r.id, jobId: r.job_id, slotAt: r.slot_at, recordedAt: r.recorded_at, outcome: r.outcome as SlotOutcome, trigger: r.trigger,
      missedSlots: r.missed_slots, runIds: fromJson(r.run_ids, []), detail: fromJson(r.detail, {}),
    }));
  }
}
