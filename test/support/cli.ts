import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'src-main/cli/main.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when the command ran with --json. */
  json: any;
}

/** Runs the real CLI in a child process, as a user would, with its own LIFEBOAT_HOME. */
export function runCli(home: string, args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
      env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: unknown = undefined;
      if (args.includes('--json')) { try { json = JSON.parse(stdout); } catch { /* not JSON */ } }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Spawns the CLI without waiting, for tests that kill it. */
export function spawnCli(home: string, args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [CLI, '--home', home, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `lifeboat source add` for a test PostgreSQL, the password passed as a user would: through an env variable. */
export async function addPgSource(home: string, pg: { host: string; port: number; user: string; password: string }, extra: string[] = [], name = 'pg'): Promise<CliResult> {
  const r = await runCli(home, ['source', 'add', name, '--kind', 'postgres', '--host', pg.host, '--port', String(pg.port), '--user', pg.user, ...extra, '--password-env', 'LB_TEST_PG_PW'], { env: { LB_TEST_PG_PW: pg.password } });
  if (r.code !== 0) throw new Error(`source add failed: ${r.stderr}`);
  return r;
}
