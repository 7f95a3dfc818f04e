import type { BackupType } from '../../catalog/jobs-repo.ts';
import { quoteName } from './quote.ts';
import { statement, type Statement } from './statement.ts';

export interface BackupStatementInput {
  database: string;
  /** The staging file as the server sees it. */
  serverPath: string;
  type: BackupType;
  compression: boolean;
  /** NAME = …: tags Lifeboat's rows in msdb.dbo.backupset apart from other tools' backups. */
  label: string;
  stats: number;
}

/**
 * BACKUP in Ola Hallengren's shape. INIT, FORMAT: a leftover file of the same name is overwritten, never
 * appended to (a second backup set in one file would make RESTORE read the wrong one). COMPRESSION is
 * omitted entirely where the edition lacks it (Express): Lifeboat then compresses while shipping.
 */
export function backupStatement(i: BackupStatementInput): Statement {
  const what = i.type === 'log' ? 'LOG' : 'DATABASE';
  const opts = ['CHECKSUM'];
  if (i.compression) opts.push('COMPRESSION');
  if (i.type === 'diff') opts.push('DIFFERENTIAL');
  if (i.type === 'copy-only') opts.push('COPY_ONLY');
  opts.push('INIT', 'FORMAT', 'NAME = @label', `STATS = ${Math.max(1, Math.min(100, Math.trunc(i.stats)))}`);
  return statement(`BACKUP ${what} @db TO DISK = @path WITH ${opts.join(', ')}`, [
    { name: 'db', kind: 'ident', value: i.database },
    { name: 'path', kind: 'string', value: i.serverPath },
    { name: 'label', kind: 'string', value: i.label },
  ]);
}

/** Tail-log backup before restoring over a database: leaves it RESTORING, so no change is lost after it. */
export function tailLogStatement(database: string, serverPath: string): Statement {
  return statement('BACKUP LOG @db TO DISK = @path WITH NORECOVERY, CHECKSUM, INIT, FORMAT', [
    { name: 'db', kind: 'ident', value: database },
    { name: 'path', kind: 'string', value: serverPath },
  ]);
}

export function checkDbStatement(database: string): Statement {
  // DBCC takes no variables for the database: the name is quoted into the text.
  return statement(`DBCC CHECKDB (${quoteName(database)}) WITH ALL_ERRORMSGS, NO_INFOMSGS`);
}

export function dropDatabaseStatement(database: string): Statement {
  return statement(`DROP DATABASE ${quoteName(database)}`);
}

export function singleUserStatement(database: string): Statement {
  return statement(`ALTER DATABASE ${quoteName(database)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE`);
}

export function countRowsStatement(database: string, schema: string, table: string): Statement {
  return statement(`SELECT CAST(COUNT_BIG(*) AS varchar(20)) AS row_count FROM ${quoteName(database)}.${quoteName(schema)}.${quoteName(table)}`);
}

/** The largest user tables by row count (approximate, from partitions): which tables get an exact count. */
export function largestTablesStatement(database: string, top: number): Statement {
  const d = quoteName(database);
  return statement(
    `SELECT TOP (@top) s.name AS schema_name, t.name AS table_name FROM ${d}.sys.tables t ` +
    `JOIN ${d}.sys.schemas s ON s.schema_id = t.schema_id JOIN ${d}.sys.partitions p ON p.object_id = t.object_id AND p.index_id IN (0, 1) ` +
    'WHERE t.is_ms_shipped = 0 GROUP BY s.name, t.name ORDER BY SUM(p.rows) DESC, s.name, t.name',
    [{ name: 'top', kind: 'int', value: Math.max(0, Math.trunc(top)) }],
  );
}

export function multiUserStatement(database: string): Statement {
  return statement(`ALTER DATABASE ${quoteName(database)} SET MULTI_USER`);
}

/** Renames the database only; physical file names stay as they are. */
export function renameDatabaseStatement(from: string, to: string): Statement {
  return statement(`ALTER DATABASE ${quoteName(from)} MODIFY NAME = ${quoteName(to)}`);
}

/**
 * A drill's probe query, run in the (scratch) database inside a transaction that is always rolled back:
 * XACT_ABORT ends it on any error, so a probe can read but never keep a change.
 */
export function probeQueryStatement(database: string, sql: string): Statement {
  return statement(`SET XACT_ABORT ON; BEGIN TRANSACTION; EXEC ${quoteName(database)}.sys.sp_executesql @probe; ROLLBACK TRANSACTION;`, [
    { name: 'probe', kind: 'string', value: sql },
  ]);
}
