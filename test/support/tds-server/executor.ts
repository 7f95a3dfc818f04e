import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Cell, Column } from './tokens.ts';
import type { ParamValue } from './requests.ts';
import { isWord, lex, parseWith, splitStatements, SqlSyntaxError, valueOf, type Tok } from './tsql-lexer.ts';
import { msg, type SqlMessage } from './errors.ts';
import { readBackupBytes, writeBackupBytes, type BackupHeader } from './backup-file.ts';
import type { DbState, ServerModel } from './model.ts';

export type Out =
  | { kind: 'rows'; columns: Column[]; rows: Cell[][] }
  | { kind: 'info'; number: number; message: string }
  | { kind: 'error'; number: number; class: number; state?: number; message: string }
  | { kind: 'delay'; ms: number };

const errors = (list: SqlMessage[]): Out[] => list.map((m) => ({ kind: 'error', ...m }));
const info = (number: number, message: string): Out => ({ kind: 'info', number, message });
const col = (name: string, type: Column['type']): Column => ({ name, type });

/** Executes one request (a batch or an sp_executesql call) against the model; returns what the server sends. */
export function execute(model: ServerModel, sql: string, params: Record<string, ParamValue>): Out[] {
  let statements: Tok[][];
  try {
    statements = splitStatements(lex(sql));
  } catch (err) {
    return errors([msg.raw((err as Error).message)]);
  }
  const out: Out[] = [];
  for (const toks of statements) {
    try {
      out.push(...executeOne(model, toks, sql, params));
    } catch (err) {
      if (err instanceof SqlSyntaxError) out.push(...errors([msg.raw(err.message)]));
      else throw err;
    }
  }
  return out;
}

function executeOne(model: ServerModel, toks: Tok[], sql: string, params: Record<string, ParamValue>): Out[] {
  const first = toks[0];
  const text = sql.toLowerCase();
  if (isWord(first, 'SET')) return [];
  if (isWord(first, 'BACKUP')) return backup(model, toks, params);
  if (isWord(first, 'RESTORE')) return restore(model, toks, params);
  if (isWord(first, 'DBCC')) return dbcc(model, toks);
  if (isWord(first, 'DROP')) return drop(model, toks);
  if (isWord(first, 'ALTER')) return alter(model, toks);
  if (isWord(first, 'CREATE')) return create(model, toks);
  if (isWord(first, 'INSERT')) return insert(model, toks, params);
  if (isWord(first, 'SELECT')) {
    if (toks.length === 2 && toks[1]!.t === 'num') return [{ kind: 'rows', columns: [col('', 'int')], rows: [[Number(toks[1]!.v)]] }];
    if (text.includes('serverproperty(')) return serverProperties(model);
    if (text.includes('sys.dm_server_services')) return [{ kind: 'rows', columns: [col('service_account', 'nvarchar')], rows: [[model.serviceAccount]] }];
    if (text.includes('sys.dm_exec_connections')) return [{ kind: 'rows', columns: [col('encrypt_option', 'nvarchar')], rows: [['FALSE']] }];
    if (text.includes('from sys.databases')) return databases(model, params);
    if (text.includes('msdb.dbo.backupset')) return history(model, text, params);
    if (text.includes('.sys.tables')) return largestTables(model, toks, params);
    if (text.includes('count_big(*)')) return countRows(model, toks);
  }
  throw new SqlSyntaxError(`Incorrect syntax near '${first && 'v' in first ? first.v : ''}'. (The TDS test server does not model this statement.)`);
}

function serverProperties(m: ServerModel): Out[] {
  return [{
    kind: 'rows',
    columns: [col('product_version', 'nvarchar'), col('edition', 'nvarchar'), col('engine_edition', 'int'), col('server_name', 'nvarchar'),
      col('default_data_path', 'nvarchar'), col('default_log_path', 'nvarchar'), col('utc_offset_minutes', 'int')],
    rows: [[m.version, m.editionName, m.engineEdition, m.serverName, m.dataPath, m.logPath, m.utcOffsetMinutes]],
  }];
}

