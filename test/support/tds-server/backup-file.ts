import crypto from 'node:crypto';
import zlib from 'node:zlib';

// The test server's backup file: a magic line, a JSON header (what RESTORE HEADERONLY and FILELISTONLY
// report), then a payload of pseudo pages. The header carries a SHA-256 of the payload, so RESTORE
// VERIFYONLY ... WITH CHECKSUM notices a flipped byte the way SQL Server's backup checksum does.
const MAGIC = 'TDS-TEST-SERVER-BACKUP v1\n';

export interface BackupEvent { lsn: string; time: number; table: string; delta: number }

export interface BackupHeader {
  database: string;
  serverName: string;
  softwareVersionMajor: number;
  /** 1 database, 5 differential, 2 log (RESTORE HEADERONLY's BackupType). */
  backupType: 1 | 2 | 5;
  name: string;
  isCopyOnly: boolean;
  compressed: boolean;
  hasChecksum: boolean;
  firstLsn: string;
  lastLsn: string;
  checkpointLsn: string;
  databaseBackupLsn: string;
  differentialBaseLsn: string | null;
  recoveryForkId: string;
  recoveryModel: string;
  backupStart: number;
  backupFinish: number;
  /** The writing server's clock offset: log record times (what STOPAT is compared with) are in its local time. */
  utcOffsetMinutes: number;
  files: { logicalName: string; physicalName: string; type: 'D' | 'L'; fileGroup: string | null; sizeBytes: number }[];
  /** Full and differential backups: the tables as of lastLsn. */
  tables: Record<string, number> | null;
  /** Log backups: the changes in (firstLsn, lastLsn]. */
  events: BackupEvent[];
  corrupt: boolean;
  payloadSha256: string;
}

export function writeBackupBytes(header: Omit<BackupHeader, 'payloadSha256'>, payloadSize: number): Buffer {
  let payload = crypto.createHash('sha512').update(`${header.database}:${header.lastLsn}`).digest();
  while (payload.length < payloadSize) payload = Buffer.concat([payload, payload]);
  payload = payload.subarray(0, payloadSize);
  if (header.compressed) payload = zlib.deflateRawSync(payload);
  const full: BackupHeader = { ...header, payloadSha256: crypto.createHash('sha256').update(payload).digest('hex') };
  return Buffer.concat([Buffer.from(MAGIC), Buffer.from(JSON.stringify(full) + '\n'), payload]);
}

export type ReadResult = { ok: true; header: BackupHeader; payloadOk: boolean } | { ok: false };

/** Reads a backup file: a damaged header means "not a backup" (3241); a damaged payload fails the checksum (3189). */
export function readBackupBytes(bytes: Buffer): ReadResult {
  if (!bytes.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return { ok: false };
  const nl = bytes.indexOf(0x0a, MAGIC.length);
  if (nl < 0) return { ok: false };
  let header: BackupHeader;
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, nl).toString('utf8')) as BackupHeader;
  } catch {
    return { ok: false };
  }
  const payload = bytes.subarray(nl + 1);
  return { ok: true, header, payloadOk: crypto.createHash('sha256').update(payload).digest('hex') === header.payloadSha256 };
}
