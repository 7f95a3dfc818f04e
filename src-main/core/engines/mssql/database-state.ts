import type { ServerChainState } from './choose-backup-type.ts';
import { str, type Row } from './run-statement.ts';

/** One row of the databases query: what backup and restore decisions read about a database. */
export interface DatabaseState {
  name: string;
  recoveryModel: string;
  state: string;
  logReuseWait: string | null;
  sizeBytes: number;
  chain: ServerChainState;
}

export function databaseState(r: Row): DatabaseState {
  const name = String(r.name);
  const recoveryModel = String(r.recovery_model_desc ?? '');
  return {
    name, recoveryModel, state: String(r.state_desc ?? ''), logReuseWait: str(r.log_reuse_wait_desc), sizeBytes: Number(r.size_bytes ?? 0),
    chain: {
      database: name, recoveryModel, lastLogBackupLsn: str(r.last_log_backup_lsn), differentialBaseLsn: str(r.differential_base_lsn),
      recoveryForkId: str(r.recovery_fork_guid)?.toLowerCase() ?? null,
    },
  };
}
