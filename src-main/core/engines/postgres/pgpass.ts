import fs from 'node:fs';
import path from 'node:path';

/**
 * The password reaches pg_dump/pg_restore through a pgpass file readable by the owner only, never through
 * argv (visible to every user in `ps`). libpq ignores a pgpass with looser permissions, so mode 0600 is
 * also what makes it work.
 */
export function writePgpass(dir: string, host: string, port: number, user: string, password: string): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const file = path.join(dir, `pgpass-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${esc(host)}:${port}:*:${esc(user)}:${esc(password)}\n`, { mode: 0o600 });
  return file;
}

export function removePgpass(file: string | null): void {
  if (file) fs.rmSync(file, { force: true });
}
