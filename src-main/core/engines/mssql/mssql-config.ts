import { z } from 'zod';
import type sql from 'mssql';

export const mssqlConfigSchema = z.object({
  host: z.string().min(1, 'host is required'),
  port: z.coerce.number().int().min(1).max(65535).default(1433),
  /** A named instance (SQLEXPRESS): resolved through SQL Browser on UDP 1434 when given. */
  instanceName: z.string().min(1).max(128).nullish(),
  user: z.string().min(1, 'user is required'),
  /** 'sql': a SQL login. 'ntlm': a Windows account with explicit domain credentials (tedious speaks NTLM). */
  authentication: z.enum(['sql', 'ntlm']).default('sql'),
  domain: z.string().min(1).nullish(),
  /** 'strict': TDS 8, TLS before anything else; 'on': TLS requested (older servers may fall back); 'off': plaintext. */
  encrypt: z.enum(['strict', 'on', 'off']).default('on'),
  trustServerCertificate: z.boolean().default(false),
  /** The staging folder as SQL Server sees it (BACKUP ... TO DISK writes here), e.g. D:\\LifeboatStaging or a UNC path. */
  stagingServerPath: z.string().min(1, 'stagingServerPath is required'),
  /** The same folder as Lifeboat reads it: the same path on the same host, otherwise the share. */
  stagingLocalPath: z.string().min(1, 'stagingLocalPath is required'),
  connectTimeoutSeconds: z.number().int().positive().optional(),
  statsPercent: z.number().int().min(1).max(100).default(10),
}).refine((c) => c.authentication !== 'ntlm' || !!c.domain, { message: 'domain is required with NTLM authentication', path: ['domain'] });

export type MssqlConfig = z.infer<typeof mssqlConfigSchema>;

/**
 * The mssql/tedious connection settings. Windows integrated authentication (the service's own identity,
 * no password) needs the optional native msnodesqlv8 driver and is not offered here; NTLM with an explicit
 * domain account works over tedious. The password goes only into this in-process object, never to argv.
 */
export function connectionConfig(cfg: MssqlConfig, password: string | null): sql.config {
  const base: sql.config = {
    server: cfg.host,
    database: 'master',
    connectionTimeout: (cfg.connectTimeoutSeconds ?? 15) * 1000,
    // BACKUP, RESTORE and DBCC run as long as they need: no request timeout (the cookbook's advice).
    requestTimeout: 0,
    pool: { min: 0, max: 2, idleTimeoutMillis: 30_000 },
    options: {
      encrypt: cfg.encrypt === 'strict' ? 'strict' : cfg.encrypt === 'on',
      trustServerCertificate: cfg.trustServerCertificate,
      appName: 'lifeboat',
      enableArithAbort: true,
      ...(cfg.instanceName ? { instanceName: cfg.instanceName } : {}),
    },
  };
  if (!cfg.instanceName) base.port = cfg.port;
  if (cfg.authentication === 'ntlm') {
    base.authentication = { type: 'ntlm', options: { userName: cfg.user, password: password ?? '', domain: cfg.domain ?? '' } };
  } else {
    base.user = cfg.user;
    base.password = password ?? '';
  }
  return base;
}
