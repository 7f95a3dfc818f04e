import type { Db } from './open-catalog.ts';
import { newId } from '../util/ids.ts';

export interface SessionRow {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  lockedAt: string | null;
  endedAt: string | null;
}

interface Row { id: string; token_hash: string; user_id: string; created_at: string; last_seen_at: string; locked_at: string | null; ended_at: string | null }

/** Sign-in sessions. Only the token's hash is stored: a copy of the catalog does not yield live tokens. */
export class SessionsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  add(tokenHash: string, userId: string, at: string): SessionRow {
    const id = newId('ses');
    this.#db.prepare('INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)').run(id, tokenHash, userId, at, at);
    return this.byId(id)!;
  }

  byTokenHash(tokenHash: string): SessionRow | undefined {
    const r = this.#db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return r ? map(r) : undefined;
  }

  byId(id: string): SessionRow | undefined {
    const r = this.#db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    return r ? map(r) : undefined;
  }

  touch(id: string, at: string): void {
    this.#db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(at, id);
  }

  lock(id: string, at: string): void {
    this.#db.prepare('UPDATE sessions SET locked_at = ? WHERE id = ? AND locked_at IS NULL').run(at, id);
  }

  unlock(id: string, at: string): void {
    this.#db.prepare('UPDATE sessions SET locked_at = NULL, last_seen_at = ? WHERE id = ?').run(at, id);
  }

  end(id: string, at: string): void {
    this.#db.prepare('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
  }

  endAllFor(userId: string, at: string): void {
    this.#db.prepare('UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL').run(at, userId);
  }
}

function map(r: Row): SessionRow {
  return { id: r.id, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, lockedAt: r.locked_at, endedAt: r.ended_at };
}
