import crypto from 'node:crypto';
import path from 'node:path';

export type Edition = 'express' | 'standard' | 'developer' | 'enterprise';
export type RecoveryModel = 'FULL' | 'SIMPLE' | 'BULK_LOGGED';

export interface DbFile { logicalName: string; physicalName: string; type: 'D' | 'L'; fileGroup: string | null; sizeBytes: number }
export interface DbEvent { lsn: bigint; time: number; table: string; delta: number }

export interface DbState {
  name: string;
  recoveryModel: RecoveryModel;
  state: 'ONLINE' | 'RESTORING';
  lsn: bigint;
  recoveryForkId: string;
  tables: Map<string, number>;
  files: DbFile[];
  lastLogBackupLsn: bigint | null;
  differentialBaseLsn: bigint | null;
  events: DbEvent[];
  corrupt: boolean;
  /** While RESTORING: the checkpoint LSN of the full the chain started from. */
  restoreBaseCheckpoint: bigint | null;
}

export interface MsdbBackupRow {
  backupSetId: number;
  databaseName: string;
  type: 'D' | 'I' | 'L';
  isCopyOnly: boolean;
  firstLsn: bigint;
  lastLsn: bigint;
  checkpointLsn: bigint;
  databaseBackupLsn: bigint;
  differentialBaseLsn: bigint | null;
  recoveryForkId: string;
  recoveryModel: string;
  name: string;
  start: number;
  finish: number;
  physicalDeviceName: string;
  compressed: boolean;
  backupSize: number;
}

export interface DatabaseSpec {
  name: string;
  recoveryModel?: RecoveryModel;
  tables?: Record<string, number>;
  /** Extra data files beyond the primary (logical names). */
  extraDataFiles?: string[];
}

export interface ServerSpec {
  edition?: Edition;
  version?: string;
  serverName?: string;
  logins?: Record<string, string>;
  databases?: DatabaseSpec[];
  /** Minutes the server's local clock is ahead of UTC (STOPAT and msdb dates are server-local). */
  utcOffsetMinutes?: number;
  /** Server-side path prefixes (e.g. 'S:\\Staging') mapped to folders of this machine: a share seen two ways. */
  pathMap?: Record<string, string>;
  dataPath?: string;
  logPath?: string;
  /** Delay between STATS messages, so a test can cancel a BACKUP mid-way. */
  statsDelayMs?: number;
  serviceAccount?: string;
}

export interface Faults {
  /** Server-side folders the service account may not write or read: OS error 5. */
  deniedFolders: string[];
}

const EDITIONS: Record<Edition, { edition: string; engineEdition: number; compression: boolean }> = {
  express: { edition: 'Express Edition (64-bit)', engineEdition: 4, compression: false },
  standard: { edition: 'Standard Edition (64-bit)', engineEdition: 2, compression: true },
  developer: { edition: 'Developer Edition (64-bit)', engineEdition: 3, compression: true },
  enterprise: { edition: 'Enterprise Edition: Core-based Licensing (64-bit)', engineEdition: 3, compression: true },
};

/** The state of one modelled SQL Server instance; the protocol layer executes statements against it. */
export class ServerModel {
  readonly edition: Edition;
  readonly editionName: string;
  readonly engineEdition: number;
  readonly compression: boolean;
  readonly version: string;
  readonly serverName: string;
  readonly logins: Map<string, string>;
  readonly databases = new Map<string, DbState>();
  readonly msdb: MsdbBackupRow[] = [];
  readonly utcOffsetMinutes: number;
  readonly pathMap: Record<string, string>;
  readonly dataPath: string;
  readonly logPath: string;
  readonly serviceAccount: string;
  statsDelayMs: number;
  readonly faults: Faults = { deniedFolders: [] };
  #nextBackupSetId = 1;

  constructor(spec: ServerSpec = {}) {
    this.edition = spec.edition ?? 'developer';
    const e = EDITIONS[this.edition];
    this.editionName = e.edition;
    this.engineEdition = e.engineEdition;
    this.compression = e.compression;
    this.version = spec.version ?? '16.0.4135.4';
    this.serverName = spec.serverName ?? 'PLANT-SQL01\\SQLEXPRESS';
    this.logins = new Map(Object.entries(spec.logins ?? { sa: 'Str0ng!Passw0rd' }));
    this.utcOffsetMinutes = spec.utcOffsetMinutes ?? 60;
    this.pathMap = spec.pathMap ?? {};
    this.dataPath = spec.dataPath ?? 'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.SQLEXPRESS\\MSSQL\\DATA\\';
    this.logPath = spec.logPath ?? this.dataPath;
    this.statsDelayMs = spec.statsDelayMs ?? 0;
    this.serviceAccount = spec.serviceAccount ?? 'NT Service\\MSSQL$SQLEXPRESS';
    for (const name of ['master', 'model', 'msdb', 'tempdb']) this.addDatabase({ name, recoveryModel: name === 'msdb' || name === 'tempdb' || name === 'master' ? 'SIMPLE' : 'FULL' });
    for (const d of spec.databases ?? []) this.addDatabase(d);
  }

