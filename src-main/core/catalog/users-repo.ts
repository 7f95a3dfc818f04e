import type { Db } from './open-catalog.ts';
import { nowIso } from './json-column.ts';
import { newId } from '../util/ids.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export type Role = 'viewer' | 'operator' | 'admin';

export interface UserRecord {
  id: string;
  name: string;
  fullName: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  failedCount: number;
  firstFailedAt: string | null;
  lockedUntil: string | null;
  passwordChangedAt: string | null;
  createdAt: string;
  updatedAt: string | null;
}

interface Row { id: string; name: string; full_name: string | null; role: string; password_hash: string; disabled: number; failed_count: number; first_failed_at: string | null; locked_until: string | null; password_changed_at: string | null; created_at: string; updated_at: string | null }

/** Local accounts. Holds password hashes only; the policy (lockout, roles) lives in core/audit. */
export class UsersRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  add(u: { name: string; fullName: string; role: Role; passwordHash: string }): UserRecord {
    if (this.find(u.name)) throw new LifeboatError('ALREADY_EXISTS', { verb: 'add', thing: 'user', where: u.name, cause: 'a user with that name exists' });
    const id = newId('usr');
    const now = nowIso();
    this.#db.prepare('INSERT INTO users (id, name, full_name, role, password_hash, created_at, password_changed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, u.name, u.fullName, u.role, u.passwordHash, now, now, now);
    return this.get(id);
  }

  find(idOrName: string): UserRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM users WHERE id = ? OR name = ?').get(idOrName, idOrName) as Row | undefined;
    return r ? map(r) : undefined;
  }

  get(idOrName: string): UserRecord {
    const u = this.find(idOrName);
    if (!u) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'user', where: idOrName, cause: 'no user with that name' });
    return u;
  }

  list(): UserRecord[] {
    return (this.#db.prepare('SELECT * FROM users ORDER BY name').all() as Row[]).map(map);
  }

  setPassword(id: string, passwordHash: string): void {
    const now = nowIso();
    this.#db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?').run(passwordHash, now, now, id);
  }

  setRole(id: string, role: Role): void {
    this.#db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, nowIso(), id);
  }

  setDisabled(id: string, disabled: boolean): void {
    this.#db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, nowIso(), id);
  }

  recordFailures(id: string, s: { failedCount: number; firstFailedAt: string | null; lockedUntil: string | null }): void {
    this.#db.prepare('UPDATE users SET failed_count = ?, first_failed_at = ?, locked_until = ? WHERE id = ?').run(s.failedCount, s.firstFailedAt, s.lockedUntil, id);
  }
}

function map(r: Row): UserRecord {
  return {
    id: r.id, name: r.name, fullName: r.full_name ?? r.name, role: r.role as Role, passwordHash: r.password_hash, disabled: r.disabled === 1,
    failedCount: r.failed_count, firstFailedAt: r.first_failed_at, lockedUntil: r.locked_until, passwordChangedAt: r.password_changed_at,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
