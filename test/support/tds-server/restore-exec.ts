import crypto from 'node:crypto';
import type { ParamValue } from './requests.ts';
import { isWord, parseWith, SqlSyntaxError, valueOf, type Tok } from './tsql-lexer.ts';
import { msg } from './errors.ts';
import type { DbState, ServerModel } from './model.ts';
import { col, errors, info, type Out } from './out.ts';
import { readDevice, stats } from './device.ts';

/** RESTORE VERIFYONLY/FILELISTONLY/HEADERONLY/DATABASE/LOG, with the chain rules and error numbers of SQL Server. */
export function restore(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
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
