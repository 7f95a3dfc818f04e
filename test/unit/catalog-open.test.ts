import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/core/catalog/catalog.ts';
import { SCHEMA_VERSION } from '../../src-main/core/catalog/open-catalog.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

afterAll(cleanupTemp);

describe('opening the catalog', () => {
  it('creates a new catalog with WAL and every migration applied', () => {
    const file = path.join(tempDir(), 'sub', 'catalog.db');
    const c = new Catalog(file);
    expect(c.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(c.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (c.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    for (const t of ['sources', 'targets', 'jobs', 'runs', 'sets', 'artifacts', 'copies', 'verifications', 'drills', 'restores', 'alerts', 'audit_events', 'users', 'settings']) expect(tables).toContain(t);
    c.close();
    // Re-opening applies nothing twice.
    const again = new Catalog(file);
    expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('refuses a corrupt file with a clear error and leaves it byte for byte as it was', () => {
    const file = path.join(tempDir(), 'catalog.db');
    const junk = Buffer.from('this is not a database, it is a shopping list\n'.repeat(200));
    fs.writeFileSync(file, junk);
    expect(() => new Catalog(file)).toThrow(/unable to open catalog '.*catalog\.db': file is not a database/);
    try { new Catalog(file); } catch (err) { expect((err as { code: string }).code).toBe('CATALOG_CORRUPT'); }
    expect(fs.readFileSync(file).equals(junk)).toBe(true);
  });

  it('refuses a catalog from a newer Lifeboat and does not touch it', () => {
    const file = path.join(tempDir(), 'catalog.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 7}`);
    db.exec('CREATE TABLE future (x)');
    db.close();
    const before = fs.readFileSync(file);
    expect(() => new Catalog(file)).toThrow(`it has schema ${SCHEMA_VERSION + 7}, this Lifeboat knows up to ${SCHEMA_VERSION}`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a SQLite file that is not a Lifeboat catalog', () => {
    const file = path.join(tempDir(), 'catalog.db');
    const db = new Database(file);
    db.exec('CREATE TABLE something_else (x)');
    db.close();
    expect(() => new Catalog(file)).toThrow(/holds tables but no Lifeboat schema version/);
  });
});
