import { redact, redactValue } from '../core/util/redact.ts';

/** Human lines or one JSON document: every command prints through this so --json is uniform. */
export interface Output {
  json: boolean;
  /** Prints the result: JSON as-is in --json mode, otherwise the human rendering. */
  result(value: unknown, human: () => string | string[]): void;
  info(line: string): void;
  warn(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      if (json) {
        process.stdout.write(JSON.stringify(redactValue(value), null, 2) + '\n');
        return;
      }
      const h = human();
      const text = Array.isArray(h) ? h.join('\n') : h;
      if (text) process.stdout.write(redact(text) + '\n');
    },
    info(line) {
      if (!json) process.stdout.write(redact(line) + '\n');
    },
    warn(line) {
      process.stderr.write(redact(line) + '\n');
    },
  };
}

/** Fixed-width table for terminals; cells are already strings. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