  addDatabase(spec: DatabaseSpec): DbState {
    const files: DbFile[] = [
      { logicalName: spec.name, physicalName: `${this.dataPath}${spec.name}.mdf`, type: 'D', fileGroup: 'PRIMARY', sizeBytes: 8 * 1024 * 1024 },
      ...(spec.extraDataFiles ?? []).map((l): DbFile => ({ logicalName: l, physicalName: `${this.dataPath}${l}.ndf`, type: 'D', fileGroup: 'PRIMARY', sizeBytes: 8 * 1024 * 1024 })),
      { logicalName: `${spec.name}_log`, physicalName: `${this.logPath}${spec.name}_log.ldf`, type: 'L', fileGroup: null, sizeBytes: 8 * 1024 * 1024 },
    ];
    const db: DbState = {
      name: spec.name,
      recoveryModel: spec.recoveryModel ?? (this.edition === 'express' ? 'SIMPLE' : 'FULL'),
      state: 'ONLINE',
      // A realistic 17-digit LSN: VLF 37, block 128, slot 37. Beyond Number.MAX_SAFE_INTEGER on purpose.
      lsn: 37000000012800037n,
      recoveryForkId: crypto.randomUUID().toUpperCase(),
      tables: new Map(Object.entries(spec.tables ?? {})),
      files,
      lastLogBackupLsn: null,
      differentialBaseLsn: null,
      events: [],
      corrupt: false,
      restoreBaseCheckpoint: null,
    };
    this.databases.set(spec.name.toLowerCase(), db);
    return db;
  }

  db(name: string): DbState | undefined {
    return this.databases.get(name.toLowerCase());
  }

  /** Simulated activity: `delta` rows inserted into `table` now, one log record each batch. */
  write(database: string, table: string, delta: number): bigint {
    const db = this.db(database);
    if (!db) throw new Error(`no database ${database}`);
    db.lsn += 1_000_000n + BigInt(Math.abs(delta));
    db.tables.set(table, (db.tables.get(table) ?? 0) + delta);
    db.events.push({ lsn: db.lsn, time: Date.now(), table, delta });
    return db.lsn;
  }

  /** Injects damage that DBCC CHECKDB reports (and that a backup carries into a restored copy). */
  corrupt(database: string): void {
    this.db(database)!.corrupt = true;
  }

  denyFolder(serverPath: string): void {
    this.faults.deniedFolders.push(serverPath);
  }

  /** A server path as this machine's file system sees it (through pathMap), or null when it maps nowhere. */
  localPath(serverPath: string): string {
    for (const [prefix, local] of Object.entries(this.pathMap)) {
      if (serverPath.toLowerCase().startsWith(prefix.toLowerCase())) {
        const rest = serverPath.slice(prefix.length).replace(/\\/g, '/');
        return path.join(local, rest);
      }
    }
    // A Windows path that maps nowhere names a drive this machine does not have.
    if (/^[A-Za-z]:|\\/.test(serverPath)) return path.join('/nonexistent-server-drive', serverPath.replace(/[:\\]+/g, '/'));
    return serverPath;
  }

  isDenied(serverPath: string): boolean {
    const norm = (p: string) => p.replace(/[\\/]+$/, '').toLowerCase();
    return this.faults.deniedFolders.some((d) => norm(serverPath).startsWith(norm(d)));
  }

  addBackupRow(row: Omit<MsdbBackupRow, 'backupSetId'>): MsdbBackupRow {
    const full = { ...row, backupSetId: this.#nextBackupSetId++ };
    this.msdb.push(full);
    return full;
  }

  /** Server-local wall clock as SQL Server shows it (datetime without offset), from a UTC instant. */
  localTime(ms: number): Date {
    return new Date(ms + this.utcOffsetMinutes * 60_000);
  }

  /** Parses a server-local datetime text (STOPAT = '2026-03-01T14:22:00') to a UTC instant. */
  /** `offsetMinutes`: the clock the log records were written with (the source server's), by default this server's. */
  parseLocal(text: string, offsetMinutes = this.utcOffsetMinutes): number {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(text.trim());
    if (!m) return NaN;
    const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
    return ms - offsetMinutes * 60_000;
  }
}
