import type { Db } from './open-catalog.ts';
import { fromJson, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';

export interface VerificationRecord {
  id: string;
  setId: string;
  copyId: string | null;
  level: 1 | 2 | 3;
  result: 'passed' | 'failed';
  startedAt: string;
  finishedAt: string;
  triggeredBy: string;
  runId: string | null;
  detail: Record<string, unknown>;
}

interface Row { id: string; set_id: string; copy_id: string | null; level: number; result: string; started_at: string; finished_at: string; triggered_by: string; run_id: string | null; detail: string }

export class VerificationsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  add(v: Omit<VerificationRecord, 'id'>): VerificationRecord {
    const id = newId('ver');
    this.#db.prepare('INSERT INTO verifications (id, set_id, copy_id, level, result, started_at, finished_at, triggered_by, run_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, v.setId, v.copyId, v.level, v.result, v.startedAt, v.finishedAt, v.triggeredBy, v.runId, toJson(v.detail));
    return { id, ...v };
  }

  forSet(setId: string): VerificationRecord[] {
    return (this.#db.prepare('SELECT * FROM verifications WHERE set_id = ? ORDER BY finished_at, id').all(setId) as Row[]).map(map);
  }

  latest(setId: string, copyId: string | null, level: number): VerificationRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM verifications WHERE set_id = ? AND copy_id IS ? AND level = ? ORDER BY finished_at DESC, id DESC LIMIT 1').get(setId, copyId, level) as Row | undefined;
    return r ? map(r) : undefined;
  }

  /** The latest result of each check (per set, copy and level, as `latest` picks it) of one database's sets, in one query. */
  latestForDatabase(server: string, database: string): VerificationRecord[] {
    return (this.#db.prepare(`SELECT v.* FROM verifications v JOIN sets s ON s.id = v.set_id
      WHERE s.server = ? AND s.database_name = ? AND NOT EXISTS (
        SELECT 1 FROM verifications w WHERE w.set_id = v.set_id AND w.copy_id IS v.copy_id AND w.level = v.level
          AND (w.finished_at > v.finished_at OR (w.finished_at = v.finished_at AND w.id > v.id)))
      ORDER BY v.finished_at, v.id`).all(server, database) as Row[]).map(map);
  }
}

function map(r: Row): VerificationRecord {
  return { id: r.id, setId: r.set_id, copyId: r.copy_id, level: r.level as 1 | 2 | 3, result: r.result as 'passed' | 'failed', startedAt: r.started_at, finishedAt: r.finished_at, triggeredBy: r.triggered_by, runId: r.run_id, detail: fromJson(r.detail, {}) };
}
