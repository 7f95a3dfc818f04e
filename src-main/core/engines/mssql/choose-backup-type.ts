import type { BackupType } from '../../catalog/jobs-repo.ts';
import type { PlannableSet } from '../engine.ts';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { isFullBackup, readChain, sameFork, type ChainedSet } from './chain-fields.ts';
import { parseLsn } from './lsn.ts';

/** What the server says about the database's chain right now (sys.databases, recovery status, master_files). */
export interface ServerChainState {
  database: string;
  recoveryModel: string;
  /** sys.database_recovery_status.last_log_backup_lsn: null means no log chain has started. */
  lastLogBackupLsn: string | null;
  /** sys.master_files.differential_base_lsn of the primary data file: the checkpoint LSN of the last conventional full. */
  differentialBaseLsn: string | null;
  recoveryForkId: string | null;
}

export interface TypeDecision {
  type: BackupType;
  escalatedBecause?: string;
  parentSetId: string | null;
}

/**
 * Ola Hallengren's @ChangeBackupType, checked against Lifeboat's own catalog as well as the server: a log
 * backup needs an unbroken chain from a set Lifeboat holds, a differential needs the conventional full it is
 * based on. Otherwise LOG becomes DIFF and DIFF becomes FULL, and the reason is returned for the audit
 * trail. A log backup under SIMPLE recovery is refused outright: escalating silently would hide that the
 * database has no point-in-time protection.
 */
export function chooseBackupType(requested: BackupType, history: ReadonlyArray<PlannableSet>, server: ServerChainState): TypeDecision {
  const sets = history.map(readChain).filter((s): s is ChainedSet => s !== null).filter((s) => sameFork(s, server.recoveryForkId));
  if (requested === 'full' || requested === 'copy-only') return { type: requested, parentSetId: null };
  if (requested === 'diff') return chooseDiff(sets, server, []);

  if (server.recoveryModel.toUpperCase() === 'SIMPLE') {
    throw new LifeboatError('ENGINE_UNSUPPORTED', {
      verb: 'back up', thing: 'transaction log of database', where: server.database,
      cause: 'the database uses the SIMPLE recovery model, which truncates its log and keeps no log backups (SQL Server error 4208)',
      hint: 'for point-in-time restores switch it to FULL (ALTER DATABASE ... SET RECOVERY FULL) and take a full backup; otherwise schedule full and differential backups only',
    });
  }
  const serverLast = parseLsn(server.lastLogBackupLsn);
  if (serverLast === null) {
    return chooseDiff(sets, server, ['the server has no log chain yet (no full backup since the database entered FULL recovery)']);
  }
  const anchor = [...sets].sort((a, b) => (a.lastLsn < b.lastLsn ? -1 : a.lastLsn > b.lastLsn ? 1 : 0)).at(-1);
  if (!anchor) return chooseDiff(sets, server, ['Lifeboat holds no earlier backup of this database to start a log chain from']);
  const intact = anchor.type === 'log' ? anchor.lastLsn === serverLast : serverLast <= anchor.lastLsn;
  if (!intact) {
    return chooseDiff(sets, server, [
      `the log chain is broken: the next log backup would start at LSN ${serverLast}, but Lifeboat's newest set ${anchor.id} ends at LSN ${anchor.lastLsn} (a log backup taken by another tool, or a lost set)`,
    ]);
  }
  return { type: 'log', parentSetId: anchor.id };
}

function chooseDiff(sets: ChainedSet[], server: ServerChainState, reasons: string[]): TypeDecision {
  const escalate = (why: string): TypeDecision => ({ type: 'full', parentSetId: null, escalatedBecause: [...reasons, why].join('; ') });
  const base = parseLsn(server.differentialBaseLsn);
  if (base === null) return escalate('the server has no differential base (no full backup of the database exists)');
  const full = sets.find((s) => s.type === 'full' && !s.isCopyOnly && s.checkpointLsn === base);
  if (!full) {
    const copyOnly = sets.some((s) => isFullBackup(s) && s.isCopyOnly && s.checkpointLsn === base);
    return escalate(copyOnly
      ? 'a copy-only full is never a differential base'
      : `the server's differential base (checkpoint LSN ${base}) is a full backup Lifeboat does not hold (taken by another tool, or removed)`);
  }
  const decision: TypeDecision = { type: 'diff', parentSetId: full.id };
  if (reasons.length) decision.escalatedBecause = reasons.join('; ');
  return decision;
}
