import { LifeboatError } from '../../errors/lifeboat-error.ts';

/** sysname is nvarchar(128); QUOTENAME returns NULL beyond that, so a longer name is refused up front. */
const SYSNAME_MAX = 128;

/** QUOTENAME semantics: `[` + name with every `]` doubled + `]`. Every identifier in T-SQL text goes through this. */
export function quoteName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw badName(String(name), 'the name is empty');
  if (name.includes('\0')) throw badName(name, 'the name contains a NUL character');
  if (name.length > SYSNAME_MAX) throw badName(name, `the name is longer than ${SYSNAME_MAX} characters (sysname)`);
  return '[' + name.replace(/]/g, ']]') + ']';
}

/** A Unicode string literal: N'…' with quotes doubled (the N keeps non-ASCII letters intact). */
export function nString(value: string): string {
  if (value.includes('\0')) throw badName(value, 'the text contains a NUL character');
  return "N'" + value.replace(/'/g, "''") + "'";
}

function badName(name: string, cause: string): LifeboatError {
  return new LifeboatError('USAGE', { verb: 'use', thing: 'SQL Server name', where: name, cause });
}
