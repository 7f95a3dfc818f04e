import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type sql from 'mssql';
import type { Logger } from '../../util/logger.ts';
import { connectionConfig, type MssqlConfig } from './mssql-config.ts';
import { mssqlError, type ErrorContext } from './mssql-errors.ts';
import { runStatement, str, type Row, type RunOptions } from './run-statement.ts';
import { renderStatement, type Statement } from './statement.ts';
import { serverFacts, type ServerFacts } from './server-facts.ts';
import { databaseState, type DatabaseState } from './database-state.ts';
import { stagingPaths, type StagingPaths } from './staging.ts';
import * as q from './catalog-queries.ts';

export type RunContext = Omit<ErrorContext, 'where' | 'staging'> & { where?: string; staging?: boolean };

/**
 * One engine's connection to one SQL Server: a lazily opened pool, the server's facts read once, and the
 * staging folder seen from both sides. Every statement is logged (rendered, at debug level) before it runs.
 */
export class MssqlSession {
  readonly cfg: MssqlConfig;
  readonly where: string;
  logger: Logger | null = null;
  readonly #password: string | null;
  #pool: Promise<sql.ConnectionPool> | null = null;
  #facts: ServerFacts | null = null;
  #serviceAccount: string | null | undefined;
  #encryptionWarning: string | null = null;

  constructor(cfg: MssqlConfig, password: string | null) {
    this.cfg = cfg;
    this.#password = password;
    this.where = cfg.instanceName ? `${cfg.host}\\${cfg.instanceName}` : `${cfg.host}:${cfg.port}`;
  }

  /** Set once the session is known to be unencrypted; callers add it to their run's warnings. */
  get encryptionWarning(): string | null {
    return this.#encryptionWarning;
  }

  async pool(): Promise<sql.ConnectionPool> {
    if (!this.#pool) {
      // Loaded on first connection: the driver stack costs ~40 MB that PostgreSQL-only sites never need.
      this.#pool = import('mssql').then(async ({ default: mssql }) => {
        const pool = new mssql.ConnectionPool(connectionConfig(this.cfg, this.#password));
        pool.on('error', () => undefined);
        const p = await pool.connect();
        await this.#checkEncryption(p);
        return p;
      });
      this.#pool.catch(() => { this.#pool = null; });
    }
    try {
      return await this.#pool;
    } catch (err) {
      throw mssqlError(err, { verb: 'connect to', thing: 'SQL Server', where: this.where });
    }
  }

  /** A session that is not encrypted is reported on every run: on a plant network that is worth knowing. */
  async #checkEncryption(pool: sql.ConnectionPool): Promise<void> {
    let encrypted: boolean | null = null;
    try {
      const r = await runStatement(pool, q.sessionEncryptionQuery());
      encrypted = String(r[0]?.encrypt_option ?? '').toUpperCase() === 'TRUE';
    } catch { /* VIEW SERVER STATE missing: judge by the setting alone */ }
    if (this.cfg.encrypt === 'off' || encrypted === false) {
      this.#encryptionWarning = `the session to ${this.where} is not encrypted (encrypt=${this.cfg.encrypt}): logins and data cross the network in clear text`;
    }
  }

  /** Runs a statement; a failure keeps the raw driver error (callers that read SQL Server's messages). */
  async runRaw(s: Statement, opts: RunOptions = {}): Promise<Row[]> {
    const pool = await this.pool();
    this.logger?.log('debug', 'T-SQL', { sql: renderStatement(s) });
    return runStatement(pool, s, opts);
  }

  /** Runs a statement; a failure becomes a LifeboatError that explains it (with staging advice when asked). */
  async run(s: Statement, ctx: RunContext, opts: RunOptions = {}): Promise<Row[]> {
    try {
      return await this.runRaw(s, opts);
    } catch (err) {
      throw await this.explain(err, ctx);
    }
  }

  async explain(err: unknown, ctx: RunContext): Promise<Error> {
    const staging = ctx.staging ? { serverPath: this.cfg.stagingServerPath, serviceAccount: await this.serviceAccount() } : undefined;
    return mssqlError(err, { verb: ctx.verb, thing: ctx.thing, where: ctx.where ?? this.where, ...(staging ? { staging } : {}) });
  }

  async facts(): Promise<ServerFacts> {
    if (!this.#facts) this.#facts = serverFacts((await this.run(q.serverPropertiesQuery(), { verb: 'probe', thing: 'server' }))[0] ?? {});
    return this.#facts;
  }

  /** The SQL Server service account (it, not Lifeboat, reads and writes backup files); null without VIEW SERVER STATE. */
  async serviceAccount(): Promise<string | null> {
    if (this.#serviceAccount === undefined) {
      try {
        this.#serviceAccount = str((await this.runRaw(q.serviceAccountQuery()))[0]?.service_account);
      } catch {
        this.#serviceAccount = null;
      }
    }
    return this.#serviceAccount;
  }

  async database(name: string): Promise<DatabaseState | null> {
    const r = await this.run(q.databaseQuery(name), { verb: 'look up', thing: 'database', where: name });
    return r[0] ? databaseState(r[0]) : null;
  }

  paths(fileName: string): StagingPaths {
    return stagingPaths(this.cfg.stagingServerPath, this.cfg.stagingLocalPath, fileName);
  }

  /** Writes an artifact's raw bytes into staging for the server to read; the path is listed in `staged` first, for cleanup. */
  async stage(open: () => Promise<Readable>, fileName: string, staged: string[]): Promise<StagingPaths> {
    const p = this.paths(fileName);
    staged.push(p.localPath);
    await pipeline(await open(), fs.createWriteStream(p.localPath, { mode: 0o640 }));
    return p;
  }

  async close(): Promise<void> {
    const p = this.#pool;
    this.#pool = null;
    if (p) await (await p.catch(() => null))?.close().catch(() => undefined);
  }
}
