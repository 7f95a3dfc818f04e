import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LifeboatError, causeOf } from '../errors/lifeboat-error.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;

export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * Opens (or creates) the catalog: WAL, foreign keys, migrations. A damaged file or one written by a newer
 * Lifeboat is refused with a clear error and left exactly as it was; nothing here ever recreates a file
 * that exists.
 */
export function openDatabase(file: string, opts: { readonly?: boolean } = {}): Db {
  const exists = fs.existsSync(file);
  if (!exists) {
    if (opts.readonly) throw new LifeboatError('NOT_FOUND', { verb: 'open', thing: 'catalog', where: file, cause: 'no catalog file there' });
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: exists });
  } catch (err) {
    throw corrupt(file, err);
  }
  try {
    const version = readVersion(db, file);
    if (version > SCHEMA_VERSION) {
      throw new LifeboatError('CATALOG_TOO_NEW', {
        verb: 'open', thing: 'catalog', where: file,
        cause: `it has schema ${version}, this Lifeboat knows up to ${SCHEMA_VERSION}`,
        hint: 'install the newer Lifeboat that wrote it; the file was not changed',
      });
    }
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    if (!opts.readonly) migrate(db, version);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof LifeboatError) throw err;
    throw corrupt(file, err);
  }
}

function readVersion(db: Db, file: string): number {
  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new Error(check);
  } catch (err) {
    throw corrupt(file, err);
  }
  if (version === 0) {
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0) throw corrupt(file, new Error('the file holds tables but no Lifeboat schema version'));
  }
  return version;
}

function migrate(db: Db, from: number): void {
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

function corrupt(file: string, err: unknown): LifeboatError {
  return new LifeboatError('CATALOG_CORRUPT', {
    verb: 'open', thing: 'catalog', where: file, cause: causeOf(err),
    hint: 'the file was left untouched; restore it from a copy or rebuild with "lifeboat catalog rebuild --from-target" into a new LIFEBOAT_HOME',
  });
}
