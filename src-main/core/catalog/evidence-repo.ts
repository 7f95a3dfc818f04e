import type { Db } from './open-catalog.ts';
import { fromJson } from './json-column.ts';

export interface RunEvidence { id: string; kind: string; jobId: string | null; database: string | null; trigger: string; status: string; startedAt: string; finishedAt: string | null; errorCode: string | null; errorMessage: string | null; setId: string | null }
export interface DrillEvidence { id: string; runId: string | null; setId: string | null; database: string; server: string; scratchName: string; status: string; startedAt: string; finishedAt: string | null; restoreMs: number | null; achievedRpoMs: number | null; checks: unknown[]; errorMessage: string | null }
export interface AlertEvidence { id: string; rule: string; causeKey: string; severity: string; subject: string; message: string; status: string; firstAt: string; lastAt: string; ackBy: string | null; ackAt: string | null; clearedAt: string | null; detail: Record<string, unknown> }
export interface ObjectiveEvidence { server: string; database: string; rpoSeconds: number | null; rtoSeconds: number | null }
export interface GenericTable { table: string; columns: string[]; rows: Record<string, unknown>[] }

const SECRET_COLUMN = /secret|pass|token|key|identity/i;

/**
 * Read-only queries for reports over tables that other parts of Lifeboat own (drills, alerts, objectives,
 * the media register). Tables added by later migrations are read only if present, so a report never
 * fails because a feature is not installed.
 */
export class EvidenceRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  hasTable(name: string): boolean {
    return this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }

  columns(table: string): string[] {
    return (this.#db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);
  }

  runs(from: string, to: string, kind = 'backup'): RunEvidence[] {
    const rows = this.#db.prepare(`SELECT r.*, (SELECT s.id FROM sets s WHERE s.run_id = r.id LIMIT 1) AS set_id FROM runs r
      WHERE r.kind = ? AND r.started_at >= ? AND r.started_at <= ? ORDER BY r.started_at, r.id`).all(kind, from, to) as Record<string, string | null>[];
    return rows.map((r) => ({ id: r.id!, kind: r.kind!, jobId: r.job_id ?? null, database: r.database_name ?? null, trigger: r.trigger!, status: r.status!, startedAt: r.started_at!, finishedAt: r.finished_at ?? null, errorCode: r.error_code ?? null, errorMessage: r.error_message ?? null, setId: r.set_id ?? null }));
  }

  /** The first successful run of the same job and database after a failure: its resolution. */
  nextSuccess(jobId: string | null, database: string | null, after: string): RunEvidence | undefined {
    const r = this.#db.prepare(`SELECT * FROM runs WHERE kind = 'backup' AND status = 'succeeded' AND job_id IS ? AND database_name IS ? AND started_at > ? ORDER BY started_at LIMIT 1`)
      .get(jobId, database, after) as Record<string, string | null> | undefined;
    return r ? { id: r.id!, kind: r.kind!, jobId: r.job_id ?? null, database: r.database_name ?? null, trigger: r.trigger!, status: r.status!, startedAt: r.started_at!, finishedAt: r.finished_at ?? null, errorCode: null, errorMessage: null, setId: null } : undefined;
  }

  drills(from: string, to: string): DrillEvidence[] {
    const rows = this.#db.prepare('SELECT * FROM drills WHERE started_at >= ? AND started_at <= ? ORDER BY started_at, id').all(from, to) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string, runId: (r.run_id as string) ?? null, setId: (r.set_id as string) ?? null, database: r.database_name as string, server: r.server as string,
      scratchName: r.scratch_name as string, status: r.status as string, startedAt: r.started_at as string, finishedAt: (r.finished_at as string) ?? null,
      restoreMs: (r.restore_ms as number) ?? null, achievedRpoMs: (r.achieved_rpo_ms as number) ?? null, checks: fromJson(r.checks as string, []), errorMessage: (r.error_message as string) ?? null,
    }));
  }

  alerts(): AlertEvidence[] {
    const hasDetail = this.columns('alerts').includes('detail');
    const rows = this.#db.prepare('SELECT * FROM alerts ORDER BY first_at').all() as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string, rule: r.rule as string, causeKey: r.cause_key as string, severity: r.severity as string, subject: r.subject as string, message: r.message as string,
      status: r.status as string, firstAt: r.first_at as string, lastAt: r.last_at as string, ackBy: (r.ack_by as string) ?? null, ackAt: (r.ack_at as string) ?? null,
      clearedAt: (r.cleared_at as string) ?? null, detail: hasDetail ? fromJson(r.detail as string, {}) : {},
    }));
  }

  objectives(): ObjectiveEvidence[] {
    if (!this.hasTable('objectives')) return [];
    const cols = this.columns('objectives');
    if (!['server', 'database_name', 'rpo_seconds', 'rto_seconds'].every((c) => cols.includes(c))) return [];
    return (this.#db.prepare('SELECT server, database_name, rpo_seconds, rto_seconds FROM objectives').all() as { server: string; database_name: string; rpo_seconds: number | null; rto_seconds: number | null }[])
      .map((o) => ({ server: o.server, database: o.database_name, rpoSeconds: o.rpo_seconds, rtoSeconds: o.rto_seconds }));
  }

  /** Tables of the removable-media register and its custody log, whatever their exact names. */
  mediaTables(): GenericTable[] {
    const names = (this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE '%media%' OR name LIKE '%custody%' OR name LIKE 'usb%') ORDER BY name").all() as { name: string }[]).map((n) => n.name);
    return names.map((table) => {
      const columns = this.columns(table).filter((c) => !SECRET_COLUMN.test(c));
      const rows = this.#db.prepare(`SELECT ${columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ')} FROM "${table.replace(/"/g, '""')}" LIMIT 5000`).all() as Record<string, unknown>[];
      return { table, columns, rows };
    });
  }

  settings(prefix: string): Record<string, string> {
    const rows = this.#db.prepare('SELECT key, value FROM settings WHERE key LIKE ?').all(`${prefix.replace(/[%_]/g, '')}%`) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
