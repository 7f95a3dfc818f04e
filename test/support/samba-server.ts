import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.ts';

export interface SambaServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Share "backup": a folder owned by the user. */
  share: string;
  shareDir: string;
  /** Share "small": a 4 MiB tmpfs, for "target full". */
  smallShare: string;
  smallDir: string;
  /** Share "readonly": read only for everyone. */
  readonlyShare: string;
  readonlyDir: string;
  variant: 'signing' | 'encryption';
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], input?: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout || r.error?.message}`);
}

function runLocked(cmd: string, args: string[]): void {
  for (let i = 0; ; i++) {
    try { run(cmd, args); return; } catch (err) {
      if (i >= 20) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 + Math.random() * 200);
    }
  }
}

/**
 * Samba's smbd as root on 127.0.0.1 and a random port with a private smb.conf: SMB3 only, signing
 * mandatory, and in the 'encryption' variant encryption required as well. A throwaway system user owns
 * the shares (Samba maps SMB users to Unix accounts). Needs root, samba and smbclient; otherwise this throws
 * and the tests fail rather than skip.
 */
export async function startSamba(variant: 'signing' | 'encryption' = 'signing'): Promise<SambaServer> {
  if (process.getuid?.() !== 0) throw new Error('the samba harness must run as root');
  const smbd = ['/usr/sbin/smbd', '/usr/bin/smbd'].find((p) => fs.existsSync(p));
  if (!smbd) throw new Error('smbd not found: apt-get install samba');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-smbd-'));
  fs.chmodSync(dir, 0o755);
  const user = `lbs${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  runLocked('useradd', ['-M', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', user]);
  const sub = (n: string) => { const p = path.join(dir, n); fs.mkdirSync(p, { recursive: true }); return p; };
  const shareDir = sub('share');
  const smallDir = sub('small');
  const readonlyDir = sub('readonly');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', smallDir]);
  for (const d of [shareDir, smallDir]) execFileSync('chown', [`${user}:${user}`, d]);
  fs.writeFileSync(path.join(readonlyDir, 'existing.txt'), 'present\n');
  const port = await freePort();
  const conf = path.join(dir, 'smb.conf');
  fs.writeFileSync(conf, [
    '[global]',
    `  smb ports = ${port}`,
    '  interfaces = 127.0.0.1',
    '  bind interfaces only = yes',
    `  private dir = ${sub('private')}`,
    `  lock directory = ${sub('lock')}`,
    `  state directory = ${sub('state')}`,
    `  cache directory = ${sub('cache')}`,
    `  pid directory = ${sub('pid')}`,
    `  ncalrpc dir = ${sub('ncalrpc')}`,
    `  log file = ${path.join(dir, 'log.%m')}`,
    '  log level = 1',
    `  passdb backend = tdbsam:${path.join(dir, 'private', 'passdb.tdb')}`,
    '  server role = standalone server',
    '  workgroup = LIFEBOAT',
    '  server min protocol = SMB3',
    '  server signing = mandatory',
    `  server smb encrypt = ${variant === 'encryption' ? 'required' : 'if_required'}`,
    '  disable netbios = yes',
    '  load printers = no',
    '  printing = bsd',
    '  printcap name = /dev/null',
    '  disable spoolss = yes',
    '  map to guest = never',
    '  restrict anonymous = 2',
    '  unix charset = UTF-8',
    '[backup]',
    `  path = ${shareDir}`,
    '  read only = no',
    `  valid users = ${user}`,
    '[small]',
    `  path = ${smallDir}`,
    '  read only = no',
    `  valid users = ${user}`,
    '[readonly]',
    `  path = ${readonlyDir}`,
    '  read only = yes',
    '',
  ].join('\n'));
  run('smbpasswd', ['-c', conf, '-s', '-a', user], `${password}\n${password}\n`);
  const log = path.join(dir, 'smbd.out');
  // Its own process group: smbd signals its whole group when it shuts down, which would include the test runner.
  const child: ChildProcess = spawn(smbd, ['--foreground', '--no-process-group', '-s', conf], { stdio: ['ignore', fs.openSync(log, 'a'), fs.openSync(log, 'a')], detached: true });
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`smbd exited: ${fs.readFileSync(log, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`smbd did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: '127.0.0.1', port, user, password, share: 'backup', shareDir, smallShare: 'small', smallDir, readonlyShare: 'readonly', readonlyDir, variant,
    async stop() {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
      }
      // smbd's per-connection children share its process group: none may outlive the test and pin the tmpfs.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* all gone */ }
      try { execFileSync('umount', [smallDir]); } catch { try { execFileSync('umount', ['-l', smallDir]); } catch { /* not mounted */ } }
      runLocked('userdel', ['-f', user]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}
