import type { Cell } from './tokens.ts';
import type { ParamValue } from './requests.ts';
import { dottedName, isWord, SqlSyntaxError, type Tok } from './tsql-lexer.ts';
import { msg } from './errors.ts';
import type { ServerModel } from './model.ts';
import { col, errors, type Out } from './out.ts';

// Answers to the catalog queries the engine sends, with the real catalog views' column names.

export function serverProperties(m: ServerModel): Out[] {
  return [{
    kind: 'rows',
    columns: [col('product_version', 'nvarchar'), col('edition', 'nvarchar'), col('engine_edition', 'int'), col('server_name', 'nvarchar'),
      col('default_data_path', 'nvarchar'), col('default_log_path', 'nvarchar'), col('utc_offset_minutes', 'int')],
    rows: [[m.version, m.editionName, m.engineEdition, m.serverName, m.dataPath, m.logPath, m.utcOffsetMinutes]],
  }];
}

export function databases(m: ServerModel, params: Record<string, ParamValue>): Out[] {
  const system = new Set(['master', 'model', 'msdb', 'tempdb']);
  const list = [...m.databases.values()]
    .filter((d) => ('db' in params ? d.name.toLowerCase() === String(params.db).toLowerCase() : !system.has(d.name.toLowerCase())))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [{
    kind: 'rows',
    columns: [col('name', 'nvarchar'), col('recovery_model_desc', 'nvarchar'), col('state_desc', 'nvarchar'), col('log_reuse_wait_desc', 'nvarchar'),
      col('last_log_backup_lsn', 'nvarchar'), col('recovery_fork_guid', 'nvarchar'), col('differential_base_lsn', 'nvarchar'), col('size_bytes', 'bigint')],
    rows: list.map((d) => [
      d.name, d.recoveryModel, d.state,
      d.recoveryModel !== 'SIMPLE' && d.lastLogBackupLsn !== null && d.lsn > d.lastLogBackupLsn ? 'LOG_BACKUP' : 'NOTHING',
      d.state === 'ONLINE' && d.lastLogBackupLsn !== null ? d.lastLogBackupLsn.toString() : null,
      d.state === 'ONLINE' ? d.recoveryForkId : null,
      d.differentialBaseLsn?.toString() ?? null,
      d.files.reduce((n, f) => n + f.sizeBytes, 0),
    ]),
  }];
}


export function history(m: ServerModel, text: string, params: Record<string, ParamValue>): Out[] {
  let rows = [...m.msdb].reverse();
  if ('db' in params) rows = rows.filter((r) => r.databaseName.toLowerCase() === String(params.db).toLowerCase());
  if (text.includes('physical_device_name = @path')) {
    rows = rows.filter((r) => r.physicalDeviceName === String(params.path)).slice(0, 1);
    return [{
      kind: 'rows',
      columns: [col('first_lsn', 'nvarchar'), col('last_lsn', 'nvarchar'), col('checkpoint_lsn', 'nvarchar'), col('database_backup_lsn', 'nvarchar'),
        col('differential_base_lsn', 'nvarchar'), col('recovery_fork_guid', 'nvarchar'), col('is_copy_only', 'bit'), col('recovery_model', 'nvarchar'),
        col('type', 'nvarchar'), col('backup_size', 'numeric'), col('compressed_backup_size', 'numeric'), col('has_backup_checksums', 'bit'),
        col('backup_start_date', 'datetime2'), col('backup_finish_date', 'datetime2')],
      rows: rows.map((r) => [r.firstLsn.toString(), r.lastLsn.toString(), r.checkpointLsn.toString(), r.databaseBackupLsn.toString(),
        r.differentialBaseLsn?.toString() ?? null, r.recoveryForkId, r.isCopyOnly, r.recoveryModel, r.type, r.backupSize, r.backupSize, true,
        m.localTime(r.start), m.localTime(r.finish)]),
    }];
  }
  const top = typeof params.top === 'number' ? params.top : 20;
  return [{
    kind: 'rows',
    columns: [col('database_name', 'nvarchar'), col('type', 'nvarchar'), col('is_copy_only', 'bit'), col('name', 'nvarchar'),
      col('backup_start_date', 'datetime2'), col('backup_finish_date', 'datetime2'), col('first_lsn', 'nvarchar'), col('last_lsn', 'nvarchar'),
      col('physical_device_name', 'nvarchar')],
    rows: rows.slice(0, top).map((r) => [r.databaseName, r.type, r.isCopyOnly, r.name, m.localTime(r.start), m.localTime(r.finish),
      r.firstLsn.toString(), r.lastLsn.toString(), r.physicalDeviceName]),
  }];
}

/** [db].sys.tables …: the database named right before `.sys.tables`. */
export function largestTables(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
  const i = toks.findIndex((t, n) => t.t === 'ident' && toks[n + 2]?.t === 'word' && toks[n + 2]!.v.toLowerCase() === 'sys' && toks[n + 4]?.t === 'word' && toks[n + 4]!.v.toLowerCase() === 'tables');
  const db = i >= 0 ? m.db(toks[i]!.v) : undefined;
  if (!db || db.state !== 'ONLINE') return errors([msg.noDatabase(i >= 0 ? toks[i]!.v : '?')]);
  const top = typeof params.top === 'number' ? params.top : 10;
  const rows = [...db.tables.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top)
    .map(([k]) => { const dot = k.indexOf('.'); return [k.slice(0, dot), k.slice(dot + 1)] as Cell[]; });
  return [{ kind: 'rows', columns: [col('schema_name', 'nvarchar'), col('table_name', 'nvarchar')], rows }];
}

/** COUNT(*) or COUNT_BIG(*) of [db].[schema].[table], or of schema.table in the current database. */
export function countRows(m: ServerModel, toks: Tok[], dbContext: string, asText: boolean): Out[] {
  const f = toks.findIndex((t) => isWord(t, 'FROM'));
  const parts = dottedName(toks, f + 1);
  if (f < 0 || parts.length === 0) throw new SqlSyntaxError("Incorrect syntax near 'FROM'.");
  const [d, s, t] = parts.length === 3 ? parts : parts.length === 2 ? [dbContext, ...parts] : [dbContext, 'dbo', parts[0]!];
  const db = m.db(d!);
  if (!db || db.state !== 'ONLINE') return errors([msg.noDatabase(d!)]);
  const n = db.tables.get(`${s}.${t}`);
  if (n === undefined) return errors([msg.invalidObject(parts.join('.'))]);
  return asText ? [{ kind: 'rows', columns: [col('row_count', 'nvarchar')], rows: [[String(n)]] }] : [{ kind: 'rows', columns: [col('', 'int')], rows: [[n]] }];
}
