// A small T-SQL lexer: enough to read the statements the model executes, with [bracket] identifiers,
// N'…' literals and @variables resolved against the RPC parameters.
import type { ParamValue } from './requests.ts';

export type Tok =
  | { t: 'word'; v: string }   // bare word or keyword
  | { t: 'ident'; v: string }  // [quoted identifier], unquoted
  | { t: 'str'; v: string }    // string literal, unquoted
  | { t: 'var'; v: string }    // @name
  | { t: 'num'; v: string }
  | { t: 'op'; v: string };

export class SqlSyntaxError extends Error {}

export function lex(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') { while (i < sql.length && sql[i] !== '\n') i++; continue; }
    if (c === '[') {
      let v = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new SqlSyntaxError(`Unclosed quotation mark before the character string '${v}'.`);
        if (sql[i] === ']') { if (sql[i + 1] === ']') { v += ']'; i += 2; continue; } i++; break; }
        v += sql[i++];
      }
      out.push({ t: 'ident', v });
      continue;
    }
    if (c === "'" || ((c === 'N' || c === 'n') && sql[i + 1] === "'")) {
      i += c === "'" ? 1 : 2;
      let v = '';
      for (;;) {
        if (i >= sql.length) throw new SqlSyntaxError(`Unclosed quotation mark after the character string '${v}'.`);
        if (sql[i] === "'") { if (sql[i + 1] === "'") { v += "'"; i += 2; continue; } i++; break; }
        v += sql[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    if (c === '@') {
      const m = /^@@?[A-Za-z0-9_]+/.exec(sql.slice(i))!;
      out.push({ t: 'var', v: m[0].replace(/^@/, '') });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(sql.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_#]/.test(c)) {
      const m = /^[A-Za-z_#][A-Za-z0-9_$#]*/.exec(sql.slice(i))!;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
      continue;
    }
    out.push({ t: 'op', v: c });
    i++;
  }
  return out;
}

/** Splits a batch into statements at ';' (enough for the batches the tests send). */
export function splitStatements(toks: Tok[]): Tok[][] {
  const out: Tok[][] = [];
  let cur: Tok[] = [];
  for (const t of toks) {
    if (t.t === 'op' && t.v === ';') { if (cur.length) out.push(cur); cur = []; } else cur.push(t);
  }
  if (cur.length) out.push(cur);
  return out;
}

export function isWord(t: Tok | undefined, ...words: string[]): boolean {
  return !!t && t.t === 'word' && words.some((w) => w.toUpperCase() === t.v.toUpperCase());
}

/** The value a token stands for: a name, a literal, or a variable's parameter value. */
export function valueOf(t: Tok | undefined, params: Record<string, ParamValue>): string {
  if (!t) throw new SqlSyntaxError("Incorrect syntax near the end of the statement.");
  if (t.t === 'var') {
    if (!(t.v in params)) throw new SqlSyntaxError(`Must declare the scalar variable "@${t.v}".`);
    return String(params[t.v]);
  }
  return t.v;
}

/** The WITH clause of BACKUP/RESTORE: options, MOVE pairs, and values (STATS = 10, STOPAT = @x). */
export interface WithOptions {
  flags: Map<string, string | true>;
  moves: { logical: string; physical: string }[];
}

export function parseWith(toks: Tok[], from: number, params: Record<string, ParamValue>): WithOptions {
  const flags = new Map<string, string | true>();
  const moves: { logical: string; physical: string }[] = [];
  let i = from;
  while (i < toks.length) {
    const t = toks[i]!;
    if (t.t === 'op' && t.v === ',') { i++; continue; }
    if (t.t !== 'word') throw new SqlSyntaxError(`Incorrect syntax near '${t.v}'.`);
    const key = t.v.toUpperCase();
    if (key === 'MOVE') {
      const logical = valueOf(toks[i + 1], params);
      if (!isWord(toks[i + 2], 'TO')) throw new SqlSyntaxError("Incorrect syntax near 'MOVE'.");
      moves.push({ logical, physical: valueOf(toks[i + 3], params) });
      i += 4;
      continue;
    }
    if (toks[i + 1]?.t === 'op' && toks[i + 1]!.v === '=') {
      flags.set(key, valueOf(toks[i + 2], params));
      i += 3;
      continue;
    }
    flags.set(key, true);
    i++;
  }
  return { flags, moves };
}

/** The dotted name starting at `i` ([db].dbo.[t]) up to the first token that is not part of it. */
export function dottedName(toks: Tok[], i: number): string[] {
  const parts: string[] = [];
  for (let n = i; n < toks.length; n += 2) {
    const t = toks[n]!;
    if (t.t !== 'ident' && t.t !== 'word') break;
    parts.push(t.v);
    if (!(toks[n + 1]?.t === 'op' && toks[n + 1]!.v === '.')) break;
  }
  return parts;
}
