import type { Db } from './open-catalog.ts';

export interface CheckpointRecord {
  id: string;
  at: string;
  entryCount: number;
  headSeq: number;
  headHash: string;
  keyId: string;
  publicKey: string;
  signature: string;
  trigger: string;
  actor: string;
}

interface Row { id: string; at: string; entry_count: number; head_seq: number; head_hash: string; key_id: string; public_key: string; signature: string; trigger: string; actor: string }

/** Signed checkpoints of the audit chain (append-only by trigger). */
export class CheckpointsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  add(c: CheckpointRecord): void {
    this.#db.prepare('INSERT INTO audit_checkpoints (id, at, entry_count, head_seq, head_hash, key_id, public_key, signature, trigger, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.id, c.at, c.entryCount, c.headSeq, c.headHash, c.keyId, c.publicKey, c.signature, c.trigger, c.actor);
  }

  list(): CheckpointRecord[] {
    return (this.#db.prepare('SELECT * FROM audit_checkpoints ORDER BY head_seq, at').all() as Row[]).map(map);
  }

  latest(): CheckpointRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM audit_checkpoints ORDER BY at DESC, head_seq DESC LIMIT 1').get() as Row | undefined;
    return r ? map(r) : undefined;
  }
}

function map(r: Row): CheckpointRecord {
  return { id: r.id, at: r.at, entryCount: r.entry_count, headSeq: r.head_seq, headHash: r.head_hash, keyId: r.key_id, publicKey: r.public_key, signature: r.signature, trigger: r.trigger, actor: r.actor };
}
