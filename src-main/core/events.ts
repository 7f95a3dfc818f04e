import { EventEmitter } from 'node:events';

/** Events the core emits; the agent forwards them over SSE to the tray, the window and the CLI. */
export interface CoreEvents {
  'run.started': { runId: string; kind: string; jobId: string | null; database: string | null };
  'run.progress': { runId: string; phase: string; percent?: number; bytes?: number; message?: string };
  'run.finished': { runId: string; kind: string; status: string; errorCode?: string | null; errorMessage?: string | null };
  'set.recorded': { setId: string; database: string; server: string };
  'alert.raised': { alertId: string; rule: string; causeKey: string; severity: string; subject: string; message: string; occurrences: number; notify: 'new' | 'repeat' | 'none' };
  'alert.cleared': { alertId: string; rule: string; causeKey: string; subject: string };
  'alert.acknowledged': { alertId: string; rule: string; causeKey: string; by: string };
  'schedule.slot': { jobId: string; slotAt: string; outcome: 'ran' | 'catch-up' | 'skipped' | 'deferred' | 'retry'; runIds: string[]; missedSlots?: number; reason?: 'downtime' | 'overlap' | 'blackout' };
  'status.changed': { reason: string };
}

export class CoreEventBus extends EventEmitter {
  emitEvent<K extends keyof CoreEvents>(name: K, payload: CoreEvents[K]): void {
    this.emit(name, payload);
    this.emit('*', { type: name, ...payload });
  }

  onEvent<K extends keyof CoreEvents>(name: K, fn: (payload: CoreEvents[K]) => void): () => void {
    this.on(name, fn);
    return () => this.off(name, fn);
  }
}
