import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { LifeboatError } from '../../errors/lifeboat-error.ts';

export interface SmbConnection {
  host: string;
  port: number;
  share: string;
  username: string;
  domain?: string | undefined;
  password: string;
  encrypt: boolean;
  smbclient: string;
}

/**
 * The argv of one smbclient session. The password never appears here: smbclient reads it from PASSWD in
 * its environment (readable only by this user and root, unlike argv which every user can see in `ps`).
 * SMB3 only, signing always, encryption when asked for.
 */
export function smbArgs(c: SmbConnection, extra: string[] = []): string[] {
  return [
    `//${c.host}/${c.share}`, '-p', String(c.port), '-U', c.username, ...(c.domain ? ['-W', c.domain] : []),
    '-m', 'SMB3', '--option=client min protocol=SMB3', `--client-protection=${c.encrypt ? 'encrypt' : 'sign'}`,
    ...extra,
  ];
}

export function smbEnv(c: SmbConnection): NodeJS.ProcessEnv {
  // TZ=UTC makes the listed times parse without guessing a zone; LC_ALL keeps the output's words stable.
  return { ...process.env, PASSWD: c.password, TZ: 'UTC', LC_ALL: 'C.UTF-8' };
}

export interface SmbResult { code: number | null; stdout: Buffer; stderr: string }

/** Runs a script of smbclient commands fed on stdin (one per line: unlike -c, a ';' in a name is safe there). */
export function smbScript(c: SmbConnection, lines: string[]): Promise<SmbResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(c.smbclient, smbArgs(c), { env: smbEnv(c), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => { if (err.length < 256 * 1024) err += d; });
    child.on('error', (e: NodeJS.ErrnoException) => reject(spawnError(c, e)));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(lines.map((l) => l + '\n').join(''));
  });
}

export function spawnError(c: SmbConnection, e: NodeJS.ErrnoException): LifeboatError {
  if (e.code === 'ENOENT') return new LifeboatError('TOOL_MISSING', { verb: 'run', thing: 'smbclient', where: c.smbclient, cause: 'it is not installed (apt-get install smbclient)' });
  return new LifeboatError('INTERNAL', { verb: 'run', thing: 'smbclient', where: c.smbclient, cause: e.message });
}

/** Quotes a path for smbclient's tokenizer; names it cannot express are refused before anything runs. */
export function smbQuote(p: string): string {
  if (/["\r\n\u0000-\u001f]/.test(p)) {
    throw new LifeboatError('USAGE', { verb: 'use', thing: 'object name', where: p, cause: 'SMB object names may not contain double quotes or control characters' });
  }
  return `"${p}"`;
}

export type { Readable };
