import { LifeboatError, isLifeboatError } from '../../errors/lifeboat-error.ts';
import type { Probe } from '../../repo/manifest.ts';
import type {
  ArtifactSink, BackupOutcome, BackupRequest, DatabaseEngine, EngineCapabilities, EngineCheckResult, EngineRestoreRequest, EngineRestoreResult,
  EngineVerifyRequest, EngineVerifyResult, PlannableSet, ProbeResult, RestorePlan,
} from '../engine.ts';
import type { MssqlConfig } from './mssql-config.ts';
import { MssqlSession } from './mssql-session.ts';
import { countRowsStatement, dropDatabaseStatement, multiUserStatement, probeQueryStatement, renameDatabaseStatement, singleUserStatement } from './backup-statements.ts';
import { chooseBackupType, type TypeDecision } from './choose-backup-type.ts';
import { planRestore } from './plan-restore.ts';
import { probeServer } from './probe-server.ts';
import { backupDatabase } from './backup-database.ts';
import { verifyBackup } from './verify-backup.ts';
import { restoreChain } from './restore-chain.ts';
import { checkDatabase } from './check-database.ts';

export const MSSQL_CAPABILITIES: EngineCapabilities = { artifact: 'file', pitr: true, nativeCompression: true, differential: true, log: true };

/**
 * SQL Server over mssql/tedious. Backups are files the server writes into a staging folder (BACKUP ... TO
 * DISK); the runner ships them and removes them. Every statement goes through sp_executesql with its names
 * and paths as parameters, or quoteName() where T-SQL takes no variable.
 */
export class MssqlEngine implements DatabaseEngine {
  readonly kind = 'mssql';
  readonly capabilities = MSSQL_CAPABILITIES;
  readonly #s: MssqlSession;

  constructor(cfg: MssqlConfig, password: string | null) {
    this.#s = new MssqlSession(cfg, password);
  }

  probe(): Promise<ProbeResult> {
    return probeServer(this.#s);
  }

  async resolveBackupType(req: BackupRequest): Promise<TypeDecision> {
    const db = await this.#s.database(req.database);
    if (!db) throw new LifeboatError('DATABASE_MISSING', { verb: 'back up', thing: 'database', where: `${req.database} on ${this.#s.where}`, cause: 'no database of that name on the server' });
    return chooseBackupType(req.type, req.history, db.chain);
  }

  backup(req: BackupRequest, sink: ArtifactSink): Promise<BackupOutcome> {
    this.#s.logger = req.logger;
    return backupDatabase(this.#s, req, sink);
  }

  verify(req: EngineVerifyRequest): Promise<EngineVerifyResult> {
    return verifyBackup(this.#s, req);
  }

  planRestore(sets: ReadonlyArray<PlannableSet>, at?: Date): RestorePlan {
    return planRestore(sets, at);
  }

  restore(req: EngineRestoreRequest): Promise<EngineRestoreResult> {
    this.#s.logger = req.logger;
    return restoreChain(this.#s, req);
  }

  check(database: string): Promise<EngineCheckResult> {
    return checkDatabase(this.#s, database);
  }

  async countRows(database: string, tables: ReadonlyArray<{ schema: string; table: string }>): Promise<Probe[]> {
    const out: Probe[] = [];
    for (const t of tables) {
      try {
        const r = await this.#s.run(countRowsStatement(database, t.schema, t.table), { verb: 'count rows in', thing: 'database', where: `${database} on ${this.#s.where}` });
        out.push({ schema: t.schema, table: t.table, rows: Number(r[0]?.row_count ?? 0) });
      } catch (err) {
        // Invalid object name: the table is missing from the restored copy, which the probe comparison reports.
        if (isLifeboatError(err) && (err.details?.sqlErrors as number[] | undefined)?.includes(208)) out.push({ schema: t.schema, table: t.table, rows: -1 });
        else throw err;
      }
    }
    return out;
  }

  /** The first column of the first row of a read-only probe query (drills); null when it returns no row. */
  async runProbeQuery(database: string, sql: string, opts: { timeoutMs?: number } = {}): Promise<unknown> {
    const ms = Math.max(1, Math.floor(opts.timeoutMs ?? 60_000));
    const signal = AbortSignal.timeout(ms);
    const where = `${database} on ${this.#s.where}`;
    try {
      const rows = await this.#s.run(probeQueryStatement(database, sql), { verb: 'run a probe query in', thing: 'database', where }, { signal, arrayRows: true });
      return (rows[0] as unknown as unknown[] | undefined)?.[0] ?? null;
    } catch (err) {
      if (signal.aborted) throw new LifeboatError('ENGINE_FAILED', { verb: 'run a probe query in', thing: 'database', where, cause: `the query ran longer than ${ms} ms and was cancelled` });
      throw err;
    }
  }

  async databaseExists(database: string): Promise<boolean> {
    return (await this.#s.database(database)) !== null;
  }

  async dropDatabase(database: string): Promise<void> {
    const db = await this.#s.database(database);
    if (!db) return;
    const ctx = { verb: 'drop', thing: 'database', where: `${database} on ${this.#s.where}` };
    if (db.state === 'ONLINE') await this.#s.run(singleUserStatement(database), ctx);
    await this.#s.run(dropDatabaseStatement(database), ctx);
  }

  /** Renames the database (ending other sessions first); its physical files keep their names. */
  async renameDatabase(from: string, to: string): Promise<void> {
    const ctx = { verb: 'rename', thing: 'database', where: `${from} on ${this.#s.where}` };
    await this.#s.run(singleUserStatement(from), ctx);
    await this.#s.run(renameDatabaseStatement(from, to), ctx);
    await this.#s.run(multiUserStatement(to), ctx);
  }

  close(): Promise<void> {
    return this.#s.close();
  }
}
