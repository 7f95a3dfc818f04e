export interface AlertEvent {
  type: 'alert.raised' | 'alert.cleared' | 'alert.acknowledged';
  alertId: string;
  subject?: string;
  message?: string;
  severity?: string;
  notify?: 'new' | 'repeat' | 'none';
}

export interface DesktopNotification { title: string; body: string; alertIds: string[] }

/**
 * Turns alert events into few desktop notifications: only newly raised alerts count (a retry or a repeat
 * of an open alert never pops up again), alerts arriving close together become one notification, and at
 * most one is shown per `minGapMs`; what arrives in between waits and is shown together.
 */
export class NotificationGrouper {
  readonly #windowMs: number;
  readonly #minGapMs: number;
  #pending: { alertId: string; subject: string; message: string; severity: string }[] = [];
  #firstPendingAt = 0;
  #lastShownAt = -Infinity;
  readonly #shown = new Set<string>();

  constructor(opts: { windowMs?: number; minGapMs?: number } = {}) {
    this.#windowMs = opts.windowMs ?? 5_000;
    this.#minGapMs = opts.minGapMs ?? 60_000;
  }

  push(e: AlertEvent, now: number): void {
    if (e.type === 'alert.cleared' || e.type === 'alert.acknowledged') {
      this.#pending = this.#pending.filter((p) => p.alertId !== e.alertId);
      this.#shown.delete(e.alertId);
      return;
    }
    if (e.notify !== 'new' || this.#shown.has(e.alertId) || this.#pending.some((p) => p.alertId === e.alertId)) return;
    if (this.#pending.length === 0) this.#firstPendingAt = now;
    this.#pending.push({ alertId: e.alertId, subject: e.subject ?? 'Lifeboat alert', message: e.message ?? '', severity: e.severity ?? 'warning' });
  }

  /** The notification to show now, if one is due. */
  flush(now: number): DesktopNotification | null {
    if (this.#pending.length === 0) return null;
    if (now - this.#firstPendingAt < this.#windowMs || now - this.#lastShownAt < this.#minGapMs) return null;
    const items = this.#pending;
    this.#pending = [];
    this.#lastShownAt = now;
    for (const i of items) this.#shown.add(i.alertId);
    if (items.length === 1) {
      const i = items[0]!;
      return { title: `Lifeboat: ${i.subject}`, body: i.message, alertIds: [i.alertId] };
    }
    const errors = items.filter((i) => i.severity === 'error').length;
    const shown = items.slice(0, 4).map((i) => `• ${i.subject}`);
    if (items.length > 4) shown.push(`… and ${items.length - 4} more`);
    return { title: `Lifeboat: ${items.length} new alerts${errors ? ` (${errors} errors)` : ''}`, body: shown.join('\n'), alertIds: items.map((i) => i.alertId) };
  }
}
