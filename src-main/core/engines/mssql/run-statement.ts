import type mssqlTypes from 'mssql';
import type { Statement } from './statement.ts';

export type Row = Record<string, unknown>;

export interface RunOptions {
  /** Info messages as they arrive (STATS percentages, CHECKDB summaries). */
  onInfo?: (m: { number: number; message: string }) => void;
  signal?: AbortSignal;
  /** Rows as arrays (columns by position: unnamed or repeated column names stay apart). */
  arrayRows?: boolean;
}

/** Runs one statement through sp_executesql, its values bound as parameters; resolves with the first result set. */
export async function runStatement(pool: mssqlTypes.ConnectionPool, s: Statement, opts: RunOptions = {}): Promise<Row[]> {
  const { default: sql } = await import('mssql');
  const req = pool.request();
  for (const p of s.params) {
    if (p.kind === 'int') req.input(p.name, sql.Int, p.value);
    else if (p.kind === 'varchar') req.input(p.name, sql.VarChar(Math.max(1, String(p.value).length)), String(p.value));
    else {
      const v = String(p.value);
      req.input(p.name, v.length > 4000 ? sql.NVarChar(sql.MAX) : sql.NVarChar(Math.max(1, v.length)), v);
    }
  }
  if (opts.arrayRows) req.arrayRowMode = true;
  if (opts.onInfo) req.on('info', (i: { number: number; message: string }) => opts.onInfo!({ number: i.number, message: i.message }));
  const abort = () => req.cancel();
  if (opts.signal?.aborted) throw Object.assign(new Error('Canceled.'), { code: 'ECANCEL' });
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    const r = await req.query(s.sql);
    return (r.recordset ?? []) as Row[];
  } finally {
    opts.signal?.removeEventListener('abort', abort);
  }
}

export function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}
