import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import sql from 'mssql';
import { LifeboatError, isLifeboatError } from '../../errors/lifeboat-error.ts';
import type { Probe } from '../../repo/manifest.ts';
import type { Logger } from '../../util/logger.ts';
import type {
  ArtifactSink, BackupOutcome, BackupRequest, DatabaseEngine, EngineCapabilities, EngineCheckResult, EngineRestoreRequest, EngineRestoreResult,
  EngineVerifyRequest, EngineVerifyResult, PlannableSet, ProbeResult, RestorePlan,
} from '../engine.ts';
import type { BackupType } from '../../catalog/jobs-repo.ts';
import { connectionConfig, type MssqlConfig } from './mssql-config.ts';
import { mssqlError, messageChain, type ErrorContext } from './mssql-errors.ts';
import { runStatement, str, type Row, type RunOptions } from './session.ts';
import { renderStatement, type Statement } from './statement.ts';
import { serverFacts, type ServerFacts } from './server-facts.ts';
import * as q from './catalog-queries.ts';
import { backupStatement, checkDbStatement, countRowsStatement, dropDatabaseStatement, largestTablesStatement, renameDatabaseStatement, singleUserStatement, multiUserStatement, tailLogStatement } from './backup-statements.ts';
import { fileListStatement, recoverStatement, restoreStepStatement, verifyOnlyStatement } from './restore-statements.ts';
import { chooseBackupType, type ServerChainState, type TypeDecision } from './choose-backup-type.ts';
import { planRestore } from './plan-restore.ts';
import { planMoves, type BackupFile } from './plan-moves.ts';
import { serverLocalText, stagingFileName, stagingPaths } from './staging.ts';

export const MSSQL_CAPABILITIES: EngineCapabilities = { artifact: 'file', pitr: true, nativeCompression: true, differential: true, log: true };

const requireCjs = createRequire(import.meta.url);
const TOOL_VERSIONS: Record<string, string> = {
  mssql: (requireCjs('mssql/package.json') as { version: string }).version,
  tedious: (requireCjs('tedious/package.json') as { version: string }).version,
};

interface DbRow { name: string; recoveryModel: string; state: string; logReuseWait: string | null; chain: ServerChainState; sizeBytes: number }

function dbRow(r: Row): DbRow {
  const name = String(r.name);
  const recoveryModel = String(r.recovery_model_desc ?? '');
  return {
    name, recoveryModel, state: String(r.state_desc ?? ''), logReuseWait: str(r.log_reuse_wait_desc), sizeBytes: Number(r.size_bytes ?? 0),
    chain: { database: name, recoveryModel, lastLogBackupLsn: str(r.last_log_backup_lsn), differentialBaseLsn: str(r.differential_base_lsn), recoveryForkId: str(r.recovery_fork_guid)?.toLowerCase() ?? null },
  };
}

/**
 * SQL Server over mssql/tedious. Backups are files the server writes into a staging folder (BACKUP ... TO
 * DISK); the runner ships them and removes them. Every statement goes through sp_executesql with its names
 * and paths as parameters, or quoteName() where T-SQL takes no variable.
 */
export class MssqlEngine implements DatabaseEngine {
  readonly kind = 'mssql';
  readonly capabilities = MSSQL_CAPABILITIES;
  readonly #cfg: MssqlConfig;
  readonly #password: string | null;
  readonly #where: string;
  readonly #logger: Logger | null;
  #pool: Promise<sql.ConnectionPool> | null = null;
  #facts: ServerFacts | null = null;
  #serviceAccount: string | null | undefined;
  #encryptionWarning: string | null = null;

  constructor(cfg: MssqlConfig, password: string | null, logger: Logger | null = null) {
    this.#cfg = cfg;
    this.#password = password;
    this.#where = cfg.instanceName ? `${cfg.host}\\${cfg.instanceName}` : `${cfg.host}:${cfg.port}`;
    this.#logger = logger;
  }

