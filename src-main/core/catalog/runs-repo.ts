import os from 'node:os';
import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';
import type { ErrorCode } from '../errors/codes.ts';

export type RunKind = 'backup' | 'verify' | 'restore' | 'drill' | 'prune' | 'rebuild';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'partial';

export interface RunPhase {
  phase: string;
  seq: number;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  bytes: number;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface RunRecord {
  id: string;
  kind: RunKind;
  jobId: string | null;
  databaseName: string | null;
  trigger: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  pid: number | null;
  host: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  detail: Record<string, unknown>;
  phases: RunPhase[];
}

interface Row { id: string; kind: string; job_id: string | null; database_name: string | null; trigger: string; status: string; started_at: string; finished_at: string | null; pid: number | null; host: string | null; error_code: string | null; error_message: string | null; detail: string }
interface PhaseRow { phase: string; seq: number; status: string; started_at: string; finished_at: string | null; bytes: number; error_code: string | null; error_message: string | null }

export class RunsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  begin(input: { kind: RunKind; jobId?: string | null; databaseName?: string | null; trigger: string; detail?: Record<string, unknown> }): string {
    const id = newId('run');
    this.#db.prepare('INSERT INTO runs (id, kind, job_id, database_name, trigger, status, started_at, pid, host, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.kind, input.jobId ?? null, input.databaseName ?? null, input.trigger, 'running', nowIso(), process.pid, os.hostname(), toJson(input.detail ?? {}));
    return id;
  }

  beginPhase(runId: string, phase: string): number {
    const seq = ((this.#db.prepare('SELECT max(seq) AS m FROM run_phases WHERE run_id = ?').get(runId) as { m: number | null }).m ?? 0) + 1;
    this.#db.prepare('INSERT INTO run_phases (run_id, phase, seq, status, started_at) VALUES (?, ?, ?, ?, ?)').run(runId, phase, seq, 'running', nowIso());
    return seq;
  }

  endPhase(runId: string, seq: number, result: { status: RunStatus; bytes?: number; errorCode?: ErrorCode; errorMessage?: string }): void {
    this.#db.prepare('UPDATE run_phases SET status = ?, finished_at = ?, bytes = ?, error_code = ?, error_message = ? WHERE run_id = ? AND seq = ?')
      .run(result.status, nowIso(), result.bytes ?? 0, result.errorCode ?? null, result.errorMessage ?? null, runId, seq);
  }

  mergeDetail(runId: string, detail: Record<string, unknown>): void {
    const cur = this.get(runId).detail;
    this.#db.prepare('UPDATE runs SET detail = ? WHERE id = ?').run(toJson({ ...cur, ...detail }), runId);
  }

  finish(runId: string, result: { status: RunStatus; errorCode?: string; errorMessage?: string }): void {
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE runs SET status = ?, finished_at = ?, error_code = ?, error_message = ? WHERE id = ?')
        .run(result.status, nowIso(), result.errorCode ?? null, result.errorMessage ?? null, runId);
      // A phase still open when its run ends did not complete.
      this.#db.prepare("UPDATE run_phases SET status = 'failed', finished_at = ? WHERE run_id = ? AND status = 'running'").run(nowIso(), runId);
    })();
  }

  /**
   * Runs left "running" by a process that no longer exists (kill -9, power loss) are marked failed with the
   * cause, so the history never shows a run that will not end. Returns the runs it closed.
   */
  recoverInterrupted(isAlive: (pid: number) => boolean = pidAlive): RunRecord[] {
    const host = os.hostname();
    const stale = (this.#db.prepare("SELECT * FROM runs WHERE status = 'running'").all() as Row[])
      .filter((r) => r.host !== host || r.pid === null || !isAlive(r.pid));
    for (const r of stale) {
      const where = r.host === host ? `process ${r.pid} ended` : `host ${r.host} lost it`;
      this.finish(r.id, { status: 'failed', errorCode: 'INTERRUPTED', errorMessage: `unable to complete ${r.kind} run '${r.id}': interrupted (${where} while the run was in progress)` });
    }
    return stale.map((r) => this.get(r.id));
  }

  running(): RunRecord[] {
    return (this.#db.prepare("SELECT * FROM runs WHERE status = 'running' ORDER BY started_at").all() as Row[]).map((r) => this.#map(r));
  }

  list(filter: { jobId?: string; kind?: RunKind; limit?: number } = {}): RunRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.jobId) { where.push('job_id = ?'); args.push(filter.jobId); }
    if (filter.kind) { where.push('kind = ?'); args.push(filter.kind); }
    const sql = `SELECT * FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY started_at DESC, id DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...args, filter.limit ?? 100) as Row[]).map((r) => this.#map(r));
  }

  get(id: string): RunRecord {
    const r = this.#db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'run', where: id, cause: 'no run with that id' });
    return this.#map(r);
  }

  #map(r: Row): RunRecord {
    const phases = (this.#db.prepare('SELECT * FROM run_phases WHERE run_id = ? ORDER BY seq').all(r.id) as PhaseRow[]).map((p) => ({
      phase: p.phase, seq: p.seq, status: p.status as RunStatus, startedAt: p.started_at, finishedAt: p.finished_at, bytes: p.bytes,
      errorCode: p.error_code, errorMessage: p.error_message,
    }));
    return {
      id: r.id, kind: r.kind as RunKind, jobId: r.job_id, databaseName: r.database_name, trigger: r.trigger, status: r.status as RunStatus,
      startedAt: r.started_at, finishedAt: r.finished_at, pid: r.pid, host: r.host, errorCode: r.error_code, errorMessage: r.error_message,
      detail: fromJson(r.detail, {}), phases,
    };
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