function databases(m: ServerModel, params: Record<string, ParamValue>): Out[] {
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

const TYPE_LETTER = { 1: 'D', 5: 'I', 2: 'L' } as const;

function history(m: ServerModel, text: string, params: Record<string, ParamValue>): Out[] {
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
function largestTables(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
  const i = toks.findIndex((t, n) => t.t === 'ident' && toks[n + 2]?.t === 'word' && toks[n + 2]!.v.toLowerCase() === 'sys' && toks[n + 4]?.t === 'word' && toks[n + 4]!.v.toLowerCase() === 'tables');
  const db = i >= 0 ? m.db(toks[i]!.v) : undefined;
  if (!db || db.state !== 'ONLINE') return errors([msg.noDatabase(i >= 0 ? toks[i]!.v : '?')]);
  const top = typeof params.top === 'number' ? params.top : 10;
  const rows = [...db.tables.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, top)
    .map(([k]) => { const dot = k.indexOf('.'); return [k.slice(0, dot), k.slice(dot + 1)] as Cell[]; });
  return [{ kind: 'rows', columns: [col('schema_name', 'nvarchar'), col('table_name', 'nvarchar')], rows }];
}

function countRows(m: ServerModel, toks: Tok[]): Out[] {
  const f = toks.findIndex((t) => isWord(t, 'FROM'));
  const [d, , s, , t] = toks.slice(f + 1);
  if (!d || !s || !t || d.t !== 'ident' || s.t !== 'ident' || t.t !== 'ident') throw new SqlSyntaxError("Incorrect syntax near 'FROM'.");
  const db = m.db(d.v);
  if (!db || db.state !== 'ONLINE') return errors([msg.noDatabase(d.v)]);
  const n = db.tables.get(`${s.v}.${t.v}`);
  if (n === undefined) return errors([msg.invalidObject(`${d.v}.${s.v}.${t.v}`)]);
  return [{ kind: 'rows', columns: [col('row_count', 'nvarchar')], rows: [[String(n)]] }];
}

/** Checks that the service could open `serverPath` (write: its folder; read: the file). */
function deviceCheck(m: ServerModel, serverPath: string, mode: 'write' | 'read', verb: string): Out[] | null {
  if (m.isDenied(serverPath)) return errors(msg.device(serverPath, 5, verb));
  const local = m.localPath(serverPath);
  if (mode === 'write' && !fs.existsSync(path.dirname(local))) return errors(msg.device(serverPath, 3, verb));
  if (mode === 'read' && !fs.existsSync(local)) return errors(msg.device(serverPath, fs.existsSync(path.dirname(local)) ? 2 : 3, verb));
  return null;
}

function stats(m: ServerModel, every: number): Out[] {
  const out: Out[] = [];
  for (let p = every; p <= 100; p += every) {
    if (m.statsDelayMs > 0) out.push({ kind: 'delay', ms: m.statsDelayMs });
    out.push(info(3211, `${p} percent processed.`));
  }
  return out;
}

function backup(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
  const isLog = isWord(toks[1], 'LOG');
  if (!isLog && !isWord(toks[1], 'DATABASE')) throw new SqlSyntaxError(`Incorrect syntax near '${toks[1] && 'v' in toks[1] ? toks[1].v : ''}'.`);
  const dbName = valueOf(toks[2], params);
  if (!isWord(toks[3], 'TO') || !isWord(toks[4], 'DISK') || toks[5]?.v !== '=') throw new SqlSyntaxError("Incorrect syntax near 'TO'.");
  const device = valueOf(toks[6], params);
  const w = toks[7] && isWord(toks[7], 'WITH') ? parseWith(toks, 8, params) : { flags: new Map<string, string | true>(), moves: [] };
  const db = m.db(dbName);
  if (!db || db.state !== 'ONLINE') return errors([msg.noDatabase(dbName), { number: 3013, class: 16, message: `BACKUP ${isLog ? 'LOG' : 'DATABASE'} is terminating abnormally.` }]);
  const verb = isLog ? 'BACKUP LOG' : 'BACKUP DATABASE';
  if (w.flags.has('COMPRESSION') && !m.compression) return errors(msg.compression(m.editionName.replace(/ Edition/, ' Edition')));
  const copyOnly = w.flags.has('COPY_ONLY');
  const differential = w.flags.has('DIFFERENTIAL');
  if (isLog && db.recoveryModel === 'SIMPLE') return errors(msg.simpleLog(db.name));
  if (isLog && db.lastLogBackupLsn === null) return errors(msg.noCurrentBackup(db.name));
  if (differential && db.differentialBaseLsn === null) return errors(msg.noDiffBase(db.name));
  const denied = deviceCheck(m, device, 'write', verb);
  if (denied) return denied;

  const start = Date.now();
  const before = db.lsn;
  let firstLsn: bigint, lastLsn: bigint, checkpointLsn: bigint;
  const databaseBackupLsn = db.differentialBaseLsn ?? 0n;
  if (isLog) {
    firstLsn = db.lastLogBackupLsn!;
    lastLsn = before + 10n;
    checkpointLsn = db.differentialBaseLsn ?? 0n;
  } else {
    firstLsn = before + 10n;
    checkpointLsn = before + 20n;
    lastLsn = before + 30n;
  }
  db.lsn = lastLsn;
  const header: Omit<BackupHeader, 'payloadSha256'> = {
    database: db.name, serverName: m.serverName, softwareVersionMajor: Number(m.version.split('.')[0]),
    backupType: isLog ? 2 : differential ? 5 : 1,
    name: typeof w.flags.get('NAME') === 'string' ? String(w.flags.get('NAME')) : '',
    isCopyOnly: copyOnly, compressed: w.flags.has('COMPRESSION'), hasChecksum: w.flags.has('CHECKSUM'),
    firstLsn: firstLsn.toString(), lastLsn: lastLsn.toString(), checkpointLsn: checkpointLsn.toString(),
    databaseBackupLsn: databaseBackupLsn.toString(),
    differentialBaseLsn: differential ? db.differentialBaseLsn!.toString() : null,
    recoveryForkId: db.recoveryForkId, recoveryModel: db.recoveryModel,
    backupStart: start, backupFinish: Date.now(), utcOffsetMinutes: m.utcOffsetMinutes,
    files: db.files.map((f) => ({ ...f })),
    tables: isLog ? null : Object.fromEntries(db.tables),
    events: isLog ? db.events.filter((e) => e.lsn > firstLsn && e.lsn <= lastLsn).map((e) => ({ lsn: e.lsn.toString(), time: e.time, table: e.table, delta: e.delta })) : [],
    corrupt: db.corrupt,
  };
  const rows = [...db.tables.values()].reduce((a, b) => a + b, 0);
  const bytes = writeBackupBytes(header, 64 * 1024 + Math.min(rows, 100_000) * 16);
  fs.writeFileSync(m.localPath(device), bytes);
  if (isLog) {
    db.lastLogBackupLsn = lastLsn;
    // A tail-log backup WITH NORECOVERY leaves the database RESTORING: nothing can change after it.
    if (w.flags.has('NORECOVERY')) db.state = 'RESTORING';
  } else if (!copyOnly) {
    if (!differential) db.differentialBaseLsn = checkpointLsn;
    if (db.recoveryModel !== 'SIMPLE' && db.lastLogBackupLsn === null) db.lastLogBackupLsn = firstLsn;
  }
  m.addBackupRow({
    databaseName: db.name, type: isLog ? 'L' : differential ? 'I' : 'D', isCopyOnly: copyOnly, firstLsn, lastLsn, checkpointLsn,
    databaseBackupLsn, differentialBaseLsn: differential ? db.differentialBaseLsn : null, recoveryForkId: db.recoveryForkId,
    recoveryModel: db.recoveryModel, name: header.name, start, finish: header.backupFinish, physicalDeviceName: device,
    compressed: header.compressed, backupSize: bytes.length,
  });
  const pages = Math.ceil(bytes.length / 8192);
  const every = Number(w.flags.get('STATS') === true ? 10 : w.flags.get('STATS') ?? 0);
  return [
    ...(every > 0 ? stats(m, every) : []),
    info(4035, `Processed ${pages} pages for database '${db.name}', file '${db.files[0]!.logicalName}' on file 1.`),
    info(3014, `${verb} successfully processed ${pages} pages in 0.010 seconds (${(bytes.length / 1048576 / 0.01).toFixed(3)} MB/sec).`),
  ];
}

function readDevice(m: ServerModel, device: string, verb: string): { header: BackupHeader } | { out: Out[] } {
  const denied = deviceCheck(m, device, 'read', verb);
  if (denied) return { out: denied };
  const r = readBackupBytes(fs.readFileSync(m.localPath(device)));
  if (!r.ok) return { out: errors(msg.notABackup(device)) };
  if (!r.payloadOk) return { out: errors(msg.damaged(verb)) };
  return { header: r.header };
}

function restore(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
  const kind = toks[1] && toks[1].t === 'word' ? toks[1].v.toUpperCase() : '';
  if (kind === 'VERIFYONLY' || kind === 'FILELISTONLY' || kind === 'HEADERONLY') {
    if (!isWord(toks[2], 'FROM') || !isWord(toks[3], 'DISK') || toks[4]?.v !== '=') throw new SqlSyntaxError("Incorrect syntax near 'FROM'.");
    const device = valueOf(toks[5], params);
    const r = readDevice(m, device, kind === 'VERIFYONLY' ? 'VERIFY' : 'RESTORE');
    if ('out' in r) return r.out;
    const h = r.header;
    if (kind === 'VERIFYONLY') return [info(3262, 'The backup set on file 1 is valid.')];
    if (kind === 'FILELISTONLY') {
      return [{
        kind: 'rows',
        columns: [col('LogicalName', 'nvarchar'), col('PhysicalName', 'nvarchar'), col('Type', 'nvarchar'), col('FileGroupName', 'nvarchar'),
          col('Size', 'numeric'), col('MaxSize', 'numeric'), col('FileId', 'bigint'), col('CreateLSN', 'numeric'), col('IsReadOnly', 'bit')],
        rows: h.files.map((f, i) => [f.logicalName, f.physicalName, f.type, f.fileGroup, f.sizeBytes, 35184372080640, i + 1, 0, false]),
      }];
    }
    return [{
      kind: 'rows',
      columns: [col('BackupName', 'nvarchar'), col('DatabaseName', 'nvarchar'), col('BackupType', 'int'), col('FirstLSN', 'numeric'), col('LastLSN', 'numeric'),
        col('CheckpointLSN', 'numeric'), col('DatabaseBackupLSN', 'numeric'), col('DifferentialBaseLSN', 'numeric'), col('IsCopyOnly', 'bit'),
        col('RecoveryModel', 'nvarchar'), col('BackupStartDate', 'datetime2'), col('BackupFinishDate', 'datetime2'), col('RecoveryForkID', 'nvarchar'),
        col('Compressed', 'bit'), col('HasBackupChecksums', 'bit'), col('SoftwareVersionMajor', 'int')],
      rows: [[h.name, h.database, h.backupType, h.firstLsn, h.lastLsn, h.checkpointLsn, h.databaseBackupLsn, h.differentialBaseLsn, h.isCopyOnly,
        h.recoveryModel, m.localTime(h.backupStart), m.localTime(h.backupFinish), h.recoveryForkId, h.compressed, h.hasChecksum, h.softwareVersionMajor]],
    }];
  }
  if (kind !== 'DATABASE' && kind !== 'LOG') throw new SqlSyntaxError(`Incorrect syntax near '${kind}'.`);
  const dbName = valueOf(toks[2], params);
  let i = 3;
  let device: string | null = null;
  if (isWord(toks[3], 'FROM')) {
    if (!isWord(toks[4], 'DISK') || toks[5]?.v !== '=') throw new SqlSyntaxError("Incorrect syntax near 'FROM'.");
    device = valueOf(toks[6], params);
    i = 7;
  }
  const w = toks[i] && isWord(toks[i], 'WITH') ? parseWith(toks, i + 1, params) : { flags: new Map<string, string | true>(), moves: [] };
  const recovery = !w.flags.has('NORECOVERY');
  const verb = `RESTORE ${kind}`;
  const existing = m.db(dbName);
  if (device === null) {
    if (!existing) return errors([msg.noDatabase(dbName), { number: 3013, class: 16, message: `${verb} is terminating abnormally.` }]);
    if (existing.state === 'RESTORING' && recovery) recover(existing);
    return [info(3014, `${verb} successfully processed 0 pages in 0.001 seconds (0.000 MB/sec).`)];
  }
  const r = readDevice(m, device, verb);
  if ('out' in r) return r.out;
  const h = r.header;
  const every = Number(w.flags.get('STATS') === true ? 10 : w.flags.get('STATS') ?? 0);
  const done = (pages: number): Out[] => [...(every > 0 ? stats(m, every) : []),
    info(4035, `Processed ${pages} pages for database '${dbName}', file '${h.files[0]?.logicalName ?? dbName}' on file 1.`),
    info(3014, `${verb} successfully processed ${pages} pages in 0.010 seconds (1.000 MB/sec).`)];

  if (h.backupType === 1) {
    if (kind !== 'DATABASE') return errors([{ number: 4326, class: 16, message: 'The backup set is a database backup; use RESTORE DATABASE.' }, { number: 3013, class: 16, message: `${verb} is terminating abnormally.` }]);
    const replace = w.flags.has('REPLACE');
    if (existing && existing.state === 'ONLINE' && !replace) {
      if (existing.name.toLowerCase() !== h.database.toLowerCase()) return errors(msg.otherDatabase(existing.name));
      if (existing.recoveryModel !== 'SIMPLE') return errors(msg.tailNotBacked(existing.name));
    }
    const moved = new Map(w.moves.map((mv) => [mv.logical.toLowerCase(), mv.physical]));
    for (const mv of w.moves) if (!h.files.some((f) => f.logicalName.toLowerCase() === mv.logical.toLowerCase())) return errors(msg.notPartOf(mv.logical, h.database));
    const files = h.files.map((f) => ({ ...f, physicalName: moved.get(f.logicalName.toLowerCase()) ?? f.physicalName }));
    for (const f of files) {
      for (const other of m.databases.values()) {
        if (other === existing) continue;
        if (other.files.some((o) => o.physicalName.toLowerCase() === f.physicalName.toLowerCase())) return errors(msg.fileInUse(f.physicalName, other.name, f.logicalName));
      }
    }
    const db = existing ?? m.addDatabase({ name: dbName });
    Object.assign(db, {
      recoveryModel: h.recoveryModel as DbState['recoveryModel'], state: 'RESTORING', lsn: BigInt(h.lastLsn), recoveryForkId: h.recoveryForkId,
      tables: new Map(Object.entries(h.tables ?? {})), files, lastLogBackupLsn: null, differentialBaseLsn: BigInt(h.checkpointLsn),
      events: [], corrupt: h.corrupt, restoreBaseCheckpoint: h.isCopyOnly ? null : BigInt(h.checkpointLsn),
    } satisfies Partial<DbState>);
    if (recovery) recover(db);
    return done(Math.ceil(h.files.length * 100));
  }
  if (!existing || existing.state !== 'RESTORING') return errors(msg.notRestoring(verb));
  if (h.backupType === 5) {
    if (existing.restoreBaseCheckpoint === null || h.differentialBaseLsn === null || BigInt(h.differentialBaseLsn) !== existing.restoreBaseCheckpoint) return errors(msg.diffWrongState());
    existing.tables = new Map(Object.entries(h.tables ?? {}));
    existing.lsn = BigInt(h.lastLsn);
    existing.corrupt = h.corrupt;
  } else {
    const first = BigInt(h.firstLsn);
    const last = BigInt(h.lastLsn);
    if (first > existing.lsn) return errors(msg.logTooRecent(first, existing.lsn));
    if (last <= existing.lsn) return errors(msg.logTooEarly(last, existing.lsn));
    const stopAtText = w.flags.get('STOPAT');
    const stopAt = typeof stopAtText === 'string' ? m.parseLocal(stopAtText, h.utcOffsetMinutes ?? m.utcOffsetMinutes) : null;
    if (stopAt !== null && Number.isNaN(stopAt)) return errors([{ number: 241, class: 16, message: 'Conversion failed when converting date and/or time from character string.' }]);
    for (const e of h.events) {
      if (BigInt(e.lsn) <= existing.lsn) continue;
      if (stopAt !== null && e.time > stopAt) continue;
      existing.tables.set(e.table, (existing.tables.get(e.table) ?? 0) + e.delta);
    }
    existing.lsn = last;
  }
  if (recovery) recover(existing);
  return done(10);
}

function recover(db: DbState): void {
  db.state = 'ONLINE';
  db.recoveryForkId = crypto.randomUUID().toUpperCase();
  db.lastLogBackupLsn = null;
  db.restoreBaseCheckpoint = null;
}

function dbcc(m: ServerModel, toks: Tok[]): Out[] {
  if (!isWord(toks[1], 'CHECKDB') || toks[2]?.v !== '(') throw new SqlSyntaxError("Incorrect syntax near 'DBCC'.");
  const name = toks[3]!.v;
  const db = m.db(name);
  if (!db || db.state !== 'ONLINE') return errors([msg.dbccMissing(name)]);
  const noInfo = toks.some((t) => isWord(t, 'NO_INFOMSGS'));
  if (!db.corrupt) return noInfo ? [] : [info(8989, `CHECKDB found 0 allocation errors and 0 consistency errors in database '${db.name}'.`)];
  return [
    { kind: 'error', number: 8928, class: 16, message: 'Object ID 901578250, index ID 1, partition ID 72057594043760640, alloc unit ID 72057594049658880 (type In-row data): Page (1:312) could not be processed.  See other errors for details.' },
    { kind: 'error', number: 8939, class: 16, message: 'Table error: Object ID 901578250, index ID 1, partition ID 72057594043760640, alloc unit ID 72057594049658880 (type In-row data), page (1:312). Test (IS_OFF (BUF_IOERR, pBUF->bstat)) failed. Values are 2057 and -4.' },
    info(8989, `CHECKDB found 0 allocation errors and 2 consistency errors in database '${db.name}'.`),
    info(8958, `repair_allow_data_loss is the minimum repair level for the errors found by DBCC CHECKDB (${db.name}).`),
  ];
}

function drop(m: ServerModel, toks: Tok[]): Out[] {
  if (!isWord(toks[1], 'DATABASE') || !toks[2]) throw new SqlSyntaxError("Incorrect syntax near 'DROP'.");
  const name = toks[2].v;
  if (!m.db(name)) return errors([msg.cannotDrop(name)]);
  m.databases.delete(name.toLowerCase());
  return [];
}

function alter(m: ServerModel, toks: Tok[]): Out[] {
  if (!isWord(toks[1], 'DATABASE') || !toks[2] || !isWord(toks[3], 'SET', 'MODIFY')) throw new SqlSyntaxError("Incorrect syntax near 'ALTER'.");
  const db = m.db(toks[2].v);
  if (!db) return errors([msg.noDatabase(toks[2].v)]);
  if (isWord(toks[3], 'MODIFY')) {
    if (!isWord(toks[4], 'NAME') || toks[5]?.v !== '=' || !toks[6]) throw new SqlSyntaxError("Incorrect syntax near 'MODIFY'.");
    const to = toks[6].v;
    if (m.db(to)) return errors([{ number: 1801, class: 16, message: `Database '${to}' already exists. Choose a different database name.` }]);
    m.databases.delete(db.name.toLowerCase());
    db.name = to;
    m.databases.set(to.toLowerCase(), db);
    return [info(5022, `The database name '${to}' has been set.`)];
  }
  if (isWord(toks[4], 'RECOVERY') && toks[5]?.t === 'word') {
    const model = toks[5].v.toUpperCase() as DbState['recoveryModel'];
    if (model === 'SIMPLE') db.lastLogBackupLsn = null;
    db.recoveryModel = model;
  }
  return [];
}

/** The dotted name starting at `i` ([db].dbo.[t]) up to the first token that is not part of it. */
function dottedName(toks: Tok[], i: number): string[] {
  const parts: string[] = [];
  for (let n = i; n < toks.length; n += 2) {
    const t = toks[n]!;
    if (t.t !== 'ident' && t.t !== 'word') break;
    parts.push(t.v);
    if (!(toks[n + 1]?.t === 'op' && toks[n + 1]!.v === '.')) break;
  }
  return parts;
}

/** CREATE DATABASE [x] and CREATE TABLE [db].schema.table (…): enough for the live suite's setup to run here too. */
function create(m: ServerModel, toks: Tok[]): Out[] {
  if (isWord(toks[1], 'DATABASE') && toks[2]) {
    if (m.db(toks[2].v)) return errors([{ number: 1801, class: 16, message: `Database '${toks[2].v}' already exists. Choose a different database name.` }]);
    m.addDatabase({ name: toks[2].v });
    return [];
  }
  if (isWord(toks[1], 'TABLE')) {
    const [db, schema, table] = dottedName(toks, 2);
    const d = db ? m.db(db) : undefined;
    if (!d || !schema || !table) return errors([msg.noDatabase(db ?? '?')]);
    d.tables.set(`${schema}.${table}`, 0);
    return [];
  }
  throw new SqlSyntaxError("Incorrect syntax near 'CREATE'.");
}

/** INSERT INTO [db].schema.table … SELECT TOP (@n) …: n rows, one activity record. */
function insert(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
  const [db, schema, table] = dottedName(toks, isWord(toks[1], 'INTO') ? 2 : 1);
  const d = db ? m.db(db) : undefined;
  if (!d || !schema || !table || !d.tables.has(`${schema}.${table}`)) return errors([msg.invalidObject([db, schema, table].join('.'))]);
  const top = toks.findIndex((t) => isWord(t, 'TOP'));
  const n = top >= 0 ? Number(valueOf(toks[top + 2], params)) : 1;
  m.write(d.name, `${schema}.${table}`, n);
  return [];
}
