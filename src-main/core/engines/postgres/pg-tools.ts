import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LifeboatError } from '../../errors/lifeboat-error.ts';

const run = promisify(execFile);
const EXE = process.platform === 'win32' ? '.exe' : '';

export interface PgTools {
  dir: string;
  major: number;
  version: string;
  pgDump: string;
  pgDumpall: string;
  pgRestore: string;
}

/** Folders where PostgreSQL client tools usually live, per OS, newest major first. */
export function candidateDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  const globMajors = (base: string, inner: (v: string) => string) => {
    try {
      return fs.readdirSync(base).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a)).map((v) => inner(v));
    } catch { return []; }
  };
  if (process.platform === 'win32') {
    for (const pf of [env.ProgramFiles, env['ProgramFiles(x86)']].filter(Boolean) as string[]) {
      dirs.push(...globMajors(path.join(pf, 'PostgreSQL'), (v) => path.join(pf, 'PostgreSQL', v, 'bin')));
    }
  } else {
    dirs.push(...globMajors('/usr/lib/postgresql', (v) => `/usr/lib/postgresql/${v}/bin`));
    for (const d of safeList('/usr').filter((n) => /^pgsql-\d+$/.test(n)).sort().reverse()) dirs.push(`/usr/${d}/bin`);
    dirs.push('/usr/local/pgsql/bin', '/opt/homebrew/bin', '/usr/local/bin');
  }
  dirs.push(...(env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return [...new Set(dirs)];
}

function safeList(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
}

/**
 * The pg_dump programs in `dirs`, each once: a folder reached twice (/bin → /usr/bin) or a link to a program
 * already listed is skipped, and so is Debian's pg_wrapper when real installs were found, as it only runs
 * one of those.
 */
export function pgDumpCandidates(dirs: string[]): Array<{ dir: string; pgDump: string }> {
  const seen = new Set<string>();
  const out: Array<{ dir: string; pgDump: string; wrapper: boolean }> = [];
  for (const dir of dirs) {
    const pgDump = path.join(dir, 'pg_dump' + EXE);
    let real: string;
    try { real = fs.realpathSync(pgDump); } catch { continue; }
    if (seen.has(real)) continue;
    seen.add(real);
    out.push({ dir, pgDump, wrapper: path.basename(real) === 'pg_wrapper' });
  }
  const anyReal = out.some((c) => !c.wrapper);
  return out.filter((c) => !c.wrapper || !anyReal).map(({ dir, pgDump }) => ({ dir, pgDump }));
}

async function toolVersion(file: string): Promise<{ major: number; version: string } | null> {
  try {
    const { stdout } = await run(file, ['--version'], { timeout: 15_000, windowsHide: true });
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(\S*)/.exec(stdout);
    if (!m) return null;
    return { major: Number(m[1]), version: `${m[1]}${m[2] !== undefined ? '.' + m[2] : ''}${m[3] ?? ''}` };
  } catch {
    return null;
  }
}

/** A pg_dump found on this machine and its version (null: it ran but did not say). */
export interface InstalledPgDump {
  dir: string;
  pgDump: string;
  version: { major: number; version: string } | null;
}

/**
 * Every pg_dump in the configured folder (used alone: the administrator chose it) or else on PATH and in the
 * usual install folders, each asked for its version. This needs no server, so an engine can start it while
 * it connects (see choosePgTools).
 */
export async function installedPgDumps(configuredDir?: string | null): Promise<InstalledPgDump[]> {
  const candidates = pgDumpCandidates(configuredDir ? [configuredDir] : candidateDirs());
  // Every candidate at once: each `--version` is a process start (Debian's wrapper, a Perl one).
  const versions = await Promise.all(candidates.map((c) => toolVersion(c.pgDump)));
  return candidates.map((c, i) => ({ ...c, version: versions[i] ?? null }));
}

/**
 * Of the installed tools, pg_dump, pg_dumpall and pg_restore whose major is at least the server's: the newest
 * suitable install wins. None suitable is an error naming what was found and what is needed.
 */
export function choosePgTools(installed: ReadonlyArray<InstalledPgDump>, serverMajor: number, configuredDir?: string | null): PgTools {
  const found: string[] = [];
  let best: PgTools | null = null;
  for (const { dir, pgDump, version: v } of installed) {
    if (!v) { found.push(`${pgDump} (version unreadable)`); continue; }
    found.push(`${pgDump} ${v.version}`);
    const pgDumpall = path.join(dir, 'pg_dumpall' + EXE);
    const pgRestore = path.join(dir, 'pg_restore' + EXE);
    if (!fs.existsSync(pgRestore) || !fs.existsSync(pgDumpall)) continue;
    if (v.major >= serverMajor && (!best || v.major > best.major)) best = { dir, major: v.major, version: v.version, pgDump, pgDumpall, pgRestore };
  }
  if (best) return best;
  const where = configuredDir ?? 'PATH and the usual install folders';
  if (found.length === 0) {
    throw new LifeboatError('TOOL_MISSING', {
      verb: 'find', thing: 'pg_dump', where, cause: `no pg_dump, pg_dumpall and pg_restore found (need PostgreSQL ${serverMajor} or newer client tools)`,
      hint: `install the PostgreSQL ${serverMajor} client tools, or set the source's toolsDir to their bin folder`,
    });
  }
  throw new LifeboatError('TOOL_TOO_OLD', {
    verb: 'use', thing: 'pg_dump', where,
    cause: `the server is PostgreSQL ${serverMajor}, found only ${found.join(', ')}; pg_dump must be version ${serverMajor} or newer`,
    hint: `install the PostgreSQL ${serverMajor} (or newer) client tools, or set the source's toolsDir to their bin folder`,
  });
}

/** Finds pg_dump, pg_dumpall and pg_restore for a server of major `serverMajor` (installedPgDumps, then choosePgTools). */
export async function findPgTools(serverMajor: number, configuredDir?: string | null): Promise<PgTools> {
  return choosePgTools(await installedPgDumps(configuredDir), serverMajor, configuredDir);
}
