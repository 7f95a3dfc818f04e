import { LifeboatError } from '../errors/lifeboat-error.ts';

/**
 * The expectation language of probe queries. Small on purpose, so a plant engineer can write it and an
 * auditor can read it:
 *   = 5000   != 0   >= 1200   <= 99.5   > 2026-01-01   < 2026-01-01T06:00:00Z
 *   between 100 and 200      non-null
 * Operands are numbers, ISO dates/timestamps, `backup` (when the restored set was taken) with an optional
 * offset ("backup - 2 hours"), or `previous` (what the last drill of the same probe saw, unless the probe failed
 * there: for values that only grow, such as the newest batch id). An operand's form decides how the result is compared:
 * numbers as numbers (integers exactly, as big integers), times as instants.
 */
export type Comparison = '=' | '!=' | '>=' | '<=' | '>' | '<';

export type Operand =
  | { kind: 'number'; text: string }
  | { kind: 'time'; ms: number; text: string }
  | { kind: 'backup'; offsetMs: number; text: string }
  | { kind: 'previous'; text: string };

export type Expectation =
  | { text: string; op: Comparison; operand: Operand }
  | { text: string; op: 'between'; low: Operand; high: Operand }
  | { text: string; op: 'non-null' };

export interface ExpectationContext {
  /** When the restored set was taken (its finish time). */
  backupAt: Date;
  /** The value the last passing drill recorded for this probe, if any. */
  previous?: string | null | undefined;
}

export interface ExpectationOutcome {
  status: 'passed' | 'failed' | 'skipped';
  /** The expectation with `backup`/`previous` resolved, for the record. */
  expected: string;
  detail: string;
}

const UNITS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const NUMBER = /^-?\d+(\.\d+)?$/;
const TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseExpectation(text: string): Expectation {
  const s = text.trim().replace(/\s+/g, ' ');
  if (/^(non-null|not null|is not null)$/i.test(s)) return { text: s, op: 'non-null' };
  const between = /^between (.+) and (.+)$/i.exec(s);
  if (between) return { text: s, op: 'between', low: parseOperand(between[1]!, text), high: parseOperand(between[2]!, text) };
  const cmp = /^(>=|<=|!=|<>|==|=|>|<) ?(.+)$/.exec(s);
  if (!cmp) throw invalid(text, 'expected one of =, !=, >=, <=, >, <, "between A and B" or "non-null"');
  const op = (cmp[1] === '==' ? '=' : cmp[1] === '<>' ? '!=' : cmp[1]) as Comparison;
  return { text: s, op, operand: parseOperand(cmp[2]!, text) };
}

function parseOperand(raw: string, whole: string): Operand {
  const t = raw.trim();
  if (NUMBER.test(t)) return { kind: 'number', text: t };
  if (TIME.test(t)) {
    const ms = Date.parse(t.includes('T') || t.includes(' ') ? t.replace(' ', 'T') : `${t}T00:00:00Z`);
    if (Number.isNaN(ms)) throw invalid(whole, `'${t}' is not a valid date`);
    return { kind: 'time', ms, text: t };
  }
  if (/^previous$/i.test(t)) return { kind: 'previous', text: 'previous' };
  const b = /^backup(?: ?([+-]) ?(\d+) ?(second|minute|hour|day)s?)?$/i.exec(t);
  if (b) {
    const offset = b[1] ? Number(b[2]) * UNITS[b[3]!.toLowerCase()]! * (b[1] === '-' ? -1 : 1) : 0;
    return { kind: 'backup', offsetMs: offset, text: t };
  }
  throw invalid(whole, `'${t}' is not a number, an ISO date, "backup [± N minutes|hours|days]" or "previous"`);
}

function invalid(text: string, cause: string): LifeboatError {
  return new LifeboatError('USAGE', { verb: 'read', thing: 'probe expectation', where: text, cause });
}

type Value = { kind: 'number'; text: string } | { kind: 'time'; ms: number };

/** Judges a probe query's result (first column of the first row) against its expectation. */
export function evaluateExpectation(exp: Expectation, actual: unknown, ctx: ExpectationContext): ExpectationOutcome {
  const shown = showActual(actual);
  if (exp.op === 'non-null') {
    const ok = actual !== null && actual !== undefined;
    return { status: ok ? 'passed' : 'failed', expected: 'non-null', detail: ok ? `returned ${shown}` : 'returned NULL (or no row)' };
  }
  const operands = exp.op === 'between' ? [exp.low, exp.high] : [exp.operand];
  const resolved: Value[] = [];
  for (const o of operands) {
    const v = resolve(o, ctx);
    if (v === null) return { status: 'skipped', expected: exp.text, detail: `returned ${shown}; no earlier passing drill recorded a value to compare with` };
    resolved.push(v);
  }
  const expected = exp.op === 'between' ? `between ${show(resolved[0]!)} and ${show(resolved[1]!)}` : `${exp.op} ${show(resolved[0]!)}`;
  if (actual === null || actual === undefined) return { status: 'failed', expected, detail: 'returned NULL (or no row)' };
  const kind = resolved[0]!.kind;
  const a = coerce(actual, kind);
  if (a === null) return { status: 'failed', expected, detail: `returned ${shown}, which is not a ${kind === 'number' ? 'number' : 'date and time'}` };
  let ok: boolean;
  if (exp.op === 'between') ok = compare(a, resolved[0]!) >= 0 && compare(a, resolved[1]!) <= 0;
  else ok = holds(exp.op, compare(a, resolved[0]!));
  return { status: ok ? 'passed' : 'failed', expected, detail: `returned ${shown}${ok ? '' : `, expected ${expected}`}` };
}

function resolve(o: Operand, ctx: ExpectationContext): Value | null {
  switch (o.kind) {
    case 'number': return { kind: 'number', text: o.text };
    case 'time': return { kind: 'time', ms: o.ms };
    case 'backup': return { kind: 'time', ms: ctx.backupAt.getTime() + o.offsetMs };
    case 'previous': {
      if (ctx.previous === null || ctx.previous === undefined) return null;
      if (NUMBER.test(ctx.previous)) return { kind: 'number', text: ctx.previous };
      const ms = Date.parse(ctx.previous);
      return Number.isNaN(ms) ? null : { kind: 'time', ms };
    }
  }
}

function coerce(v: unknown, kind: Value['kind']): Value | null {
  if (kind === 'number') {
    const text = typeof v === 'bigint' ? v.toString() : typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
    return NUMBER.test(text) || /^-?\d+(\.\d+)?e[+-]?\d+$/i.test(text) ? { kind: 'number', text } : null;
  }
  const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(ms) ? null : { kind: 'time', ms };
}

/** Integers compare exactly as big integers (ids beyond 2^53 are common); anything else as doubles. */
function compare(a: Value, b: Value): number {
  if (a.kind === 'time' || b.kind === 'time') return Math.sign((a as { ms: number }).ms - (b as { ms: number }).ms);
  if (/^-?\d+$/.test(a.text) && /^-?\d+$/.test(b.text)) {
    const x = BigInt(a.text);
    const y = BigInt(b.text);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return Math.sign(Number(a.text) - Number(b.text));
}

function holds(op: Comparison, c: number): boolean {
  switch (op) {
    case '=': return c === 0;
    case '!=': return c !== 0;
    case '>=': return c >= 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '<': return c < 0;
  }
}

function show(v: Value): string {
  return v.kind === 'number' ? v.text : new Date(v.ms).toISOString();
}

function showActual(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** The value a probe saw, as stored in the drill's checks (so `previous` can read it back). */
export function storedValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}
