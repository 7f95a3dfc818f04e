import fs from 'node:fs';
import type { ParamValue } from './requests.ts';
import { isWord, parseWith, SqlSyntaxError, valueOf, type Tok } from './tsql-lexer.ts';
import { msg } from './errors.ts';
import { writeBackupBytes, type BackupHeader } from './backup-file.ts';
import type { ServerModel } from './model.ts';
import { errors, info, type Out } from './out.ts';
import { deviceCheck, stats } from './device.ts';

/** BACKUP DATABASE/LOG: the file in staging with its header, the msdb row, and the chain state of the database. */
export function backup(m: ServerModel, toks: Tok[], params: Record<string, ParamValue>): Out[] {
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