  async #connect(): Promise<sql.ConnectionPool> {
    if (!this.#pool) {
      const pool = new sql.ConnectionPool(connectionConfig(this.#cfg, this.#password));
      pool.on('error', () => undefined);
      this.#pool = pool.connect().then(async (p) => {
        await this.#checkEncryption(p);
        return p;
      });
      this.#pool.catch(() => { this.#pool = null; });
    }
    try {
      return await this.#pool;
    } catch (err) {
      throw mssqlError(err, { verb: 'connect to', thing: 'SQL Server', where: this.#where });
    }
  }

  /** A session that is not encrypted is logged every time: on a plant network that is worth knowing. */
  async #checkEncryption(pool: sql.ConnectionPool): Promise<void> {
    let encrypted: boolean | null = null;
    try {
      const r = await runStatement(pool, q.sessionEncryptionQuery());
      encrypted = String(r[0]?.encrypt_option ?? '').toUpperCase() === 'TRUE';
    } catch { /* VIEW SERVER STATE missing: judge by the setting alone */ }
    if (this.#cfg.encrypt === 'off' || encrypted === false) {
      this.#encryptionWarning = `the session to ${this.#where} is not encrypted (encrypt=${this.#cfg.encrypt}): logins and data cross the network in clear text`;
      this.#logger?.log('warn', this.#encryptionWarning);
    }
  }

  async #run(s: Statement, ctx: Omit<ErrorContext, 'where'> & { where?: string }, opts: RunOptions = {}): Promise<Row[]> {
    const pool = await this.#connect();
    this.#logger?.log('debug', 'T-SQL', { sql: renderStatement(s) });
    try {
      return await runStatement(pool, s, opts);
    } catch (err) {
      throw mssqlError(err, { ...ctx, where: ctx.where ?? this.#where });
    }
  }

  async #serverFacts(): Promise<ServerFacts> {
    if (!this.#facts) this.#facts = serverFacts((await this.#run(q.serverPropertiesQuery(), { verb: 'probe', thing: 'server' }))[0] ?? {});
    return this.#facts;
  }

  async #serviceAccountName(): Promise<string | null> {
    if (this.#serviceAccount === undefined) {
      try {
        this.#serviceAccount = str((await this.#run(q.serviceAccountQuery(), { verb: 'probe', thing: 'server' }))[0]?.service_account);
      } catch {
        this.#serviceAccount = null;
      }
    }
    return this.#serviceAccount;
  }

