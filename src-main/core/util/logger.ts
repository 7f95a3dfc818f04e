import fs from 'node:fs';
import path from 'node:path';
import { redact, redactValue } from './redact.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

type Sink = (line: string) => void;

/** JSON-lines logger; redaction is applied here, at the one exit, so no caller can forget it. */
export function createLogger(sink: Sink, base: Record<string, unknown> = {}): Logger {
  return {
    log(level, msg, fields) {
      const entry = { t: new Date().toISOString(), level, msg: redact(msg), ...redactValue({ ...base, ...fields }) };
      sink(JSON.stringify(entry));
    },
    child(fields) {
      return createLogger(sink, { ...base, ...fields });
    },
  };
}

export function fileSink(dir: string): Sink {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'lifeboat.log');
  return (line) => fs.appendFileSync(file, line + '\n', { mode: 0o600 });
}

export const nullLogger: Logger = { log() {}, child() { return nullLogger; } };
