import type { Db } from './open-catalog.ts';

export type SignatureMeaning = 'performed' | 'reviewed' | 'approved';

export interface SignatureRecord {
  id: string;
  userId: string;
  userName: string;
  fullName: string;
  role: string;
  meaning: SignatureMeaning;
  action: string;
  object: string;
  reason: string;
  signedAt: string;
  /** The audit entry the signature is bound to (21 CFR 11.70) and that entry's hash. */
  auditSeq: number;
  auditHash: string;
  usedAt: string | null;
  usedFor: string | null;
}

interface Row { id: string; user_id: string; user_name: string; full_name: string; role: string; meaning: string; action: string; object: string; reason: string; signed_at: string; audit_seq: number; audit_hash: string; used_at: string | null; used_for: string | null }

/** Electronic signatures: written once, consumed once (triggers in migration 5 refuse anything else). */
export class SignaturesRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  add(s: Omit<SignatureRecord, 'usedAt' | 'usedFor'>): SignatureRecord {
    this.#db.prepare(`INSERT INTO signatures (id, user_id, user_name, full_name, role, meaning, action, object, reason, signed_at, audit_seq, audit_hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(s.id, s.userId, s.userName, s.fullName, s.role, s.meaning, s.action, s.object, s.reason, s.signedAt, s.auditSeq, s.auditHash);
    return this.get(s.id)!;
  }

  get(id: string): SignatureRecord | undefined {
    const r = this.#db.prepare('SELECT * FROM signatures WHERE id = ?').get(id) as Row | undefined;
    return r ? map(r) : undefined;
  }

  /** Marks the signature used; false when another caller consumed it first. */
  consume(id: string, at: string, usedFor: string | null): boolean {
    return this.#db.prepare('UPDATE signatures SET used_at = ?, used_for = ? WHERE id = ? AND used_at IS NULL').run(at, usedFor, id).changes === 1;
  }

  list(filter: { from?: string; to?: string } = {}): SignatureRecord[] {
    const rows = this.#db.prepare('SELECT * FROM signatures WHERE signed_at >= ? AND signed_at <= ? ORDER BY signed_at, id')
      .all(filter.from ?? '', filter.to ?? '9999') as Row[];
    return rows.map(map);
  }
}

function map(r: Row): SignatureRecord {
  return {
    id: r.id, userId: r.user_id, userName: r.user_name, fullName: r.full_name, role: r.role, meaning: r.meaning as SignatureMeaning,
    action: r.action, object: r.object, reason: r.reason, signedAt: r.signed_at, auditSeq: r.audit_seq, auditHash: r.audit_hash,
    usedAt: r.used_at, usedFor: r.used_for,
  };
}
