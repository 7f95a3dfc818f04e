import { describe, expect, it } from 'vitest';
import { connectionConfig, mssqlConfigSchema } from '../../src-main/core/engines/mssql/mssql-config.ts';
import { mssqlError } from '../../src-main/core/engines/mssql/mssql-errors.ts';
import { serverLocalText, stagingFileName, stagingPaths } from '../../src-main/core/engines/mssql/staging.ts';
import { serverFacts } from '../../src-main/core/engines/mssql/server-facts.ts';

const base = { host: 'plant-sql01', user: 'lifeboat', stagingServerPath: 'D:\\Staging', stagingLocalPath: '\\\\plant-sql01\\Staging' };

describe('SQL Server connection settings', () => {
  it('SQL login: password only in the in-process config, encryption on by default, no request timeout', () => {
    const c = connectionConfig(mssqlConfigSchema.parse(base), 's3cret');
    expect(c).toMatchObject({ server: 'plant-sql01', port: 1433, user: 'lifeboat', password: 's3cret', requestTimeout: 0, options: { encrypt: true, trustServerCertificate: false, appName: 'lifeboat' } });
  });

  it('maps strict / on / off encryption and named instances', () => {
    expect(connectionConfig(mssqlConfigSchema.parse({ ...base, encrypt: 'strict' }), null).options?.encrypt).toBe('strict');
    expect(connectionConfig(mssqlConfigSchema.parse({ ...base, encrypt: 'off' }), null).options?.encrypt).toBe(false);
    const named = connectionConfig(mssqlConfigSchema.parse({ ...base, instanceName: 'SQLEXPRESS' }), null);
    expect(named.port).toBeUndefined();
    expect(named.options?.instanceName).toBe('SQLEXPRESS');
  });

  it('NTLM needs a domain and passes explicit credentials to tedious', () => {
    expect(mssqlConfigSchema.safeParse({ ...base, authentication: 'ntlm' }).success).toBe(false);
    const c = connectionConfig(mssqlConfigSchema.parse({ ...base, authentication: 'ntlm', domain: 'PLANT' }), 'pw');
    expect(c.authentication).toEqual({ type: 'ntlm', options: { userName: 'lifeboat', password: 'pw', domain: 'PLANT' } });
    expect(c.user).toBeUndefined();
  });

  it('rejects a config without staging folders, naming the field', () => {
    const r = mssqlConfigSchema.safeParse({ host: 'h', user: 'u' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['stagingServerPath', 'stagingLocalPath']);
  });
});

describe('staging paths and server time', () => {
  it('joins the server path with the server separator and the local path with this machine\'s', () => {
    expect(stagingPaths('D:\\Staging\\', '/mnt/staging', 'a.bak')).toEqual({ serverPath: 'D:\\Staging\\a.bak', localPath: '/mnt/staging/a.bak' });
    expect(stagingPaths('/var/opt/mssql/staging', '/srv/st', 'a.bak').serverPath).toBe('/var/opt/mssql/staging/a.bak');
    expect(stagingFileName("M]E'S/x", 'log', new Date('2026-03-01T14:15:00Z'))).toMatch(/^M]E'S_x_LOG_20260301T141500Z_[0-9a-f]{6}\.trn$/);
    expect(stagingFileName('MES', 'copy-only', new Date('2026-03-01T14:15:00Z'))).toMatch(/^MES_FULL_COPY_ONLY_20260301T141500Z_[0-9a-f]{6}\.bak$/);
  });

  it('renders STOPAT in the server\'s local time', () => {
    expect(serverLocalText(new Date('2026-03-01T14:22:00.250Z'), 60)).toBe('2026-03-01T15:22:00.250');
    expect(serverLocalText(new Date('2026-03-01T02:00:00.000Z'), -300)).toBe('2026-02-28T21:00:00.000');
  });

  it('knows which editions compress backups natively', () => {
    const f = (edition: string, engine_edition: number) => serverFacts({ product_version: '15.0.2000.5', edition, engine_edition }).nativeCompression;
    expect(f('Express Edition (64-bit)', 4)).toBe(false);
    expect(f('Express Edition with Advanced Services (64-bit)', 4)).toBe(false);
    expect(f('Web Edition (64-bit)', 2)).toBe(false);
    expect(f('Standard Edition (64-bit)', 2)).toBe(true);
    expect(f('Developer Edition (64-bit)', 3)).toBe(true);
  });
});

describe('SQL Server error mapping', () => {
  const chain = (...m: [number, string][]) => {
    const errs = m.map(([number, message]) => Object.assign(new Error(message), { number, code: 'EREQUEST' }));
    return Object.assign(errs.at(-1)!, { precedingErrors: errs.slice(0, -1) });
  };

  it('keeps the whole chain in order and adds what to do', () => {
    const e = mssqlError(chain([4208, 'The statement BACKUP LOG is not allowed while the recovery model is SIMPLE.'], [3013, 'BACKUP LOG is terminating abnormally.']), { verb: 'back up', thing: 'database', where: 'Hist' });
    expect(e.code).toBe('ENGINE_UNSUPPORTED');
    expect(e.message).toBe("unable to back up database 'Hist': The statement BACKUP LOG is not allowed while the recovery model is SIMPLE. (error 4208) BACKUP LOG is terminating abnormally. (error 3013)");
    expect(e.hint).toContain('SIMPLE');
  });

  it('explains staging permissions with the service account', () => {
    const e = mssqlError(chain([3201, "Cannot open backup device '\\\\nas\\b\\x.bak'. Operating system error 5(Access is denied.)."], [3013, 'BACKUP DATABASE is terminating abnormally.']),
      { verb: 'back up', thing: 'database', where: 'MES', staging: { serverPath: '\\\\nas\\b', serviceAccount: 'NT Service\\MSSQLSERVER' } });
    expect(e.code).toBe('STAGING_DENIED');
    expect(e.hint).toContain('NT Service\\MSSQLSERVER');
    expect(e.hint).toContain('Modify permission on \\\\nas\\b');
  });

  it('classifies login, cancel, chain and unreachable failures', () => {
    expect(mssqlError(Object.assign(new Error("Login failed for user 'x'."), { code: 'ELOGIN' }), { verb: 'connect to', thing: 'SQL Server', where: 'h' }).code).toBe('SOURCE_AUTH_FAILED');
    expect(mssqlError(Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }), { verb: 'v', thing: 't', where: 'w' }).code).toBe('INTERRUPTED');
    expect(mssqlError(Object.assign(new Error('Failed to connect to h:1433 - connect ECONNREFUSED'), { code: 'ESOCKET' }), { verb: 'v', thing: 't', where: 'w' }).code).toBe('SOURCE_UNREACHABLE');
    expect(mssqlError(chain([4305, 'The log in this backup set begins at LSN 1, which is too recent'], [3013, 'RESTORE LOG is terminating abnormally.']), { verb: 'v', thing: 't', where: 'w' }).code).toBe('CHAIN_BROKEN');
    expect(mssqlError(chain([1844, 'BACKUP DATABASE WITH COMPRESSION is not supported on Express Edition (64-bit).'], [3013, 'x']), { verb: 'v', thing: 't', where: 'w' }).code).toBe('ENGINE_UNSUPPORTED');
  });
});
