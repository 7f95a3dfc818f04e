import { LifeboatError } from '../core/errors/lifeboat-error.ts';

/** `--option key=value` pairs, for driver settings the CLI has no dedicated flag for. */
export function parseOptionPairs(pairs: string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: p, cause: 'expected key=value' });
    const key = p.slice(0, i);
    const raw = p.slice(i + 1);
    out[key] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) && raw.length < 16 ? Number(raw) : raw;
  }
  return out;
}

export function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: name, cause: `'${value}' is not a whole number` });
  return n;
}

export function parseTime(value: string, name: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: name, cause: `'${value}' is not a date and time (use ISO 8601, e.g. 2026-11-25T14:30:00Z)` });
  return d;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A size in bytes: a plain count, or with a binary unit (500M, 10G, 1.5T; "B" and "iB" allowed). */
export function parseSize(value: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(?:i?B)?$/.exec(value.trim());
  const n = m ? Math.round(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!) : NaN;
  if (!m || !Number.isSafeInteger(n) || n <= 0) throw new LifeboatError('USAGE', { verb: 'read', thing: 'option', where: name, cause: `'${value}' is not a size (bytes, or with a unit: 500M, 10G)` });
  return n;
}
