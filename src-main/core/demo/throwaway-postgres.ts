import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';
import { freePort } from '../util/free-port.ts';

export interface PgServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  binDir: string;
  /** Runs SQL on a database as the superuser and returns the rows. */
  query<T = Record<string, unknown>>(database: string, sql: string, params?: unknown[]): Promise<T[]>;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const m of majors) if (fs.existsSync(path.join(base, m, 'bin', 'initdb'))) return path.join(base, m, 'bin');
  throw new Error('unable to start a throwaway PostgreSQL: no server binaries under /usr/lib/postgresql (install the Debian package postgresql)');
}

const isRoot = process.getuid?.() === 0;

function asPostgres(cmd: string, args: string[]): string[] {
  return isRoot ? ['runuser', '-u', 'postgres', '--', cmd, ...args] : [cmd, ...args];
}

/**
 * A throwaway PostgreSQL cluster (the demo's sample server, and the test harness's) on 127.0.0.1 and a random port: initdb as the postgres user (initdb refuses
 * root), password (SCRAM) authentication over TCP so wrong-password paths are real, fsync off for speed.
 */
export async function startPostgres(opts: { dataChecksums?: boolean } = {}): Promise<PgServer> {
  const binDir = pgBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-pg-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(sock);
  const password = 'pg-' + Math.random().toString(36).slice(2, 12);
  const pwfile = path.join(dir, 'pw');
  fs.writeFileSync(pwfile, password + '\n');
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (cmd: string, args: string[]) => {
    const [file, ...rest] = asPostgres(cmd, args);
    const r = spawnSync(file!, rest, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  run(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-host=scram-sha-256', '--auth-local=trust', `--pwfile=${pwfile}`, '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8', ...(opts.dataChecksums ? ['--data-checksums'] : [])]);
  fs.rmSync(pwfile);
  let port = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    port = await freePort();
    try {
      run(path.join(binDir, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o',
        `-c listen_addresses=127.0.0.1 -p ${port} -k ${sock} -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=50`, 'start']);
      break;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
  const server: PgServer = {
    host: '127.0.0.1', port, user: 'postgres', password, dir, binDir,
    async query<T>(database: string, sql: string, params?: unknown[]) {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database });
      await c.connect();
      try { return (await c.query(sql, params)).rows as T[]; } finally { await c.end(); }
    },
    async createDatabase(name: string) {
      await server.query('postgres', `CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    },
    async stop() {
      try { run(path.join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already down */ }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
