import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fromErrno } from '../errors/errno.ts';

export interface WrittenFile { file: string; sha256: string; bytes: number }

/** Writes a file atomically (partial name, then rename) with owner-only access, and returns its SHA-256. */
export function writeReportFile(file: string, data: Buffer | string): WrittenFile {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const partial = `${file}.partial`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, buf, { mode: 0o600 });
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw fromErrno(err, 'write', 'report', file);
  }
  return { file, sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length };
}

/** `out` may name the PDF or a folder; a folder gets a readable name. Returns the path without ".pdf". */
export function reportBase(out: string, defaultName: string): string {
  const isDir = out.endsWith('/') || out.endsWith(path.sep) || (fs.existsSync(out) && fs.statSync(out).isDirectory());
  const file = isDir ? path.join(out, `${defaultName}.pdf`) : out;
  return path.resolve(file.replace(/\.pdf$/i, ''));
}
