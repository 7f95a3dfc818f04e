import { statement, type Statement } from './statement.ts';

// Catalog queries. Every LSN is CAST to varchar in SQL: numeric(25,0) would reach JS as a lossy number.

export function serverPropertiesQuery(): Statement {
  return statement(
    "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, " +
    "CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition, " +
    "CAST(SERVERPROPERTY('EngineEdition') AS int) AS engine_edition, " +
    "CAST(SERVERPROPERTY('ServerName') AS nvarchar(256)) AS server_name, " +
    "CAST(SERVERPROPERTY('InstanceDefaultDataPath') AS nvarchar(4000)) AS default_data_path, " +
    "CAST(SERVERPROPERTY('InstanceDefaultLogPath') AS nvarchar(4000)) AS default_log_path, " +
    // One clock reading: two (UTC and local) could straddle a minute boundary.
    'DATEPART(TZOFFSET, SYSDATETIMEOFFSET()) AS utc_offset_minutes');
}

/** Needs VIEW SERVER STATE; a backup operator may lack it, so callers treat a failure as "unknown". */
export function serviceAccountQuery(): Statement {
  return statement("SELECT TOP (1) service_account FROM sys.dm_server_services WHERE servicename LIKE N'SQL Server (%'");
}

export function sessionEncryptionQuery(): Statement {
  return statement('SELECT encrypt_option FROM sys.dm_exec_connections WHERE session_id = @@SPID');
}

const DATABASES =
  'SELECT d.name, d.recovery_model_desc, d.state_desc, d.log_reuse_wait_desc, ' +
  'CAST(drs.last_log_backup_lsn AS varchar(30)) AS last_log_backup_lsn, ' +
  'CAST(drs.recovery_fork_guid AS varchar(36)) AS recovery_fork_guid, ' +
  'CAST(mf.differential_base_lsn AS varchar(30)) AS differential_base_lsn, ' +
  '(SELECT SUM(CAST(f.size AS bigint)) * 8192 FROM sys.master_files f WHERE f.database_id = d.database_id) AS size_bytes ' +
  'FROM sys.databases d ' +
  'LEFT JOIN sys.database_recovery_status drs ON drs.database_id = d.database_id ' +
  'LEFT JOIN sys.master_files mf ON mf.database_id = d.database_id AND mf.file_id = 1';

export function userDatabasesQuery(): Statement {
  return statement(`${DATABASES} WHERE d.database_id > 4 ORDER BY d.name`);
}

export function databaseQuery(database: string): Statement {
  return statement(`${DATABASES} WHERE d.name = @db`, [{ name: 'db', kind: 'string', value: database }]);
}

/** The msdb row of the backup just written to `serverPath`: its chain fields, as strings. */
export function backupRowQuery(database: string, serverPath: string): Statement {
  return statement(
    'SELECT TOP (1) CAST(bs.first_lsn AS varchar(30)) AS first_lsn, CAST(bs.last_lsn AS varchar(30)) AS last_lsn, ' +
    'CAST(bs.checkpoint_lsn AS varchar(30)) AS checkpoint_lsn, CAST(bs.database_backup_lsn AS varchar(30)) AS database_backup_lsn, ' +
    'CAST(bs.differential_base_lsn AS varchar(30)) AS differential_base_lsn, CAST(bs.last_recovery_fork_guid AS varchar(36)) AS recovery_fork_guid, ' +
    'bs.is_copy_only, bs.recovery_model, bs.type, bs.backup_size, bs.compressed_backup_size, bs.has_backup_checksums, bs.backup_start_date, bs.backup_finish_date ' +
    'FROM msdb.dbo.backupset bs JOIN msdb.dbo.backupmediafamily mf ON mf.media_set_id = bs.media_set_id ' +
    'WHERE mf.physical_device_name = @path AND bs.database_name = @db ORDER BY bs.backup_set_id DESC',
    [{ name: 'path', kind: 'string', value: serverPath }, { name: 'db', kind: 'string', value: database }]);
}

export function recentHistoryQuery(top: number): Statement {
  return statement(
    'SELECT TOP (@top) bs.database_name, bs.type, bs.is_copy_only, bs.name, bs.backup_start_date, bs.backup_finish_date, ' +
    'CAST(bs.first_lsn AS varchar(30)) AS first_lsn, CAST(bs.last_lsn AS varchar(30)) AS last_lsn, mf.physical_device_name ' +
    'FROM msdb.dbo.backupset bs JOIN msdb.dbo.backupmediafamily mf ON mf.media_set_id = bs.media_set_id ' +
    'ORDER BY bs.backup_finish_date DESC',
    [{ name: 'top', kind: 'int', value: top }]);
}
