import { randomBytes } from 'node:crypto';

/** Sortable ids: a millisecond time prefix keeps sets, runs and events in creation order when listed. */
export function newId(prefix: string): string {
  const t = Date.now().toString(36).padStart(9, '0');
  return `${prefix}_${t}${randomBytes(6).toString('hex')}`;
}

/** UTC stamp safe in file names on every OS: 20261125T184200Z. */
export function utcStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}
