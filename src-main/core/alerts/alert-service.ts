import type { Catalog } from '../catalog/catalog.ts';
import type { AlertInput, AlertRecord } from '../catalog/alerts-repo.ts';
import type { Clock } from '../scheduler/clock.ts';
import type { AlertChannel, AlertNoticeKind } from './alert-channel.ts';

/**
 * Raises, repeats, acknowledges and clears alerts, and hands each change to the channels. One open alert
 * per cause: a fault that keeps happening counts occurrences; a person hears of it again only after the
 * repeat interval, and not at all once it is acknowledged. A cause that goes away clears its alert.
 */
export class AlertService {
  readonly #catalog: Catalog;
  readonly #clock: Clock;
  readonly #channels: AlertChannel[];
  readonly #repeatMs: () => number;
  #inflight = new Set<Promise<unknown>>();

  constructor(opts: { catalog: Catalog; clock: Clock; channels: AlertChannel[]; repeatIntervalMs: () => number }) {
    this.#catalog = opts.catalog;
    this.#clock = opts.clock;
    this.#channels = opts.channels;
    this.#repeatMs = opts.repeatIntervalMs;
  }

  async raise(input: AlertInput): Promise<AlertRecord> {
    const now = this.#clock.now();
    const { alert, isNew } = this.#catalog.alerts.raise(input, now.toISOString());
    let kind: AlertNoticeKind = 'update';
    if (isNew) kind = 'new';
    else if (alert.status === 'open' && this.#due(alert, now)) kind = 'repeat';
    if (kind !== 'update') this.#catalog.alerts.markSent(alert.id, now.toISOString());
    const current = this.#catalog.alerts.get(alert.id);
    await this.#notify(kind, current);
    return current;
  }

  async clear(causeKey: string): Promise<AlertRecord | undefined> {
    const cleared = this.#catalog.alerts.clear(causeKey, this.#clock.now().toISOString());
    if (cleared) await this.#notify('cleared', cleared);
    return cleared;
  }

  /** Clears every open alert whose cause starts with `prefix` except those in `keep`. */
  async clearOthers(prefix: string, keep: ReadonlySet<string>): Promise<void> {
    for (const a of this.#catalog.alerts.openWithPrefix(prefix)) if (!keep.has(a.causeKey)) await this.clear(a.causeKey);
  }

  async acknowledge(id: string, by: string): Promise<AlertRecord> {
    const before = this.#catalog.alerts.get(id);
    const a = this.#catalog.alerts.acknowledge(id, by, this.#clock.now().toISOString());
    if (before.status === 'open' && a.status === 'acknowledged') await this.#notify('acknowledged', a);
    return a;
  }

  /** Re-sends open, unacknowledged alerts whose repeat interval has passed. Returns how many went out. */
  async sweep(): Promise<number> {
    const now = this.#clock.now();
    let n = 0;
    for (const a of this.#catalog.alerts.list({ status: 'open', limit: 1000 })) {
      if (!this.#due(a, now)) continue;
      this.#catalog.alerts.markSent(a.id, now.toISOString());
      await this.#notify('repeat', this.#catalog.alerts.get(a.id));
      n++;
    }
    return n;
  }

  /** Runs work started from event handlers so that callers (tests, shutdown) can wait for it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p)).catch(() => undefined);
    return p;
  }

  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  #due(a: AlertRecord, now: Date): boolean {
    const last = a.lastSentAt ?? a.firstAt;
    return now.getTime() - new Date(last).getTime() >= this.#repeatMs();
  }

  async #notify(kind: AlertNoticeKind, alert: AlertRecord): Promise<void> {
    await Promise.all(this.#channels.map((c) => c.send({ kind, alert })));
  }
}
