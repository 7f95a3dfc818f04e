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
