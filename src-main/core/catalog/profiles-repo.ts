import type { Db } from './open-catalog.ts';
import { nowIso } from './json-column.ts';

/** A database's data class (ePHI, GxP, OT, financial) and recovery tier (1 is restored first). */
export interface DatabaseProfile {
  server: string;
  database: string;
  classification: string | null;
  criticality: number | null;
  owner: string | null;
  notes: string | null;
  updatedAt: string;
}

interface Row { server: string; database_name: string; classification: string | null; criticality: number | null; owner: string | null; notes: string | null; updated_at: string }

export class ProfilesRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  set(p: Omit<DatabaseProfile, 'updatedAt'>): DatabaseProfile {
    this.#db.prepare(`INSERT INTO database_profiles (server, database_name, classification, criticality, owner, notes, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(server, database_name) DO UPDATE SET classification = excluded.classification, criticality = excluded.criticality,
      owner = excluded.owner, notes = excluded.notes, updated_at = excluded.updated_at`)
      .run(p.server, p.database, p.classification, p.criticality, p.owner, p.notes, nowIso());
    return this.get(p.server, p.database)!;
  }

  get(server: string, database: string): DatabaseProfile | undefined {
    const r = this.#db.prepare('SELECT * FROM database_profiles WHERE server = ? AND database_name = ?').get(server, database) as Row | undefined;
    return r ? map(r) : undefined;
  }

  list(): DatabaseProfile[] {
    return (this.#db.prepare('SELECT * FROM database_profiles ORDER BY server, database_name').all() as Row[]).map(map);
  }
}

function map(r: Row): DatabaseProfile {
  return { server: r.server, database: r.database_name, classification: r.classification, criticality: r.criticality, owner: r.owner, notes: r.notes, updatedAt: r.updated_at };
}
