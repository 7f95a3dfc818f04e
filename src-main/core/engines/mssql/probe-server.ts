import type { ProbeResult } from '../engine.ts';
import type { MssqlSession } from './mssql-session.ts';
import { databaseState } from './database-state.ts';
import { str, type Row } from './run-statement.ts';
import * as q from './catalog-queries.ts';

/** Version, edition (Express or not), recovery model and log chain per database, recent msdb history. */
export async function probeServer(s: MssqlSession): Promise<ProbeResult> {
  const facts = await s.facts();
  const dbs = (await s.run(q.userDatabasesQuery(), { verb: 'probe', thing: 'server' })).map(databaseState);
  let history: Row[] = [];
  try { history = await s.runRaw(q.recentHistoryQuery(20)); } catch { /* msdb not readable by this login: no history */ }
  return {
    serverVersion: facts.version, versionMajor: facts.versionMajor, edition: facts.edition, dataChecksums: null,
    databases: dbs.map((d) => ({ name: d.name, sizeBytes: d.sizeBytes, recoveryModel: d.recoveryModel })),
    details: {
      engineEdition: facts.engineEdition, isExpress: facts.isExpress, nativeCompression: facts.nativeCompression, serverName: facts.serverName,
      serviceAccount: await s.serviceAccount(), encryptionWarning: s.encryptionWarning,
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
