import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

/** A named, kind-tagged configuration row with an optional sealed secret: sources and targets share this. */
export interface ConfigRecord<C = Record<string, unknown>> {
  id: string;
  name: string;
  kind: string;
  config: C;
  secret: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row { id: string; name: string; kind: string; config: string; secret: string | null; created_at: string; updated_at: string }

export class ConfigRepo {
  readonly #db: Db;
  readonly #table: 'sources' | 'targets';
  readonly #noun: string;

  constructor(db: Db, table: 'sources' | 'targets') {
    this.#db = db;
    this.#table = table;
    this.#noun = table === 'sources' ? 'source' : 'target';
  }

  add(input: { name: string; kind: string; config: Record<string, unknown>; secret?: string | null }): ConfigRecord {
    if (this.find(input.name)) {
      throw new LifeboatError('ALREADY_EXISTS', { verb: 'add', thing: this.#noun, where: input.name, cause: `a ${this.#noun} with that name exists` });
    }
    const now = nowIso();
    const id = newId(this.#table === 'sources' ? 'src' : 'tgt');
    this.#db.prepare(`INSERT INTO ${this.#table} (id, name, kind, config, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(id, input.name, input.kind, toJson(input.config), input.secret ?? null, now, now);
    return this.get(id);
  }

  update(id: string, patch: { config?: Record<string, unknown>; secret?: string | null }): ConfigRecord {
    const cur = this.get(id);
    this.#db.prepare(`UPDATE ${this.#table} SET config = ?, secret = ?, updated_at = ? WHERE id = ?`)
      .run(toJson(patch.config ?? cur.config), patch.secret === undefined ? cur.secret : patch.secret, nowIso(), id);
    return this.get(id);
  }

  remove(id: string): void {
    this.#db.prepare(`DELETE FROM ${this.#table} WHERE id = ?`).run(id);
  }

  list(): ConfigRecord[] {
    return (this.#db.prepare(`SELECT * FROM ${this.#table} ORDER BY name`).all() as Row[]).map(map);
  }

  find(idOrName: string): ConfigRecord | undefined {
    const row = this.#db.prepare(`SELECT * FROM ${this.#table} WHERE id = ? OR name = ?`).get(idOrName, idOrName) as Row | undefined;
    return row ? map(row) : undefined;
  }

  get(idOrName: string): ConfigRecord {
    const rec = this.find(idOrName);
    if (!rec) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: this.#noun, where: idOrName, cause: `no ${this.#noun} with that name or id` });
    return rec;
  }
}

function map(r: Row): ConfigRecord {
  return { id: r.id, name: r.name, kind: r.kind, config: fromJson(r.config, {}), secret: r.secret, createdAt: r.created_at, updatedAt: r.updated_at };
}
