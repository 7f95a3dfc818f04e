import type { Logger } from '../util/logger.ts';
import type { AlertChannel } from './alert-channel.ts';

/** Every alert change as a log line, so the log alone tells the story after the fact. */
export function logChannel(logger: Logger): AlertChannel {
  return {
    name: 'log',
    async send({ kind, alert }) {
      const level = kind === 'cleared' || kind === 'acknowledged' ? 'info' : alert.severity === 'error' ? 'error' : 'warn';
      logger.log(level, `alert ${kind}: ${alert.subject}: ${alert.message}`, { alertId: alert.id, rule: alert.rule, cause: alert.causeKey, occurrences: alert.occurrences });
    },
  };
}
