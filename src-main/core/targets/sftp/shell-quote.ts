/** POSIX shell single-quoting: the only safe way to pass a file name with spaces or quotes to `exec`. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
