import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.ts';

export interface SshdServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The test user's writable folder (absolute), owned by the user. */
  dataDir: string;
  /** Private keys that the server accepts for the user. */
  keys: { ed25519: string; ed25519Passphrase: string; ed25519WithPassphrase: string; rsa: string };
  /** SHA256:... of the current host key, as `ssh-keygen -lf` prints it. */
  hostKeySha256(): string;
  /** Replaces the host key with a new one and restarts sshd on the same port. */
  rotateHostKey(): Promise<void>;
  /** Kills every open SSH session (the per-connection processes), leaving the listener up. */
  killSessions(): number;
  /**
   * Freezes (SIGSTOP) or thaws (SIGCONT) every open SSH session: the TCP connection stays up but nothing
   * answers, as with a hung NAS or a link that drops packets silently. Returns how many processes.
   */
  freezeSessions(): number;
  thawSessions(): number;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], opts: { input?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout || r.error?.message}`);
  return r.stdout;
}

/** useradd and userdel lock /etc/passwd; parallel test files may race for it. */
function runLocked(cmd: string, args: string[], opts: { input?: string } = {}): void {
  for (let i = 0; ; i++) {
    try { run(cmd, args, opts); return; } catch (err) {
      if (i >= 20) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 + Math.random() * 200);
    }
  }
}

/**
 * OpenSSH sshd as root on 127.0.0.1 and a random port, with a private config and host key, and a throwaway
 * system user (password and public-key login; sshd with UsePAM no needs a real account with an unlocked
 * password). Needs root and openssh-server: without them this throws, so the tests fail rather than skip.
 */
export async function startSshd(): Promise<SshdServer> {
  if (process.getuid?.() !== 0) throw new Error('the sshd harness must run as root (it creates a test user)');
  const sshd = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => fs.existsSync(p));
  if (!sshd) throw new Error('sshd not found: apt-get install openssh-server');
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-sshd-'));
  fs.chmodSync(dir, 0o755);
  const user = `lbt${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(9).toString('base64url')}`;
  const home = path.join(dir, 'home');
  runLocked('useradd', ['-M', '-d', home, '-s', '/bin/sh', user]);
  runLocked('chpasswd', [], { input: `${user}:${password}\n` });
  fs.mkdirSync(home, { mode: 0o755 });
  const dataDir = path.join(home, 'data');
  fs.mkdirSync(dataDir);
  execFileSync('chown', ['-R', `${user}:${user}`, home]);

  const keyDir = path.join(dir, 'keys');
  fs.mkdirSync(keyDir, { mode: 0o700 });
  const keygen = (file: string, type: string, pass: string, bits?: number) =>
    run('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', pass, '-C', 'lifeboat-test', '-f', file]);
  const ed = path.join(keyDir, 'id_ed25519');
  const edp = path.join(keyDir, 'id_ed25519_pass');
  const rsa = path.join(keyDir, 'id_rsa');
  const edPass = `kp-${randomBytes(6).toString('hex')}`;
  keygen(ed, 'ed25519', '');
  keygen(edp, 'ed25519', edPass);
  keygen(rsa, 'rsa', '', 3072);
  const authorized = path.join(dir, 'authorized_keys');
  fs.writeFileSync(authorized, [ed, edp, rsa].map((k) => fs.readFileSync(`${k}.pub`, 'utf8')).join(''), { mode: 0o644 });

  const hostKey = path.join(dir, 'host_ed25519');
  keygen(hostKey, 'ed25519', '');
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorized}`,
    'PasswordAuthentication yes',
    'PubkeyAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    `AllowUsers ${user}`,
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    '',
  ].join('\n'));

  let child: ChildProcess | null = null;
  const log = path.join(dir, 'sshd.log');
  const start = async (): Promise<void> => {
    const c = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', fs.openSync(log, 'a')] });
    child = c;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`sshd exited: ${fs.readFileSync(log, 'utf8')}`);
      if (await canConnect(port)) return;
      if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${fs.readFileSync(log, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const halt = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const done = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await done;
  };
  await start();

  const server: SshdServer = {
    host: '127.0.0.1', port, user, password, dataDir,
    keys: { ed25519: ed, ed25519WithPassphrase: edp, ed25519Passphrase: edPass, rsa },
    hostKeySha256: () => run('ssh-keygen', ['-lf', `${hostKey}.pub`]).split(' ')[1]!,
    async rotateHostKey() {
      await halt();
      fs.rmSync(hostKey);
      fs.rmSync(`${hostKey}.pub`);
      keygen(hostKey, 'ed25519', '');
      await start();
    },
    killSessions() {
      return signalSessions(child?.pid, 'SIGKILL');
    },
    freezeSessions() {
      return signalSessions(child?.pid, 'SIGSTOP');
    },
    thawSessions() {
      return signalSessions(child?.pid, 'SIGCONT');
    },
    async stop() {
      server.killSessions();
      await halt();
      runLocked('userdel', ['-f', user]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** Signals every descendant of the listener: with privilege separation the unprivileged child holds the socket too. */
function signalSessions(pid: number | undefined, signal: NodeJS.Signals): number {
  if (!pid) return 0;
  const kids: number[] = [];
  const walk = (p: number) => { for (const c of childrenOf(p)) { kids.push(c); walk(c); } };
  walk(pid);
  for (const k of kids) { try { process.kill(k, signal); } catch { /* already gone */ } }
  return kids.length;
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function canConnect(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('data', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    setTimeout(() => { s.destroy(); resolve(false); }, 1000);
  });
}
