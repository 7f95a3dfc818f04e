import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';

export interface RestoreRecord {
  id: string;
  runId: string | null;
  setId: string | null;
  sourceId: string | null;
  destination: string;
  mode: 'new' | 'overwrite' | 'drill';
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  safetySetId: string | null;
  overrideReason: string | null;
  requestedBy: string;
  detail: Record<string, unknown>;
}

interface Row { id: string; run_id: string | null; set_id: string | null; source_id: string | null; destination: string; mode: string; status: string; started_at: string; finished_at: string | null; duration_ms: number | null; safety_set_id: string | null; override_reason: string | null; requested_by: string; detail: string }

export class RestoresRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  begin(r: { runId: string; setId: string; sourceId: string; destination: string; mode: RestoreRecord['mode']; requestedBy: string; overrideReason?: string | null }): string {
    const id = newId('rst');
    this.#db.prepare('INSERT INTO restores (id, run_id, set_id, source_id, destination, mode, status, started_at, override_reason, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, r.runId, r.setId, r.sourceId, r.destination, r.mode, 'running', nowIso(), r.overrideReason ?? null, r.requestedBy);
    return id;
  }

  finish(id: string, r: { status: 'succeeded' | 'failed'; durationMs: number; safetySetId?: string | null; detail?: Record<string, unknown> }): void {
    this.#db.prepare('UPDATE restores SET status = ?, finished_at = ?, duration_ms = ?, safety_set_id = ?, detail = ? WHERE id = ?')
      .run(r.status, nowIso(), r.durationMs, r.safetySetId ?? null, toJson(r.detail ?? {}), id);
  }

  list(limit = 100): RestoreRecord[] {
    return (this.#db.prepare('SELECT * FROM restores ORDER BY started_at DESC LIMIT ?').all(limit) as Row[]).map(map);
  }

  get(id: string): RestoreRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM restores WHERE id = ?').get(id) as Row | undefined;
    return r ? map(r) : undefined;
  }
}

function map(r: Row): RestoreRecord {
  return {
    id: r.id, runId: r.run_id, setId: r.set_id, sourceId: r.source_id, destination: r.destination, mode: r.mode as RestoreRecord['mode'],
    status: r.status as RestoreRecord['status'], startedAt: r.started_at, finishedAt: r.finished_at, durationMs: r.duration_ms,
    safetySetId: r.safety_set_id, overrideReason: r.override_reason, requestedBy: r.requested_by, detail: fromJson(r.detail, {}),
  };
}
