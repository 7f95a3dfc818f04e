import fs from 'node:fs';
import { LifeboatError, isLifeboatError } from '../../errors/lifeboat-error.ts';
import type { Probe } from '../../repo/manifest.ts';
import type { ArtifactSink, BackupOutcome, BackupRequest } from '../engine.ts';
import type { MssqlSession } from './mssql-session.ts';
import { backupStatement, countRowsStatement, largestTablesStatement } from './backup-statements.ts';
import { chooseBackupType } from './choose-backup-type.ts';
import { stagingFileName } from './staging.ts';
import { str } from './run-statement.ts';
import { TOOL_VERSIONS } from './tool-versions.ts';
import * as q from './catalog-queries.ts';

/**
 * BACKUP ... TO DISK into staging, then the chain fields from msdb (LSNs as strings), row-count probes, and
 * the file handed to the sink. Until the sink has taken the file (also when it refuses it) the staged file
 * is ours to remove on failure; once taken, the runner ships it and removes it.
 */
export async function backupDatabase(s: MssqlSession, req: BackupRequest, sink: ArtifactSink): Promise<BackupOutcome> {
  const where = `${req.database} on ${s.where}`;
  const facts = await s.facts();
  const db = await s.database(req.database);
  if (!db) throw new LifeboatError('DATABASE_MISSING', { verb: 'back up', thing: 'database', where, cause: 'no database of that name on the server' });
  if (db.state !== 'ONLINE') throw new LifeboatError('ENGINE_FAILED', { verb: 'back up', thing: 'database', where, cause: `the database is ${db.state}, not ONLINE` });
  const decision = chooseBackupType(req.type, req.history, db.chain);
  if (!fs.existsSync(s.cfg.stagingLocalPath)) {
    throw new LifeboatError('CONFIG_INVALID', {
      verb: 'back up', thing: 'database', where, cause: `the staging folder '${s.cfg.stagingLocalPath}' (stagingLocalPath) does not exist on this machine`,
      hint: 'stagingLocalPath must be the folder SQL Server writes to (stagingServerPath), as this machine reaches it',
    });
  }
  const warnings: string[] = [];
  const warn = (text: string, fields?: Record<string, unknown>) => { warnings.push(text); req.logger.log('warn', text, fields); };
  if (decision.escalatedBecause) warn(`${req.type.toUpperCase()} backup taken as ${decision.type.toUpperCase()}: ${decision.escalatedBecause}`, { database: req.database });

  const started = new Date();
  const fileName = stagingFileName(req.database, decision.type, started);
  const { serverPath, localPath } = s.paths(fileName);
  const compression = facts.nativeCompression;
  let sinkSettled = false;
  try {
    req.onProgress?.({ phase: 'backup', percent: 0 });
    const stmt = backupStatement({ database: req.database, serverPath, type: decision.type, compression, label: `lifeboat:${decision.type}:${fileName}`, stats: s.cfg.statsPercent });
    await s.run(stmt, { verb: 'back up', thing: 'database', where, staging: true }, {
      onInfo: (m) => {
        // STATS = n: message 3211 "n percent processed."
        const pct = /^(\d+) percent processed/.exec(m.message)?.[1];
        if (pct) req.onProgress?.({ phase: 'backup', percent: Number(pct) });
      },
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const finished = new Date();
    if (s.encryptionWarning) warn(s.encryptionWarning);
    const row = (await s.run(q.backupRowQuery(req.database, serverPath), { verb: 'read', thing: 'backup history of', where }))[0];
    if (!row) throw new LifeboatError('ENGINE_FAILED', { verb: 'read', thing: 'backup history of', where, cause: `msdb.dbo.backupset has no row for '${serverPath}'` });
    if (!fs.existsSync(localPath)) {
      throw new LifeboatError('CONFIG_INVALID', {
        verb: 'read', thing: 'staged backup', where: localPath, cause: `SQL Server wrote '${serverPath}' but this machine does not see it at '${localPath}'`,
        hint: 'stagingServerPath and stagingLocalPath must name the same folder (as the server sees it, and as this machine reaches it)',
      });
    }
    const probes = await probeCounts(s, req.database, req.probeTables, warnings);
    const chain = {
      firstLsn: str(row.first_lsn), lastLsn: str(row.last_lsn), checkpointLsn: str(row.checkpoint_lsn),
      databaseBackupLsn: str(row.database_backup_lsn), differentialBaseLsn: str(row.differential_base_lsn),
      recoveryForkId: str(row.recovery_fork_guid)?.toLowerCase() ?? null, isCopyOnly: row.is_copy_only === true,
      recoveryModel: str(row.recovery_model), backupStartedAt: started.toISOString(), backupFinishedAt: finished.toISOString(),
      nativeCompression: compression, stagingFile: fileName,
      // Log record times are the source server's local time; STOPAT must be written in that clock.
      serverUtcOffsetMinutes: String(facts.utcOffsetMinutes),
    };
    try {
      await sink.file(fileName, decision.type === 'log' ? 'log' : 'backup', localPath, { compressed: compression });
    } catch (err) {
      // The runner's own failure (a target, the pipeline): reported as it is, not as a server error.
      fs.rmSync(localPath, { force: true });
      sinkSettled = true;
      throw err;
    }
    sinkSettled = true;
    return {
      type: decision.type, ...(decision.escalatedBecause ? { escalatedBecause: decision.escalatedBecause } : {}),
      parentSetId: decision.parentSetId, serverVersion: facts.version, toolVersions: { ...TOOL_VERSIONS }, probes, chain, warnings,
    };
  } catch (err) {
    if (sinkSettled) throw err;
    fs.rmSync(localPath, { force: true });
    throw isLifeboatError(err) ? err : await s.explain(err, { verb: 'back up', thing: 'database', where });
  }
}

/**
 * Exact row counts of the largest tables, taken right after the backup. SQL Server has no exported snapshot
 * (as pg_dump has): on a busy database the counts can differ from the backup by the rows written meanwhile.
 */
async function probeCounts(s: MssqlSession, database: string, limit: number, warnings: string[]): Promise<Probe[]> {
  if (limit <= 0) return [];
  try {
    const tables = await s.run(largestTablesStatement(database, limit), { verb: 'list', thing: 'tables of', where: database });
    const out: Probe[] = [];
    for (const t of tables) {
      const schema = String(t.schema_name);
      const table = String(t.table_name);
      const r = await s.run(countRowsStatement(database, schema, table), { verb: 'count rows of', thing: 'table', where: `${schema}.${table}` });
      out.push({ schema, table, rows: Number(r[0]?.row_count ?? 0) });
    }
    return out;
  } catch (err) {
    warnings.push(`row counts skipped: ${(err as Error).message}`);
    return [];
  }
}
