import os from 'node:os';
import type { Db } from './open-catalog.ts';
import { fromJson, nowIso, toJson } from './json-column.ts';
import { redactValue } from '../util/redact.ts';
import { APP_VERSION } from '../version.ts';
import { entryHash, GENESIS_HASH, type ChainedFields } from '../audit/chain-hash.ts';

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  role: string | null;
  host: string | null;
  action: string;
  object: string | null;
  oldValue: unknown;
  newValue: unknown;
  outcome: 'success' | 'failure' | 'refused';
  reason: string | null;
  detail: Record<string, unknown>;
  appVersion: string | null;
  prevHash: string | null;
  hash: string | null;
}

export interface AuditAppend {
  actor: string;
  action: string;
  object?: string | null;
  outcome: AuditEvent['outcome'];
  reason?: string | null;
  detail?: Record<string, unknown>;
  /** Defaults to the actor's role in the users table, 'system' for the scheduler and the CLI's OS user. */
  role?: string | null;
  /** Configuration changes: the value before and after (redacted like the detail). */
  oldValue?: unknown;
  newValue?: unknown;
}

/** A row as stored: what the chain is computed over. */
export interface AuditRow extends ChainedFields { prev_hash: string | null; hash: string | null }

export interface AuditHead { seq: number; hash: string; count: number }

/**
 * Append-only, hash-chained record of who did what (21 CFR 11.10(e), Annex 11 §9). Each entry carries the
 * SHA-256 of its canonical form and of the previous entry; triggers (migration 5) refuse UPDATE and DELETE.
 * Secrets are redacted before they are written.
 */
export class AuditRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
    if (!db.readonly && this.#hasChainColumns()) this.#sealLegacyRows();
  }

  append(e: AuditAppend): number {
    const write = this.#db.transaction((): number => {
      const last = this.#db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string | null } | undefined;
      const fields: ChainedFields = {
        seq: (last?.seq ?? 0) + 1,
        at: nowIso(),
        actor: e.actor,
        role: e.role === undefined ? this.#roleOf(e.actor) : e.role,
        host: os.hostname(),
        action: e.action,
        object: e.object ?? null,
        old_value: e.oldValue === undefined ? null : toJson(redactValue(e.oldValue)),
        new_value: e.newValue === undefined ? null : toJson(redactValue(e.newValue)),
        outcome: e.outcome,
        reason: e.reason ?? null,
        detail: toJson(redactValue(e.detail ?? {})),
        app_version: APP_VERSION,
      };
      // A missing previous hash is itself evidence of tampering; chaining on from it keeps that visible.
      const prev = last ? (last.hash ?? 'unsealed') : GENESIS_HASH;
      const hash = entryHash(fields, prev);
      this.#db.prepare(`INSERT INTO audit_events (seq, at, actor, role, host, action, object, old_value, new_value, outcome, reason, detail, app_version, prev_hash, hash)
        VALUES (@seq, @at, @actor, @role, @host, @action, @object, @old_value, @new_value, @outcome, @reason, @detail, @app_version, @prev_hash, @hash)`)
        .run({ ...fields, prev_hash: prev, hash });
      return fields.seq;
    });
    // IMMEDIATE: the agent and a CLI process must not both read the same head and fork the chain.
    return this.#db.inTransaction ? write() : write.immediate();
  }

  list(filter: { action?: string; limit?: number; from?: string; to?: string; actionPrefix?: string; ascending?: boolean } = {}): AuditEvent[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.action) { where.push('action = ?'); args.push(filter.action); }
    if (filter.actionPrefix) { where.push('action LIKE ?'); args.push(`${filter.actionPrefix.replace(/[%_]/g, '')}%`); }
    if (filter.from) { where.push('at >= ?'); args.push(filter.from); }
    if (filter.to) { where.push('at <= ?'); args.push(filter.to); }
    const sql = `SELECT * FROM audit_events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq ${filter.ascending ? 'ASC' : 'DESC'} LIMIT ?`;
    return (this.#db.prepare(sql).all(...args, filter.limit ?? 1000) as AuditRow[]).map(mapRow);
  }

  get(seq: number): AuditEvent | undefined {
    const r = this.#db.prepare('SELECT * FROM audit_events WHERE seq = ?').get(seq) as AuditRow | undefined;
    return r ? mapRow(r) : undefined;
  }

  /** Every stored row in seq order, as stored: the input of the chain verification. */
  *rows(): IterableIterator<AuditRow> {
    yield* this.#db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  }

  head(): AuditHead | null {
    const last = this.#db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string | null } | undefined;
    if (!last) return null;
    const { n } = this.#db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number };
    return { seq: last.seq, hash: last.hash ?? '', count: n };
  }

  #roleOf(actor: string): string {
    const u = this.#db.prepare('SELECT role FROM users WHERE name = ?').get(actor) as { role: string } | undefined;
    return u?.role ?? 'system';
  }

  #hasChainColumns(): boolean {
    return (this.#db.prepare("SELECT 1 FROM pragma_table_info('audit_events') WHERE name = 'hash'").get()) !== undefined;
  }

  /**
   * Entries written before the chain existed (schema < 5) are sealed once, in order, when the chain has not
   * begun. Once any entry carries a hash, an entry without one is tampering and is left for verify to report.
   */
  #sealLegacyRows(): void {
    const sealed = this.#db.prepare('SELECT 1 FROM audit_events WHERE hash IS NOT NULL LIMIT 1').get();
    if (sealed) return;
    const rows = this.#db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as AuditRow[];
    if (rows.length === 0) return;
    this.#db.transaction(() => {
      let prev = GENESIS_HASH;
      const upd = this.#db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?');
      for (const r of rows) {
        const hash = entryHash(r, prev);
        upd.run(prev, hash, r.seq);
        prev = hash;
      }
    }).immediate();
  }
}

function mapRow(r: AuditRow): AuditEvent {
  return {
    seq: r.seq, at: r.at, actor: r.actor, role: r.role, host: r.host, action: r.action, object: r.object,
    oldValue: fromJson(r.old_value, null), newValue: fromJson(r.new_value, null), outcome: r.outcome as AuditEvent['outcome'],
    reason: r.reason, detail: fromJson(r.detail, {}), appVersion: r.app_version, prevHash: r.prev_hash, hash: r.hash,
  };
}
