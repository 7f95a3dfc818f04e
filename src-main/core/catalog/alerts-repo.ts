import type { Db } from './open-catalog.ts';
import { fromJson, toJson } from './json-column.ts';
import { newId } from '../util/ids.ts';
import { LifeboatError } from '../errors/lifeboat-error.ts';

export type AlertStatus = 'open' | 'acknowledged' | 'cleared';
export type AlertSeverity = 'warning' | 'error';

export interface AlertRecord {
  id: string;
  rule: string;
  causeKey: string;
  severity: AlertSeverity;
  subject: string;
  message: string;
  status: AlertStatus;
  firstAt: string;
  lastAt: string;
  lastSentAt: string | null;
  occurrences: number;
  ackBy: string | null;
  ackAt: string | null;
  clearedAt: string | null;
  detail: Record<string, unknown>;
}

export interface AlertInput {
  rule: string;
  causeKey: string;
  severity: AlertSeverity;
  subject: string;
  message: string;
  detail?: Record<string, unknown>;
}

interface Row { id: string; rule: string; cause_key: string; severity: string; subject: string; message: string; status: string; first_at: string; last_at: string; last_sent_at: string | null; occurrences: number; ack_by: string | null; ack_at: string | null; cleared_at: string | null; detail: string }

/** Alerts: at most one not-cleared alert per cause (a unique partial index), so a repeating fault counts up instead of piling up. */
export class AlertsRepo {
  readonly #db: Db;
  constructor(db: Db) { this.#db = db; }

  /** Opens an alert for the cause, or counts one more occurrence of the one already open. */
  raise(input: AlertInput, at: string): { alert: AlertRecord; isNew: boolean } {
    return this.#db.transaction(() => {
      const cur = this.openFor(input.causeKey);
      if (cur) {
        this.#db.prepare('UPDATE alerts SET last_at = ?, occurrences = occurrences + 1, message = ?, subject = ?, severity = ?, detail = ? WHERE id = ?')
          .run(at, input.message, input.subject, input.severity, toJson(input.detail ?? cur.detail), cur.id);
        return { alert: this.get(cur.id), isNew: false };
      }
      const id = newId('alr');
      this.#db.prepare('INSERT INTO alerts (id, rule, cause_key, severity, subject, message, status, first_at, last_at, occurrences, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)')
        .run(id, input.rule, input.causeKey, input.severity, input.subject, input.message, 'open', at, at, toJson(input.detail ?? {}));
      return { alert: this.get(id), isNew: true };
    }).immediate();
  }

  markSent(id: string, at: string): void {
    this.#db.prepare('UPDATE alerts SET last_sent_at = ? WHERE id = ?').run(at, id);
  }

  acknowledge(id: string, by: string, at: string): AlertRecord {
    const a = this.get(id);
    if (a.status === 'cleared') return a;
    this.#db.prepare("UPDATE alerts SET status = 'acknowledged', ack_by = ?, ack_at = ? WHERE id = ?").run(by, at, id);
    return this.get(id);
  }

  /** Clears the open alert of a cause; returns it, or undefined when none was open. */
  clear(causeKey: string, at: string): AlertRecord | undefined {
    const cur = this.openFor(causeKey);
    if (!cur) return undefined;
    this.#db.prepare("UPDATE alerts SET status = 'cleared', cleared_at = ? WHERE id = ?").run(at, cur.id);
    return this.get(cur.id);
  }

  openFor(causeKey: string): AlertRecord | undefined {
    const r = this.#db.prepare("SELECT * FROM alerts WHERE cause_key = ? AND status <> 'cleared'").get(causeKey) as Row | undefined;
    return r ? map(r) : undefined;
  }

  /** Open causes whose key starts with the prefix (e.g. every RPO alert). */
  openWithPrefix(prefix: string): AlertRecord[] {
    return (this.#db.prepare("SELECT * FROM alerts WHERE status <> 'cleared' AND substr(cause_key, 1, ?) = ?").all(prefix.length, prefix) as Row[]).map(map);
  }

  list(filter: { status?: AlertStatus | 'active'; limit?: number } = {}): AlertRecord[] {
    const where = filter.status === 'active' ? "WHERE status <> 'cleared'" : filter.status ? 'WHERE status = ?' : '';
    const args: unknown[] = filter.status && filter.status !== 'active' ? [filter.status] : [];
    return (this.#db.prepare(`SELECT * FROM alerts ${where} ORDER BY last_at DESC, id DESC LIMIT ?`).all(...args, filter.limit ?? 200) as Row[]).map(map);
  }

  get(id: string): AlertRecord {
    const r = this.#db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new LifeboatError('NOT_FOUND', { verb: 'find', thing: 'alert', where: id, cause: 'no alert with that id' });
    return map(r);
  }
}

function map(r: Row): AlertRecord {
  return {
    id: r.id, rule: r.rule, causeKey: r.cause_key, severity: r.severity as AlertSeverity, subject: r.subject, message: r.message,
    status: r.status as AlertStatus, firstAt: r.first_at, lastAt: r.last_at, lastSentAt: r.last_sent_at, occurrences: r.occurrences,
    ackBy: r.ack_by, ackAt: r.ack_at, clearedAt: r.cleared_at, detail: fromJson(r.detail, {}),
  };
}
