import crypto from 'node:crypto';
import path from 'node:path';
import type { BackupType } from '../../catalog/jobs-repo.ts';
import { utcStamp } from '../../util/ids.ts';

const TYPE_TAG: Record<BackupType, string> = { full: 'FULL', diff: 'DIFF', log: 'LOG', 'copy-only': 'FULL_COPY_ONLY' };

/** Keeps a database name readable in a file name while dropping what Windows forbids in one. */
export function fileSafeName(name: string): string {
  const s = name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '');
  return (s.length ? s : 'db').slice(0, 100);
}

/** Ola Hallengren's file naming: <database>_<TYPE>_<stamp>.bak|trn (a random tail keeps two runs apart). */
export function stagingFileName(database: string, type: BackupType, at: Date): string {
  const ext = type === 'log' ? 'trn' : 'bak';
  return `${fileSafeName(database)}_${TYPE_TAG[type]}_${utcStamp(at)}_${crypto.randomBytes(3).toString('hex')}.${ext}`;
}

export interface StagingPaths { serverPath: string; localPath: string }

/**
 * The same file seen twice: by SQL Server (its own path syntax — D:\\Staging, \\\\nas\\share or /var/opt/mssql)
 * and by Lifeboat. The server's separator is taken from the configured server path.
 */
export function stagingPaths(stagingServerPath: string, stagingLocalPath: string, fileName: string): StagingPaths {
  const sep = stagingServerPath.includes('\\') ? '\\' : '/';
  const serverPath = stagingServerPath.endsWith(sep) ? stagingServerPath + fileName : `${stagingServerPath}${sep}${fileName}`;
  return { serverPath, localPath: path.join(stagingLocalPath, fileName) };
}

/** A UTC instant as the server's local wall-clock text for STOPAT (SQL Server reads STOPAT in server time). */
export function serverLocalText(at: Date, utcOffsetMinutes: number): string {
  return new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString().replace('Z', '').replace(/\.(\d{3})$/, '.$1');
}
