/** SQL identifier quoting: every database, schema and table name goes through this, never concatenated raw. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('identifier contains a NUL character');
  return '"' + name.replace(/"/g, '""') + '"';
}

/** PostgreSQL truncates identifiers at 63 bytes; derived names (staging, drills) must fit. */
export function fitIdent(name: string, maxBytes = 63): string {
  let out = name;
  while (Buffer.byteLength(out, 'utf8') > maxBytes) out = out.slice(0, -1);
  return out;
}
