import type { CoreEventBus } from '../events.ts';
import type { AlertChannel } from './alert-channel.ts';

/** The tray's feed: every change of an alert becomes an event on the bus (and from there an SSE message). */
export function eventChannel(events: CoreEventBus): AlertChannel {
  return {
    name: 'events',
    async send({ kind, alert }) {
      const base = { alertId: alert.id, rule: alert.rule, causeKey: alert.causeKey };
      if (kind === 'cleared') events.emitEvent('alert.cleared', { ...base, subject: alert.subject });
      else if (kind === 'acknowledged') events.emitEvent('alert.acknowledged', { ...base, by: alert.ackBy ?? '' });
      else events.emitEvent('alert.raised', { ...base, severity: alert.severity, subject: alert.subject, message: alert.message, occurrences: alert.occurrences, notify: kind === 'update' ? 'none' : kind });
    },
  };
}
