import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export type DrillStatus = 'running' | 'succeeded' | 'failed';

/** One check of a drill, as recorded: what was checked, how it came out, and the evidence in words. */
export interface DrillCheck {
  kind: 'restore' | 'row-count' | 'integrity' | 'probe';
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
  expected?: string;
  actual?: string | number | null;
}

export interface DrillRecord {
  id: string;
  runId: string | null;
  setId: string | null;
  /** The database's identity: the source name its sets carry, and the database name. */
  server: string;
  database: string;
  scratchName: string;
  status: DrillStatus;
  startedAt: string;
  finishedAt: string | null;
  /** Measured restore time (restoreSet's duration): the RTO evidence. */
  restoreMs: number | null;
  /** Age of the restored set at drill time: the recovery point a real restore would have reached. */
  achievedRpoMs: number | null;
  checks: DrillCheck[];
  errorMessage: string | null;
  scratchDropped: boolean;
}

interface Row { id: string; run_id: string | null; set_id: string | null; database_name: string; server: string; scratch_name: string; status: string; started_at: string; finished_at: string | null; restore_ms: number | null; achieved_rpo_ms: number | null; checks: string; error_message: string | null; scratch_dropped: number }

/** The drills table (schema 1). A row is written 'running' before the scratch database exists, so a crash leaves its name behind. */
export class DrillsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  begin(d: { runId: string | null; setId: string | null; server: string; database: string; scratchName: string; startedAt?: string }): DrillRecord {
    const id = newId('drl');
    this.#db.prepare('INSERT INTO drills (id, run_id, set_id, database_name, server, scratch_name, status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, d.runId, d.setId, d.database, d.server, d.scratchName, 'running', d.startedAt ?? nowIso());
    return this.get(id);
  }

  setSet(id: string, setId: string): void {
    this.#db.prepare('UPDATE drills SET set_id = ? WHERE id = ?').run(setId, id);
  }

  finish(id: string, r: { status: 'succeeded' | 'failed'; restoreMs?: number | null; achievedRpoMs?: number | null; checks: DrillCheck[]; errorMessage?: string | null; finishedAt?: string }): void {
    this.#db.prepare('UPDATE drills SET status = ?, finished_at = ?, restore_ms = ?, achieved_rpo_ms = ?, checks = ?, error_message = ? WHERE id = ?')
      .run(r.status, r.finishedAt ?? nowIso(), r.restoreMs ?? null, r.achievedRpoMs ?? null, toJson(r.checks), r.errorMessage ?? null, id);
  }

  markScratchDropped(id: string): void {
    this.#db.prepare('UPDATE drills SET scratch_dropped = 1 WHERE id = ?').run(id);
  }

  running(): DrillRecord[] {
    return (this.#db.prepare("SELECT * FROM drills WHERE status = 'running' ORDER BY started_at").all() as Row[]).map(map);
  }

  /** Finished drills whose scratch database could not be dropped (server unreachable): cleanup retries them. */
  undropped(): DrillRecord[] {
    return (this.#db.prepare("SELECT * FROM drills WHERE status <> 'running' AND scratch_dropped = 0 ORDER BY started_at").all() as Row[]).map(map);
  }

  list(filter: { server?: string; database?: string; limit?: number } = {}): DrillRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.server) { where.push('server = ?'); args.push(filter.server); }
    if (filter.database) { where.push('database_name = ?'); args.push(filter.database); }
    const sql = `SELECT * FROM drills ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...args, filter.limit ?? 100) as Row[]).map(map);
  }

  get(id: string): DrillRecord {
    const r = this.#db.prepare('SELECT * FROM drills WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'drill', where: id, cause: 'no drill with that id' });
    return map(r);
  }
}

function map(r: Row): DrillRecord {
  return {
    id: r.id, runId: r.run_id, setId: r.set_id, server: r.server, database: r.database_name, scratchName: r.scratch_name,
    status: r.status as DrillStatus, startedAt: r.started_at, finishedAt: r.finished_at, restoreMs: r.restore_ms, achievedRpoMs: r.achieved_rpo_ms,
    checks: fromJson(r.checks, []), errorMessage: r.error_message, scratchDropped: r.scratch_dropped === 1,
  };
}
