import type { MoveClause } from './restore-statements.ts';

/** A row of RESTORE FILELISTONLY (the columns the MOVE plan needs). */
export interface BackupFile {
  logicalName: string;
  physicalName: string;
  /** D data, L log, F full-text catalog, S FILESTREAM/memory-optimized container. */
  type: string;
}

export interface ServerPaths {
  dataPath: string | null;
  logPath: string | null;
}

/** Characters Windows refuses in a file name; the database name may hold any of them. */
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f]/g;

function fileSafe(name: string): string {
  const s = name.replace(UNSAFE, '_').replace(/[. ]+$/, '');
  return s.length ? s.slice(0, 100) : 'db';
}

function splitDir(p: string): { dir: string; sep: string } {
  const sep = p.includes('\\') ? '\\' : '/';
  const i = p.lastIndexOf(sep);
  return { dir: i >= 0 ? p.slice(0, i) : '', sep };
}

function joinDir(dir: string, sep: string, file: string): string {
  return dir.endsWith(sep) ? dir + file : `${dir}${sep}${file}`;
}

/**
 * New physical files for a restore under `destination`: every logical file is MOVEd, into the server's
 * default data/log folders (else the original file's folder), named after the destination so a copy
 * restored beside the original never collides with its files (SQL Server error 1834).
 */
export function planMoves(files: ReadonlyArray<BackupFile>, destination: string, paths: ServerPaths): MoveClause[] {
  const base = fileSafe(destination);
  const used = new Set<string>();
  let dataSeen = 0;
  let logSeen = 0;
  return files.map((f) => {
    const orig = splitDir(f.physicalName);
    const folder = (f.type === 'L' ? paths.logPath : paths.dataPath) ?? orig.dir;
    const sep = folder.includes('\\') ? '\\' : folder.includes('/') ? '/' : orig.sep;
    let file: string;
    if (f.type === 'L') file = logSeen++ === 0 ? `${base}_log.ldf` : `${base}_${fileSafe(f.logicalName)}.ldf`;
    else if (f.type === 'D') file = dataSeen++ === 0 ? `${base}.mdf` : `${base}_${fileSafe(f.logicalName)}.ndf`;
    else file = `${base}_${fileSafe(f.logicalName)}`;
    let candidate = file;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = file.replace(/(\.[a-z]+)?$/, `_${n}$1`);
    used.add(candidate.toLowerCase());
    return { logicalName: f.logicalName, physicalPath: joinDir(folder, sep, candidate) };
  });
}
