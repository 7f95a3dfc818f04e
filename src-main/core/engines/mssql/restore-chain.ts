import fs from 'node:fs';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import type { Manifest } from '../../repo/manifest.ts';
import type { EngineRestoreRequest, EngineRestoreResult } from '../engine.ts';
import type { MssqlSession } from './mssql-session.ts';
import { dropDatabaseStatement, tailLogStatement } from './backup-statements.ts';
import { fileListStatement, recoverStatement, restoreStepStatement, type MoveClause } from './restore-statements.ts';
import { planMoves, type BackupFile } from './plan-moves.ts';
import { serverLocalText, stagingFileName } from './staging.ts';
import { TOOL_VERSIONS } from './tool-versions.ts';

/** The stored name without what Lifeboat added while shipping (.zst, .age): the staged file is raw. */
const rawName = (name: string) => name.replace(/(\.(zst|age))+$/, '');

/**
 * Applies a planned chain (full, optional diff, logs in order): each file staged for the server and removed
 * right after its step; RESTORE FILELISTONLY gives the MOVE clauses of the first step; every step runs WITH
 * NORECOVERY, STOPAT on the last log only; then RESTORE ... WITH RECOVERY. A database this restore created
 * is dropped again on failure; staged files are removed in every case.
 */
export async function restoreChain(s: MssqlSession, req: EngineRestoreRequest): Promise<EngineRestoreResult> {
  const where = `${req.destination} on ${s.where}`;
  const first = req.manifests[0];
  if (!first || (first.type !== 'full' && first.type !== 'copy-only')) {
    throw new LifeboatError('CHAIN_BROKEN', { verb: 'restore', thing: 'database', where, cause: 'a restore chain must start with a full backup' });
  }
  const facts = await s.facts();
  const warnings: string[] = [];
  if (s.encryptionWarning) {
    warnings.push(s.encryptionWarning);
    req.logger.log('warn', s.encryptionWarning);
  }
  const existing = await s.database(req.destination);
  if (existing && !req.replace) {
    throw new LifeboatError('ALREADY_EXISTS', { verb: 'restore into', thing: 'database', where, cause: 'a database with that name exists', hint: 'choose another name, or restore over it explicitly' });
  }
  const staged: string[] = [];
  let created = false;
  try {
    if (existing && req.tailLogBackup && existing.recoveryModel !== 'SIMPLE' && existing.state === 'ONLINE') {
      req.onPhase?.('tail-log');
      const tail = s.paths(stagingFileName(req.destination, 'log', new Date()).replace(/_LOG_/, '_TAIL_'));
      await s.run(tailLogStatement(req.destination, tail.serverPath), { verb: 'back up', thing: 'tail of the log of', where, staging: true });
      warnings.push(`tail-log backup kept at '${tail.localPath}' (the database was left RESTORING before it was overwritten)`);
    }
    const lastLog = [...req.manifests].reverse().find((m) => m.type === 'log');
    const n = req.manifests.length;
    for (let i = 0; i < n; i++) {
      const m = req.manifests[i]!;
      const art = m.artifacts.find((a) => a.role === 'backup' || a.role === 'log') ?? m.artifacts[0]!;
      req.onPhase?.(`fetch ${i + 1}/${n}`);
      const { serverPath, localPath } = await s.stage(() => req.openArtifact(m.setId, art.name), `restore_${m.setId}_${rawName(art.name)}`, staged);
      let moves: MoveClause[] | undefined;
      if (i === 0) {
        const files = (await s.run(fileListStatement(serverPath), { verb: 'read', thing: 'file list of', where: m.setId, staging: true }))
          .map((r): BackupFile => ({ logicalName: String(r.LogicalName), physicalName: String(r.PhysicalName), type: String(r.Type) }));
        moves = planMoves(files, req.destination, { dataPath: facts.dataPath, logPath: facts.logPath });
      }
      const stopAt = m === lastLog && i === n - 1 && req.stopAt ? serverLocalText(req.stopAt, logClockOffset(m, facts.utcOffsetMinutes)) : null;
      req.onPhase?.(`restore ${i + 1}/${n}`);
      if (i === 0 && !existing) created = true;
      await s.run(restoreStepStatement({
        database: req.destination, serverPath, kind: m.type === 'log' ? 'log' : 'database', ...(moves ? { moves } : {}),
        replace: i === 0 && !!existing, recovery: false, stopAt,
      }), { verb: 'restore', thing: 'database', where, staging: true });
      fs.rmSync(localPath, { force: true });
    }
    req.onPhase?.('recovery');
    await s.run(recoverStatement(req.destination), { verb: 'recover', thing: 'database', where });
    return { toolVersions: { ...TOOL_VERSIONS }, warnings };
  } catch (err) {
    // Nothing half-restored stays under a name this restore created (a RESTORING database can be dropped).
    if (created) await s.run(dropDatabaseStatement(req.destination), { verb: 'drop', thing: 'database', where }).catch(() => undefined);
    throw err;
  } finally {
    for (const f of staged) fs.rmSync(f, { force: true });
  }
}

/** Log record times are in the clock of the server that wrote them (recorded per set); else the destination's. */
function logClockOffset(m: Manifest, fallback: number): number {
  const v = m.chain.serverUtcOffsetMinutes;
  const n = typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}
