import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { redactValue } from '../util/redact.ts';

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object: string | null;
  outcome: 'success' | 'failure' | 'refused';
  reason: string | null;
  detail: Record<string, unknown>;
}

interface Row { seq: number; at: string; actor: string; action: string; object: string | null; outcome: string; reason: string | null; detail: string }

/** Append-only record of who did what. Secrets are redacted before they are written. */
export class AuditRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  append(e: { actor: string; action: string; object?: string | null; outcome: AuditEvent['outcome']; reason?: string | null; detail?: Record<string, unknown> }): number {
    const r = this.#db.prepare('INSERT INTO audit_events (at, actor, action, object, outcome, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(nowIso(), e.actor, e.action, e.object ?? null, e.outcome, e.reason ?? null, toJson(redactValue(e.detail ?? {})));
    return Number(r.lastInsertRowid);
  }

  list(filter: { action?: string; limit?: number } = {}): AuditEvent[] {
    const rows = filter.action
      ? this.#db.prepare('SELECT * FROM audit_events WHERE action = ? ORDER BY seq DESC LIMIT ?').all(filter.action, filter.limit ?? 1000)
      : this.#db.prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT ?').all(filter.limit ?? 1000);
    return (rows as Row[]).map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, object: r.object, outcome: r.outcome as AuditEvent['outcome'], reason: r.reason, detail: fromJson(r.detail, {}) }));
  }
}
