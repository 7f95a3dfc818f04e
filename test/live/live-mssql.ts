import sql from 'mssql';
import { mssqlConfigSchema, connectionConfig, type MssqlConfig } from '../../src-main/core/engines/mssql/mssql-config.ts';
import { quoteName } from '../../src-main/core/engines/mssql/quote.ts';

export const LIVE_URL_HELP =
  'LIFEBOAT_MSSQL_URL is not set: the live suite needs a real SQL Server, e.g. ' +
  "LIFEBOAT_MSSQL_URL='mssql://sa:P%40ssw0rd@127.0.0.1:1433/?stagingServerPath=C:%5CLifeboatStaging&stagingLocalPath=C:%5CLifeboatStaging&encrypt=on&trustServerCertificate=true' " +
  'npm run test:mssql-live (see test/live/README.md)';

export interface LiveTarget { config: MssqlConfig; password: string }

/**
 * mssql://user:password@host[:port]/?stagingServerPath=…&stagingLocalPath=…[&instanceName=…][&encrypt=strict|on|off]
 * [&trustServerCertificate=true][&authentication=ntlm&domain=…]. The password is URL-encoded.
 */
export function parseLiveUrl(url: string): LiveTarget {
  const u = new URL(url);
  if (u.protocol !== 'mssql:' && u.protocol !== 'sqlserver:') throw new Error(`LIFEBOAT_MSSQL_URL must start with mssql:// (got ${u.protocol})`);
  const q = Object.fromEntries(u.searchParams.entries());
  const config = mssqlConfigSchema.parse({
    host: u.hostname, ...(u.port ? { port: Number(u.port) } : {}), user: decodeURIComponent(u.username),
    ...q, ...(q.trustServerCertificate ? { trustServerCertificate: q.trustServerCertificate === 'true' } : {}),
  });
  return { config, password: decodeURIComponent(u.password) };
}

/** A direct connection for the test's own setup (creating and filling scratch databases). */
export async function adminPool(t: LiveTarget): Promise<sql.ConnectionPool> {
  return new sql.ConnectionPool(connectionConfig(t.config, t.password)).connect();
}

export async function createScratchDatabase(pool: sql.ConnectionPool, name: string, recovery: 'FULL' | 'SIMPLE'): Promise<void> {
  const q = quoteName(name);
  await pool.request().batch(`CREATE DATABASE ${q}`);
  await pool.request().batch(`ALTER DATABASE ${q} SET RECOVERY ${recovery}`);
  await pool.request().batch(`CREATE TABLE ${q}.dbo.Orders (id int IDENTITY PRIMARY KEY, note nvarchar(100) NOT NULL, at datetime2 NOT NULL DEFAULT SYSDATETIME())`);
}

export async function insertRows(pool: sql.ConnectionPool, database: string, n: number): Promise<void> {
  await pool.request().input('n', sql.Int, n).query(
    `INSERT INTO ${quoteName(database)}.dbo.Orders (note) SELECT TOP (@n) N'Auftrag Ü' FROM sys.all_objects a CROSS JOIN sys.all_objects b`);
}

export async function dropIfExists(pool: sql.ConnectionPool, name: string): Promise<void> {
  const r = await pool.request().input('db', sql.NVarChar, name).query('SELECT state_desc FROM sys.databases WHERE name = @db');
  if (!r.recordset.length) return;
  if (r.recordset[0].state_desc === 'ONLINE') await pool.request().batch(`ALTER DATABASE ${quoteName(name)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE`);
  await pool.request().batch(`DROP DATABASE ${quoteName(name)}`);
}
