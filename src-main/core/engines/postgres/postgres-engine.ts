import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { LifeboatError, isLifeboatError } from '../../errors/lifeboat-error.ts';
import { runTool, toolOutput, ToolExitError } from '../../util/child.ts';
import type { Probe } from '../../repo/manifest.ts';
import type {
  ArtifactSink, BackupOutcome, BackupRequest, DatabaseEngine, EngineCapabilities, EngineRestoreRequest, EngineRestoreResult,
  EngineVerifyRequest, EngineVerifyResult, PlannableSet, ProbeResult, RestorePlan,
} from '../engine.ts';
import { choosePgTools, installedPgDumps, type InstalledPgDump, type PgTools } from './pg-tools.ts';
import { pgError } from './pg-errors.ts';
import { removePgpass, writePgpass } from './pgpass.ts';
import { quoteIdent } from './quote.ts';
import { planLogicalRestore } from './plan-logical-restore.ts';

export interface PostgresConfig {
  host: string;
  port: number;
  user: string;
  maintenanceDb: string;
  sslmode?: 'disable' | 'prefer' | 'require' | 'verify-full' | undefined;
  toolsDir?: string | null | undefined;
  connectTimeoutSeconds?: number | undefined;
}

/** A conninfo string naming only the database: safe for any name, including ones with '=', quotes or spaces. */
function conninfoDbname(name: string): string {
  return `dbname='${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export const POSTGRES_CAPABILITIES: EngineCapabilities = { artifact: 'stream', pitr: false, nativeCompression: false, differential: false, log: false };

export class PostgresEngine implements DatabaseEngine {
  readonly kind = 'postgres';
  readonly capabilities = POSTGRES_CAPABILITIES;
  readonly #cfg: PostgresConfig;
  readonly #password: string | null;
  readonly #where: string;
  #installed: Promise<InstalledPgDump[]> | undefined;

  constructor(cfg: PostgresConfig, password: string | null) {
    this.#cfg = cfg;
    this.#password = password;
    this.#where = `${cfg.host}:${cfg.port}`;
  }

  async #connect(database: string, verb = 'connect to', thing = 'database'): Promise<pg.Client> {
    const c = new pg.Client({
      host: this.#cfg.host, port: this.#cfg.port, user: this.#cfg.user, database, application_name: 'lifeboat',
      ...(this.#password !== null ? { password: this.#password } : {}),
      connectionTimeoutMillis: (this.#cfg.connectTimeoutSeconds ?? 15) * 1000,
      ...(this.#cfg.sslmode && this.#cfg.sslmode !== 'disable' && this.#cfg.sslmode !== 'prefer'
        ? { ssl: { rejectUnauthorized: this.#cfg.sslmode === 'verify-full' } } : {}),
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return c;
    } catch (err) {
      await c.end().catch(() => undefined);
      throw pgError(err, verb, thing, `${database} on ${this.#where}`);
    }
  }

  async #serverMajor(client: pg.Client): Promise<{ version: string; major: number }> {
    const r = await client.query<{ v: string; n: string }>("SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n");
    return { version: r.rows[0]!.v, major: Math.floor(Number(r.rows[0]!.n) / 10000) };
  }

  /** The client tools installed here, looked up once per engine and begun before they are needed (see backup). */
  #installedTools(): Promise<InstalledPgDump[]> {
    if (!this.#installed) {
      this.#installed = installedPgDumps(this.#cfg.toolsDir);
      this.#installed.catch(() => undefined);
    }
    return this.#installed;
  }

  async #toolsFor(major: number): Promise<PgTools> {
    return choosePgTools(await this.#installedTools(), major, this.#cfg.toolsDir);
  }

  /** Environment for libpq tools: connection through PG* variables, the password through a pgpass file. */
  #toolEnv(workDir: string, database: string): { env: NodeJS.ProcessEnv; pgpass: string | null } {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('PG')) delete env[k];
    const pgpass = this.#password !== null ? writePgpass(workDir, this.#cfg.host, this.#cfg.port, this.#cfg.user, this.#password) : null;
    Object.assign(env, {
      PGHOST: this.#cfg.host, PGPORT: String(this.#cfg.port), PGUSER: this.#cfg.user, PGDATABASE: database,
      PGAPPNAME: 'lifeboat', PGCONNECT_TIMEOUT: String(this.#cfg.connectTimeoutSeconds ?? 15),
      ...(this.#cfg.sslmode ? { PGSSLMODE: this.#cfg.sslmode } : {}),
      ...(pgpass ? { PGPASSFILE: pgpass } : {}),
    });
    return { env, pgpass };
  }

  async probe(): Promise<ProbeResult> {
    const c = await this.#connect(this.#cfg.maintenanceDb, 'probe', 'server');
    try {
      const { version, major } = await this.#serverMajor(c);
      const cs = await c.query<{ v: string }>("SELECT current_setting('data_checksums') AS v");
      const dbs = await c.query<{ name: string; size: string }>(
        "SELECT datname AS name, pg_database_size(oid)::text AS size FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname");
      const rec = await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
      return {
        serverVersion: version, versionMajor: major, edition: null, dataChecksums: cs.rows[0]!.v === 'on',
        databases: dbs.rows.map((d) => ({ name: d.name, sizeBytes: Number(d.size) })),
        details: { inRecovery: rec.rows[0]!.r },
      };
    } catch (err) {
      throw pgError(err, 'probe', 'server', this.#where);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async backup(req: BackupRequest, sink: ArtifactSink): Promise<BackupOutcome> {
    if (req.type !== 'full' && req.type !== 'copy-only') {
      throw new LifeboatError('ENGINE_UNSUPPORTED', { verb: 'back up', thing: 'database', where: req.database, cause: `PostgreSQL logical backups are full; '${req.type}' needs base backups with WAL archiving` });
    }
    const where = `${req.database} on ${this.#where}`;
    // Asking each pg_dump its version takes process starts: they run while the connection is made.
    this.#installedTools();
    const c = await this.#connect(req.database, 'back up', 'database');
    let pgpass: string | null = null;
    try {
      const { version, major } = await this.#serverMajor(c);
      const tools = await this.#toolsFor(major);
      // One exported snapshot: pg_dump and the row-count probes see exactly the same data, so the counts
      // recorded in the manifest are what a restore of this dump must show.
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snap = (await c.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
      const warnings: string[] = [];
      const tool = this.#toolEnv(req.workDir, req.database);
      pgpass = tool.pgpass;
      req.onProgress?.({ phase: 'dump' });
      // The counts run on this connection while pg_dump streams: both read the same snapshot.
      const counting = this.#snapshotCounts(c, req.probeTables, warnings);
      counting.catch(() => undefined);
      const dump = sink.program('data.dump', 'dump', {
        file: tools.pgDump, args: ['--format=custom', '--compress=0', '--no-password', `--snapshot=${snap}`], env: tool.env, toolName: 'pg_dump', largeWrites: true,
      });
      // Roles and tablespaces are outside any database snapshot, so pg_dumpall runs alongside the dump, not after.
      const globals = req.includeGlobals ? this.#dumpGlobals(tools.pgDumpall, tool.env, req.includeRolePasswords, sink) : null;
      globals?.catch(() => undefined);
      try {
        await dump;
      } catch (err) {
        // Nothing may still be writing to the targets when the runner removes what this set left there.
        await globals?.catch(() => undefined);
        // A target's own failure (full, unreachable) is the cause; pg_dump then only died of a broken pipe.
        throw isLifeboatError(err) ? err : pgError(err, 'back up', 'database', where);
      }
      const probes = await counting;
      await c.query('COMMIT');
      await globals;
      return { type: req.type, parentSetId: null, serverVersion: version, toolVersions: { pg_dump: tools.version }, probes, chain: { snapshot: snap }, warnings };
    } catch (err) {
      throw isLifeboatError(err) ? err : pgError(err, 'back up', 'database', where);
    } finally {
      removePgpass(pgpass);
      await c.end().catch(() => undefined);
    }
  }

  async #dumpGlobals(pgDumpall: string, env: NodeJS.ProcessEnv, withPasswords: boolean, sink: ArtifactSink): Promise<void> {
    const args = ['--globals-only', '--no-password', `--database=${this.#cfg.maintenanceDb}`];
    if (!withPasswords) args.push('--no-role-passwords');
    try {
      await sink.program('globals.sql', 'globals', { file: pgDumpall, args, env, toolName: 'pg_dumpall' });
    } catch (err) {
      throw isLifeboatError(err) ? err : pgError(err, 'dump', 'roles and tablespaces', this.#where);
    }
  }

  async #snapshotCounts(c: pg.Client, limit: number, warnings: string[]): Promise<Probe[]> {
    if (limit <= 0) return [];
    const tables = await c.query<{ schema: string; table: string }>(`
      SELECT n.nspname AS schema, cl.relname AS table
      FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE cl.relkind IN ('r', 'p') AND NOT cl.relispartition
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      ORDER BY pg_total_relation_size(cl.oid) DESC, n.nspname, cl.relname
      LIMIT $1`, [limit]);
    // A count is one scan: compiling it (JIT, past jit_above_cost on a large table) costs more than it saves.
    // Nor does it get parallel workers: pg_dump is reading the same server meanwhile, and on the historian
    // table two workers and a leader used three times the CPU of one scan (0.75 s against 0.2 s) for a
    // count nobody waits on.
    await c.query('SET LOCAL jit = off');
    await c.query('SET LOCAL max_parallel_workers_per_gather = 0');
    const out: Probe[] = [];
    for (const t of tables.rows) {
      // A savepoint per count: a table we may not read must not abort the snapshot transaction.
      await c.query('SAVEPOINT probe');
      try {
        const r = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.table)}`);
        out.push({ schema: t.schema, table: t.table, rows: Number(r.rows[0]!.n) });
        await c.query('RELEASE SAVEPOINT probe');
      } catch (err) {
        await c.query('ROLLBACK TO SAVEPOINT probe');
        warnings.push(`row count of ${t.schema}.${t.table} skipped: ${(err as Error).message}`);
      }
    }
    return out;
  }

  async countRows(database: string, tables: ReadonlyArray<{ schema: string; table: string }>): Promise<Probe[]> {
    const c = await this.#connect(database, 'check', 'database');
    try {
      const out: Probe[] = [];
      for (const t of tables) {
        try {
          const r = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.table)}`);
          out.push({ schema: t.schema, table: t.table, rows: Number(r.rows[0]!.n) });
        } catch (err) {
          if ((err as { code?: string }).code === '42P01') out.push({ schema: t.schema, table: t.table, rows: -1 });
          else throw err;
        }
      }
      return out;
    } catch (err) {
      throw pgError(err, 'count rows in', 'database', `${database} on ${this.#where}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async verify(req: EngineVerifyRequest): Promise<EngineVerifyResult> {
    const dump = req.manifest.artifacts.find((a) => a.role === 'dump');
    if (!dump) return { ok: false, detail: {}, message: 'the set has no dump artifact' };
    const major = Number(/^(\d+)/.exec(req.manifest.serverVersion ?? '')?.[1] ?? 0);
    const tools = await this.#toolsFor(major);
    try {
      const listing = await toolOutput(tools.pgRestore, ['--list'], { stdin: await req.openArtifact(dump.name), toolName: 'pg_restore' });
      const entries = listing.split('\n').filter((l) => /^\d+;/.test(l)).length;
      // The header counts every entry, also those the listing leaves out (encoding, search path): an empty
      // database lists none and is still a whole archive of that database.
      const archived = Number(/^;\s+TOC Entries: (\d+)$/m.exec(listing)?.[1] ?? 0);
      if (archived === 0) return { ok: false, detail: { tool: 'pg_restore --list' }, message: 'pg_restore --list found no table of contents in the archive' };
      return { ok: true, detail: { tool: 'pg_restore --list', tocEntries: entries, archivedEntries: archived, pgRestore: tools.version } };
    } catch (err) {
      if (isLifeboatError(err)) throw err;
      return { ok: false, detail: { tool: 'pg_restore --list' }, message: err instanceof ToolExitError ? err.message : String(err) };
    }
  }

  planRestore(sets: ReadonlyArray<PlannableSet>, at?: Date): RestorePlan {
    return planLogicalRestore(sets, at);
  }

  async databaseExists(database: string): Promise<boolean> {
    const c = await this.#connect(this.#cfg.maintenanceDb);
    try {
      return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async dropDatabase(database: string): Promise<void> {
    const c = await this.#connect(this.#cfg.maintenanceDb, 'drop', 'database');
    try {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    } catch (err) {
      throw pgError(err, 'drop', 'database', `${database} on ${this.#where}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  /** Renames `from` to `to`, ending other sessions on `from` first (ALTER DATABASE needs it unused). */
  async renameDatabase(from: string, to: string): Promise<void> {
    const c = await this.#connect(this.#cfg.maintenanceDb, 'rename', 'database');
    try {
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [from]);
      await c.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
    } catch (err) {
      throw pgError(err, 'rename', 'database', `${from} on ${this.#where}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async restore(req: EngineRestoreRequest): Promise<EngineRestoreResult> {
    const m = req.manifests[req.manifests.length - 1]!;
    const dump = m.artifacts.find((a) => a.role === 'dump');
    if (!dump) throw new LifeboatError('MANIFEST_INVALID', { verb: 'restore', thing: 'set', where: m.setId, cause: 'the set has no dump artifact' });
    const where = `${req.destination} on ${this.#where}`;
    // As in backup: the tools are looked up while the connection is made.
    this.#installedTools();
    const admin = await this.#connect(this.#cfg.maintenanceDb, 'restore', 'database');
    let major: number;
    try {
      major = (await this.#serverMajor(admin)).major;
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [req.destination])).rowCount === 1;
      if (exists) throw new LifeboatError('ALREADY_EXISTS', { verb: 'restore into', thing: 'database', where, cause: 'a database with that name exists', hint: 'choose another name, or restore over it explicitly' });
    } finally {
      await admin.end().catch(() => undefined);
    }
    const tools = await this.#toolsFor(major);
    // pg_restore -j needs a seekable file: the dump is unpacked into the run's work folder first.
    req.onPhase?.('fetch');
    const file = path.join(req.workDir, `${m.setId}.dump`);
    fs.mkdirSync(req.workDir, { recursive: true, mode: 0o700 });
    await pipeline(await req.openArtifact(m.setId, dump.name), fs.createWriteStream(file, { mode: 0o600 }));
    let created = false;
    const tool = this.#toolEnv(req.workDir, req.destination);
    try {
      req.onPhase?.('create');
      const c = await this.#connect(this.#cfg.maintenanceDb, 'restore', 'database');
      try {
        await c.query(`CREATE DATABASE ${quoteIdent(req.destination)} TEMPLATE template0`);
        created = true;
      } catch (err) {
        throw pgError(err, 'create', 'database', where);
      } finally {
        await c.end().catch(() => undefined);
      }
      req.onPhase?.('restore');
      const args = ['--no-password', '--exit-on-error', `--jobs=${Math.max(1, req.jobs)}`, `--dbname=${conninfoDbname(req.destination)}`];
      if (req.noOwner) args.push('--no-owner', '--no-acl');
      args.push(file);
      const r = runTool(tools.pgRestore, args, { env: tool.env, toolName: 'pg_restore' });
      r.stdout.resume();
      const res = await r.exit;
      if (res.code !== 0) throw pgError(new ToolExitError('pg_restore', res.code, res.stderr), 'restore', 'database', where);
      return { toolVersions: { pg_restore: tools.version }, warnings: [] };
    } catch (err) {
      // Nothing half-restored is left behind under the destination name.
      if (created) await this.dropDatabase(req.destination).catch(() => undefined);
      throw err;
    } finally {
      removePgpass(tool.pgpass);
      fs.rmSync(file, { force: true });
    }
  }

  /**
   * Drills: amcheck's bt_index_check (with heapallindexed) on the largest B-tree indexes of a database. Meant
   * for scratch copies: it creates the amcheck extension in the database it checks. A server without
   * amcheck (no contrib package) is reported as skipped, not as a pass.
   */
  async check(database: string, opts: { maxIndexes?: number } = {}): Promise<{ ok: boolean; detail: Record<string, unknown>; message?: string }> {
    const c = await this.#connect(database, 'check', 'database');
    const where = `${database} on ${this.#where}`;
    try {
      const avail = await c.query("SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'");
      if (avail.rowCount === 0) return { ok: true, detail: { tool: 'amcheck', skipped: 'the amcheck extension is not installed on the server (package postgresql-contrib)' } };
      try {
        await c.query('CREATE EXTENSION IF NOT EXISTS amcheck');
      } catch (err) {
        return { ok: true, detail: { tool: 'amcheck', skipped: `amcheck could not be enabled: ${(err as Error).message}` } };
      }
      const idx = await c.query<{ name: string; bytes: string }>(`
        SELECT cl.oid::regclass::text AS name, pg_relation_size(cl.oid)::text AS bytes
        FROM pg_index i JOIN pg_class cl ON cl.oid = i.indexrelid JOIN pg_am am ON am.oid = cl.relam JOIN pg_namespace n ON n.oid = cl.relnamespace
        WHERE am.amname = 'btree' AND i.indisvalid AND i.indisready AND cl.relpersistence <> 't'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
        ORDER BY pg_relation_size(cl.oid) DESC, 1 LIMIT $1`, [opts.maxIndexes ?? 10]);
      const indexes: { name: string; bytes: number; ok: boolean; message: string | null }[] = [];
      for (const row of idx.rows) {
        try {
          await c.query('SELECT bt_index_check(index => $1::regclass, heapallindexed => true)', [row.name]);
          indexes.push({ name: row.name, bytes: Number(row.bytes), ok: true, message: null });
        } catch (err) {
          // XX001 data_corrupted, XX002 index_corrupted: what amcheck raises for damage. Anything else is a failure to check.
          const code = (err as { code?: string }).code;
          if (code !== 'XX001' && code !== 'XX002') throw err;
          indexes.push({ name: row.name, bytes: Number(row.bytes), ok: false, message: (err as Error).message });
        }
      }
      const bad = indexes.filter((i) => !i.ok);
      return {
        ok: bad.length === 0, detail: { tool: 'amcheck bt_index_check (heapallindexed)', indexes },
        ...(bad.length ? { message: bad.map((i) => `${i.name}: ${i.message}`).join('; ') } : {}),
      };
    } catch (err) {
      throw pgError(err, 'check', 'database', where);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  /**
   * Drills: one user-defined probe query in a read-only transaction with a statement timeout, over the
   * extended protocol (which refuses a second statement). Returns the first column of the first row.
   */
  async runProbeQuery(database: string, sql: string, opts: { timeoutMs?: number } = {}): Promise<unknown> {
    const c = await this.#connect(database, 'run a probe query in', 'database');
    try {
      await c.query('BEGIN READ ONLY');
      await c.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(opts.timeoutMs ?? 60_000))}`);
      const r = await c.query({ text: sql, rowMode: 'array', queryMode: 'extended' } as pg.QueryConfig & { queryMode: 'extended' });
      await c.query('ROLLBACK');
      return (r.rows[0] as unknown[] | undefined)?.[0] ?? null;
    } catch (err) {
      throw pgError(err, 'run a probe query in', 'database', `${database} on ${this.#where}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {}
}
