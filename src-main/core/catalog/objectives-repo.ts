import type { Db } from './open-catalog.ts';
import { nowIso } from './json-column.ts';

export interface ObjectiveRecord {
  server: string;
  database: string;
  /** Recovery point objective: the most data, in seconds, the site accepts to lose. */
  rpoSeconds: number | null;
  /** Recovery time objective: how long, in seconds, a restore may take. */
  rtoSeconds: number | null;
  updatedAt: string;
}

interface Row { server: string; database_name: string; rpo_seconds: number | null; rto_seconds: number | null; updated_at: string }

/** Objectives per protected database, keyed by the source's name (the repository's <server>) and database. */
export class ObjectivesRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  set(input: { server: string; database: string; rpoSeconds?: number | null; rtoSeconds?: number | null }): ObjectiveRecord {
    const cur = this.find(input.server, input.database);
    this.#db.prepare(`INSERT INTO objectives (server, database_name, rpo_seconds, rto_seconds, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(server, database_name) DO UPDATE SET rpo_seconds = excluded.rpo_seconds, rto_seconds = excluded.rto_seconds, updated_at = excluded.updated_at`)
      .run(input.server, input.database, input.rpoSeconds === undefined ? cur?.rpoSeconds ?? null : input.rpoSeconds,
        input.rtoSeconds === undefined ? cur?.rtoSeconds ?? null : input.rtoSeconds, nowIso());
    return this.find(input.server, input.database)!;
  }

  remove(server: string, database: string): boolean {
    return this.#db.prepare('DELETE FROM objectives WHERE server = ? AND database_name = ?').run(server, database).changes > 0;
  }

  find(server: string, database: string): ObjectiveRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM objectives WHERE server = ? AND database_name = ?').get(server, database) as Row | undefined;
    return r ? map(r) : undefined;
  }

  /** When the newest set of a database that passed a verification and still has a copy finished. */
  newestVerifiedFinish(server: string, database: string): string | null {
    const r = this.#db.prepare(`SELECT max(s.finished_at) AS at FROM sets s
      WHERE s.server = ? AND s.database_name = ?
        AND EXISTS (SELECT 1 FROM verifications v WHERE v.set_id = s.id AND v.result = 'passed')
        AND EXISTS (SELECT 1 FROM copies c WHERE c.set_id = s.id AND c.status = 'present')`).get(server, database) as { at: string | null };
    return r.at;
  }

  list(): ObjectiveRecord[] {
    return (this.#db.prepare('SELECT * FROM objectives ORDER BY server, database_name').all() as Row[]).map(map);
  }
}

function map(r: Row): ObjectiveRecord {
  return { server: r.server, database: r.database_name, rpoSeconds: r.rpo_seconds, rtoSeconds: r.rto_seconds, updatedAt: r.updated_at };
}