  async #database(name: string): Promise<DbRow | null> {
    const r = await this.#run(q.databaseQuery(name), { verb: 'look up', thing: 'database', where: name });
    return r[0] ? dbRow(r[0]) : null;
  }

  async probe(): Promise<ProbeResult> {
    const facts = await this.#serverFacts();
    const dbs = (await this.#run(q.userDatabasesQuery(), { verb: 'probe', thing: 'server' })).map(dbRow);
    let history: Row[] = [];
    try { history = await this.#run(q.recentHistoryQuery(20), { verb: 'probe', thing: 'server' }); } catch { /* msdb not readable: history stays empty */ }
    return {
      serverVersion: facts.version, versionMajor: facts.versionMajor, edition: facts.edition, dataChecksums: null,
      databases: dbs.map((d) => ({ name: d.name, sizeBytes: d.sizeBytes, recoveryModel: d.recoveryModel })),
      details: {
        engineEdition: facts.engineEdition, isExpress: facts.isExpress, nativeCompression: facts.nativeCompression, serverName: facts.serverName,
        serviceAccount: await this.#serviceAccountName(), encryptionWarning: this.#encryptionWarning,
        databases: dbs.map((d) => ({
          name: d.name, recoveryModel: d.recoveryModel, state: d.state, logReuseWait: d.logReuseWait,
          pointInTime: d.recoveryModel !== 'SIMPLE',
          // FULL/BULK_LOGGED without last_log_backup_lsn: no log chain yet, the next LOG escalates (Ola).
          logChainIntact: d.recoveryModel === 'SIMPLE' ? null : d.chain.lastLogBackupLsn !== null,
        })),
        recentHistory: history.map((h) => ({
          database: str(h.database_name), type: str(h.type), copyOnly: h.is_copy_only === true, name: str(h.name),
          finished: h.backup_finish_date instanceof Date ? h.backup_finish_date.toISOString() : str(h.backup_finish_date),
          firstLsn: str(h.first_lsn), lastLsn: str(h.last_lsn), device: str(h.physical_device_name),
        })),
      },
    };
  }

  async resolveBackupType(req: BackupRequest): Promise<TypeDecision> {
    const db = await this.#database(req.database);
    if (!db) throw new LifeboatError('DATABASE_MISSING', { verb: 'back up', thing: 'database', where: `${req.database} on ${this.#where}`, cause: 'no database of that name on the server' });
    return chooseBackupType(req.type, req.history, db.chain);
  }

  async backup(req: BackupRequest, sink: ArtifactSink): Promise<BackupOutcome> {
    const where = `${req.database} on ${this.#where}`;
    const facts = await this.#serverFacts();
    const db = await this.#database(req.database);
    if (!db) throw new LifeboatError('DATABASE_MISSING', { verb: 'back up', thing: 'database', where, cause: 'no database of that name on the server' });
    if (db.state !== 'ONLINE') throw new LifeboatError('ENGINE_FAILED', { verb: 'back up', thing: 'database', where, cause: `the database is ${db.state}, not ONLINE` });
    const decision = chooseBackupType(req.type, req.history, db.chain);
    if (!fs.existsSync(this.#cfg.stagingLocalPath)) {
      throw new LifeboatError('CONFIG_INVALID', { verb: 'back up', thing: 'database', where, cause: `the staging folder '${this.#cfg.stagingLocalPath}' (stagingLocalPath) does not exist on this machine`, hint: 'stagingLocalPath must be the folder SQL Server writes to (stagingServerPath), as this machine reaches it' });
    }
    const started = new Date();
    const fileName = stagingFileName(req.database, decision.type, started);
    const { serverPath, localPath } = stagingPaths(this.#cfg.stagingServerPath, this.#cfg.stagingLocalPath, fileName);
    const compression = facts.nativeCompression;
    const stmt = backupStatement({ database: req.database, serverPath, type: decision.type, compression, label: `lifeboat:${decision.type}:${fileName}`, stats: this.#cfg.statsPercent });
    const warnings: string[] = [];
    if (this.#encryptionWarning) {
      warnings.push(this.#encryptionWarning);
      req.logger.log('warn', this.#encryptionWarning);
    }
    if (decision.escalatedBecause) {
      warnings.push(`${req.type.toUpperCase()} backup taken as ${decision.type.toUpperCase()}: ${decision.escalatedBecause}`);
      req.logger.log('warn', `backup type escalated to ${decision.type}`, { database: req.database, because: decision.escalatedBecause });
    }
    let handedOver = false;
    try {
      req.onProgress?.({ phase: 'backup', percent: 0 });
      try {
        await runStatement(await this.#connect(), stmt, {
          onInfo: (m) => {
            const pct = m.number === 3211 ? /(\d+) percent/.exec(m.message)?.[1] : undefined;
            if (pct) req.onProgress?.({ phase: 'backup', percent: Number(pct) });
          },
          ...(req.signal ? { signal: req.signal } : {}),
        });
      } catch (err) {
        throw mssqlError(err, { verb: 'back up', thing: 'database', where, staging: { serverPath: this.#cfg.stagingServerPath, serviceAccount: await this.#serviceAccountName() } });
      }
      const finished = new Date();
      const row = (await this.#run(q.backupRowQuery(req.database, serverPath), { verb: 'read', thing: 'backup history of', where }))[0];
      if (!row) throw new LifeboatError('ENGINE_FAILED', { verb: 'read', thing: 'backup history of', where, cause: `msdb.dbo.backupset has no row for '${serverPath}'` });
      if (!fs.existsSync(localPath)) {
        throw new LifeboatError('CONFIG_INVALID', {
          verb: 'read', thing: 'staged backup', where: localPath,
          cause: `SQL Server wrote '${serverPath}' but this machine does not see it at '${localPath}'`,
          hint: 'stagingServerPath and stagingLocalPath must name the same folder (as the server sees it, and as this machine reaches it)',
        });
      }
      const probes = await this.#probeCounts(req.database, req.probeTables, warnings);
      const chain = {
        firstLsn: str(row.first_lsn), lastLsn: str(row.last_lsn), checkpointLsn: str(row.checkpoint_lsn),
        databaseBackupLsn: str(row.database_backup_lsn), differentialBaseLsn: str(row.differential_base_lsn),
        recoveryForkId: str(row.recovery_fork_guid)?.toLowerCase() ?? null, isCopyOnly: row.is_copy_only === true,
        recoveryModel: str(row.recovery_model), backupStartedAt: started.toISOString(), backupFinishedAt: finished.toISOString(),
        nativeCompression: compression, stagingFile: fileName,
        // Log record times are the source server's local time; STOPAT must be written in that clock.
        serverUtcOffsetMinutes: String(facts.utcOffsetMinutes),
      };
      handedOver = true;
      await sink.file(fileName, decision.type === 'log' ? 'log' : 'backup', localPath, { compressed: compression });
      return {
        type: decision.type, ...(decision.escalatedBecause ? { escalatedBecause: decision.escalatedBecause } : {}),
        parentSetId: decision.parentSetId, serverVersion: facts.version, toolVersions: { ...TOOL_VERSIONS }, probes, chain, warnings,
      };
    } catch (err) {
      // Before the hand-over the staged file is ours to remove; afterwards the runner owns it.
      if (!handedOver) fs.rmSync(localPath, { force: true });
      throw isLifeboatError(err) ? err : mssqlError(err, { verb: 'back up', thing: 'database', where });
    }
  }

  async #probeCounts(database: string, limit: number, warnings: string[]): Promise<Probe[]> {
    if (limit <= 0) return [];
    try {
      const tables = await this.#run(largestTablesStatement(database, limit), { verb: 'list', thing: 'tables of', where: database });
      const out: Probe[] = [];
      for (const t of tables) {
        const schema = String(t.schema_name);
        const table = String(t.table_name);
        const r = await this.#run(countRowsStatement(database, schema, table), { verb: 'count rows of', thing: 'table', where: `${schema}.${table}` });
        out.push({ schema, table, rows: Number(r[0]?.row_count ?? 0) });
      }
      return out;
    } catch (err) {
      warnings.push(`row counts skipped: ${(err as Error).message}`);
      return [];
    }
  }

  async #stage(open: () => Promise<NodeJS.ReadableStream>, fileName: string, staged: string[]) {
    const paths = stagingPaths(this.#cfg.stagingServerPath, this.#cfg.stagingLocalPath, fileName);
    staged.push(paths.localPath);
    await pipeline(await open() as NodeJS.ReadableStream, fs.createWriteStream(paths.localPath, { mode: 0o640 }));
    return paths;
  }

  async verify(req: EngineVerifyRequest): Promise<EngineVerifyResult> {
    const art = req.manifest.artifacts.find((a) => a.role === 'backup' || a.role === 'log') ?? req.manifest.artifacts[0]!;
    const staged: string[] = [];
    try {
      const { serverPath } = await this.#stage(() => req.openArtifact(art.name), `verify_${req.manifest.setId}_${Date.now().toString(36)}.bak`, staged);
      const stmt = verifyOnlyStatement(serverPath);
      const messages: string[] = [];
      try {
        await runStatement(await this.#connect(), stmt, { onInfo: (m) => messages.push(m.message) });
      } catch (err) {
        const chain = messageChain(err);
        if (chain.some((m) => [3189, 3241, 3183, 3242, 3203].includes(m.number))) {
          return { ok: false, detail: { tool: 'RESTORE VERIFYONLY', sqlErrors: chain.map((m) => m.number) }, message: chain.map((m) => m.message).join(' ') };
        }
        throw mssqlError(err, { verb: 'verify', thing: 'set', where: req.manifest.setId, staging: { serverPath: this.#cfg.stagingServerPath, serviceAccount: await this.#serviceAccountName() } });
      }
      return { ok: true, detail: { tool: 'RESTORE VERIFYONLY WITH CHECKSUM', artifact: art.name, messages } };
    } finally {
      for (const f of staged) fs.rmSync(f, { force: true });
    }
  }

  planRestore(sets: ReadonlyArray<PlannableSet>, at?: Date): RestorePlan {
    return planRestore(sets, at);
  }

  async restore(req: EngineRestoreRequest): Promise<EngineRestoreResult> {
    const where = `${req.destination} on ${this.#where}`;
    const first = req.manifests[0];
    if (!first || (first.type !== 'full' && first.type !== 'copy-only')) {
      throw new LifeboatError('CHAIN_BROKEN', { verb: 'restore', thing: 'database', where, cause: 'a restore chain must start with a full backup' });
    }
    const facts = await this.#serverFacts();
    const warnings: string[] = [];
    if (this.#encryptionWarning) {
      warnings.push(this.#encryptionWarning);
      req.logger.log('warn', this.#encryptionWarning);
    }
    const staged: string[] = [];
    const existing = await this.#database(req.destination);
    if (existing && !req.replace) {
      throw new LifeboatError('ALREADY_EXISTS', { verb: 'restore into', thing: 'database', where, cause: 'a database with that name exists', hint: 'choose another name, or restore over it explicitly' });
    }
    let created = false;
    try {
      if (existing && req.tailLogBackup && existing.recoveryModel !== 'SIMPLE' && existing.state === 'ONLINE') {
        req.onPhase?.('tail-log');
        const tail = stagingPaths(this.#cfg.stagingServerPath, this.#cfg.stagingLocalPath, stagingFileName(req.destination, 'log', new Date()).replace(/_LOG_/, '_TAIL_'));
        await this.#run(tailLogStatement(req.destination, tail.serverPath), { verb: 'back up', thing: 'tail of the log of', where, staging: { serverPath: this.#cfg.stagingServerPath, serviceAccount: await this.#serviceAccountName() } });
        warnings.push(`tail-log backup kept at '${tail.localPath}' (the database was left RESTORING before it was overwritten)`);
      }
      const lastLog = [...req.manifests].reverse().find((m) => m.type === 'log');
      for (let i = 0; i < req.manifests.length; i++) {
        const m = req.manifests[i]!;
        const art = m.artifacts.find((a) => a.role === 'backup' || a.role === 'log') ?? m.artifacts[0]!;
        req.onPhase?.(`fetch ${i + 1}/${req.manifests.length}`);
        const { serverPath, localPath } = await this.#stage(() => req.openArtifact(m.setId, art.name), `restore_${m.setId}_${art.name.replace(/\.(zst|age)$/g, '').replace(/\.(zst|age)$/g, '')}`, staged);
        const staging = { serverPath: this.#cfg.stagingServerPath, serviceAccount: await this.#serviceAccountName() };
        let moves;
        if (i === 0) {
          const files = (await this.#run(fileListStatement(serverPath), { verb: 'read', thing: 'file list of', where: m.setId, staging })).map((r): BackupFile => ({
            logicalName: String(r.LogicalName), physicalName: String(r.PhysicalName), type: String(r.Type),
          }));
          moves = planMoves(files, req.destination, { dataPath: facts.dataPath, logPath: facts.logPath });
        }
        const sourceOffset = Number(m.chain.serverUtcOffsetMinutes);
        const offset = typeof m.chain.serverUtcOffsetMinutes === 'string' && Number.isFinite(sourceOffset) ? sourceOffset : facts.utcOffsetMinutes;
        const stopAt = m === lastLog && req.stopAt && i === req.manifests.length - 1 ? serverLocalText(req.stopAt, offset) : null;
        req.onPhase?.(`restore ${i + 1}/${req.manifests.length}`);
        if (i === 0 && !existing) created = true;
        await this.#run(restoreStepStatement({
          database: req.destination, serverPath, kind: m.type === 'log' ? 'log' : 'database', ...(moves ? { moves } : {}),
          replace: i === 0 && !!existing && !!req.replace, recovery: false, stopAt,
        }), { verb: 'restore', thing: 'database', where, staging });
        fs.rmSync(localPath, { force: true });
      }
      req.onPhase?.('recovery');
      await this.#run(recoverStatement(req.destination), { verb: 'recover', thing: 'database', where });
      return { toolVersions: { ...TOOL_VERSIONS }, warnings };
    } catch (err) {
      // Nothing half-restored stays under the destination name (a RESTORING database can be dropped).
      if (created) await this.#run(dropDatabaseStatement(req.destination), { verb: 'drop', thing: 'database', where }).catch(() => undefined);
      throw err;
    } finally {
      for (const f of staged) fs.rmSync(f, { force: true });
    }
  }

  async check(database: string): Promise<EngineCheckResult> {
    const infos: { number: number; message: string }[] = [];
    try {
      await runStatement(await this.#connect(), checkDbStatement(database), { onInfo: (m) => infos.push(m) });
      return { ok: true, detail: { tool: 'DBCC CHECKDB', messages: infos.map((m) => m.message) } };
    } catch (err) {
      const chain = messageChain(err);
      if (chain.some((m) => m.number >= 8900 && m.number < 9000) || chain.some((m) => [8928, 8939, 8976, 2533, 2534].includes(m.number))) {
        const all = [...chain, ...infos];
        const summary = all.find((m) => m.number === 8989)?.message ?? `${chain.length} consistency errors reported`;
        return { ok: false, detail: { tool: 'DBCC CHECKDB', sqlErrors: chain.map((m) => m.number), messages: all.map((m) => m.message) }, message: summary };
      }
      throw mssqlError(err, { verb: 'check', thing: 'database', where: `${database} on ${this.#where}` });
    }
  }

  async countRows(database: string, tables: ReadonlyArray<{ schema: string; table: string }>): Promise<Probe[]> {
    const out: Probe[] = [];
    for (const t of tables) {
      try {
        const r = await this.#run(countRowsStatement(database, t.schema, t.table), { verb: 'count rows in', thing: 'database', where: `${database} on ${this.#where}` });
        out.push({ schema: t.schema, table: t.table, rows: Number(r[0]?.row_count ?? 0) });
      } catch (err) {
        if (isLifeboatError(err) && (err.details?.sqlErrors as number[] | undefined)?.includes(208)) out.push({ schema: t.schema, table: t.table, rows: -1 });
        else throw err;
      }
    }
    return out;
  }

  async databaseExists(database: string): Promise<boolean> {
    return (await this.#database(database)) !== null;
  }

  async dropDatabase(database: string): Promise<void> {
    const db = await this.#database(database);
    if (!db) return;
    const ctx = { verb: 'drop', thing: 'database', where: `${database} on ${this.#where}` };
    if (db.state === 'ONLINE') await this.#run(singleUserStatement(database), ctx);
    await this.#run(dropDatabaseStatement(database), ctx);
  }

  async renameDatabase(from: string, to: string): Promise<void> {
    const ctx = { verb: 'rename', thing: 'database', where: `${from} on ${this.#where}` };
    await this.#run(singleUserStatement(from), ctx);
    await this.#run(renameDatabaseStatement(from, to), ctx);
    await this.#run(multiUserStatement(to), ctx);
  }

  async close(): Promise<void> {
    const p = this.#pool;
    this.#pool = null;
    if (p) await (await p.catch(() => null))?.close().catch(() => undefined);
  }
}

export type { BackupType };
