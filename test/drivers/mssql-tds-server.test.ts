import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sql from 'mssql';
import { startTdsServer, type TdsTestServer } from '../support/tds-server/server.ts';
import { mssqlError } from '../../src-main/core/engines/mssql/mssql-errors.ts';

// The TDS test server, exercised through the real mssql/tedious stack: what the engine tests rely on.
let srv: TdsTestServer;
let dir: string;
const cfg = (s: TdsTestServer, password = 'Str0ng!Passw0rd'): sql.config => ({
  server: s.host, port: s.port, user: 'sa', password, database: 'master',
  options: { encrypt: false, trustServerCertificate: true }, requestTimeout: 10_000,
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tds-test-'));
  srv = await startTdsServer({ edition: 'standard', databases: [{ name: 'MES', recoveryModel: 'FULL', tables: { 'dbo.Orders': 1200, 'dbo.Lots': 40 } }, { name: 'Hist', recoveryModel: 'SIMPLE' }] });
});
afterAll(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TDS test server through mssql/tedious', () => {
  it('returns result sets with int, bigint, numeric, nvarchar, datetime2 and bit columns', async () => {
    const pool = await new sql.ConnectionPool(cfg(srv)).connect();
    try {
      const bak = path.join(dir, 'types.bak');
      await pool.request().input('db', sql.NVarChar, 'MES').input('path', sql.NVarChar, bak).input('label', sql.NVarChar, 'x').query('BACKUP DATABASE @db TO DISK = @path WITH CHECKSUM, NAME = @label');
      const h = (await pool.request().input('path', sql.NVarChar, bak).query('RESTORE HEADERONLY FROM DISK = @path')).recordset[0];
      expect(h.DatabaseName).toBe('MES');
      expect(h.BackupType).toBe(1);
      expect(h.IsCopyOnly).toBe(false);
      expect(h.HasBackupChecksums).toBe(true);
      expect(h.BackupFinishDate).toBeInstanceOf(Date);
      // numeric(25,0) becomes a lossy JS number in tedious: why the engine casts LSNs to varchar.
      const exact = srv.model.msdb.at(-1)!.firstLsn;
      expect(typeof h.FirstLSN).toBe('number');
      expect(BigInt(h.FirstLSN)).not.toBe(exact);
      const row = (await pool.request().input('db', sql.NVarChar, 'MES').query('SELECT d.name, d.recovery_model_desc FROM sys.databases d WHERE d.name = @db')).recordset[0];
      expect(row).toMatchObject({ name: 'MES', recovery_model_desc: 'FULL', size_bytes: '16777216' });
      expect(String(row.last_log_backup_lsn)).toMatch(/^\d{17}$/);
      const one = await pool.request().query('SELECT 42');
      expect(Object.values(one.recordset[0])).toEqual([42]);
    } finally {
      await pool.close();
    }
  });

  it('sends the error chain 4208 then 3013 for a log backup under SIMPLE recovery', async () => {
    const pool = await new sql.ConnectionPool(cfg(srv)).connect();
    try {
      const err = await pool.request().input('db', sql.NVarChar, 'Hist').input('path', sql.NVarChar, path.join(dir, 'h.trn')).query('BACKUP LOG @db TO DISK = @path WITH CHECKSUM').catch((e: unknown) => e) as sql.RequestError & { precedingErrors?: sql.RequestError[] };
      expect(err.number).toBe(3013);
      expect(err.precedingErrors?.map((e) => e.number)).toEqual([4208]);
      expect(fs.existsSync(path.join(dir, 'h.trn'))).toBe(false);
      // The engine's mapping keeps both messages, in order, and says what to do.
      const mapped = mssqlError(err, { verb: 'back up', thing: 'transaction log of database', where: 'Hist' });
      expect(mapped.code).toBe('ENGINE_UNSUPPORTED');
      expect(mapped.message).toBe("unable to back up transaction log of database 'Hist': The statement BACKUP LOG is not allowed while the recovery model is SIMPLE. Use BACKUP DATABASE or change the recovery model using ALTER DATABASE. (error 4208) BACKUP LOG is terminating abnormally. (error 3013)");
    } finally {
      await pool.close();
    }
  });

  it('refuses WITH COMPRESSION on Express (1844, 3013) and writes nothing', async () => {
    const express = await startTdsServer({ edition: 'express', databases: [{ name: 'MES' }] });
    const pool = await new sql.ConnectionPool(cfg(express)).connect();
    try {
      const file = path.join(dir, 'x.bak');
      const err = await pool.request().input('db', sql.NVarChar, 'MES').input('path', sql.NVarChar, file).query('BACKUP DATABASE @db TO DISK = @path WITH CHECKSUM, COMPRESSION').catch((e: unknown) => e) as sql.RequestError & { precedingErrors?: sql.RequestError[] };
      expect([...(err.precedingErrors ?? []).map((e) => e.number), err.number]).toEqual([1844, 3013]);
      expect(err.precedingErrors![0]!.message).toBe('BACKUP DATABASE WITH COMPRESSION is not supported on Express Edition (64-bit).');
      expect(fs.existsSync(file)).toBe(false);
      expect(express.model.msdb).toEqual([]);
    } finally {
      await pool.close();
      await express.stop();
    }
  });

  it('reports STATS as info messages and honours a cancel (ATTENTION)', async () => {
    const pool = await new sql.ConnectionPool(cfg(srv)).connect();
    srv.model.statsDelayMs = 150;
    try {
      const req = pool.request();
      const seen: number[] = [];
      req.on('info', (i: { number: number }) => {
        seen.push(i.number);
        if (seen.length === 2) req.cancel();
      });
      const err = await req.input('db', sql.NVarChar, 'MES').input('path', sql.NVarChar, path.join(dir, 'c.bak')).query('BACKUP DATABASE @db TO DISK = @path WITH CHECKSUM, STATS = 10').catch((e: unknown) => e) as { code?: string };
      expect(err.code).toBe('ECANCEL');
      expect(seen.slice(0, 2)).toEqual([3211, 3211]);
      expect(srv.attentions).toBeGreaterThan(0);
      // The session is still usable after the attention acknowledgement.
      const ok = await pool.request().query('SELECT 7');
      expect(Object.values(ok.recordset[0])).toEqual([7]);
    } finally {
      srv.model.statsDelayMs = 0;
      await pool.close();
    }
  });

  it('refuses a wrong password with 18456 and records every statement', async () => {
    const err = await new sql.ConnectionPool(cfg(srv, 'wrong')).connect().catch((e: unknown) => e) as { code?: string; message: string };
    expect(err.code).toBe('ELOGIN');
    expect(err.message).toBe("Login failed for user 'sa'.");
    expect(srv.logins.at(-1)).toMatchObject({ user: 'sa', ok: false });
    expect(srv.userStatements().map((s) => s.sql)).toContain('BACKUP LOG @db TO DISK = @path WITH CHECKSUM');
  });
});
