import fs from 'node:fs';
import path from 'node:path';

/**
 * A tools folder whose pg_dump / pg_dumpall / pg_restore record their argv into `argvLog` and then run
 * the real tools. With `stallFlag`, pg_dump keeps its output open while that file exists: a backup that
 * hangs mid-stream, for crash tests.
 */
export function wrapPgTools(dir: string, realBinDir: string, opts: { argvLog: string; stallFlag?: string }): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const tool of ['pg_dump', 'pg_dumpall', 'pg_restore']) {
    const stall = tool === 'pg_dump' && opts.stallFlag
      ? `if [ -f '${opts.stallFlag}' ] && [ "$1" != "--version" ]; then "${realBinDir}/${tool}" "$@"; while [ -f '${opts.stallFlag}' ]; do sleep 0.2; done; exit 0; fi\n`
      : '';
    fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\nprintf '%s\\n' "${tool} $*" >> '${opts.argvLog}'\n${stall}exec "${realBinDir}/${tool}" "$@"\n`, { mode: 0o755 });
  }
  return dir;
}

/** A tools folder with a pg_dump that reports an old major version. */
export function oldPgTools(dir: string, major: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const tool of ['pg_dump', 'pg_dumpall', 'pg_restore']) {
    fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) ${major}"\n`, { mode: 0o755 });
  }
  return dir;
}

/** Every file below `dir`, relative, for "nothing left behind" checks. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  // A running backup renames its temporary files: one listed a moment ago may be gone when it is looked at.
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile()).sort();
}
