import net from 'node:net';
import path from 'node:path/posix';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, type SFTPWrapper, type Stats } from 'ssh2';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { checkObjectName } from '../object-name.ts';
import { PARTIAL_SUFFIX, type ObjectInfo, type PutResult, type Target, type TargetCapabilities } from '../target.ts';
import { checkHostKey, hostKeyFingerprint } from './host-key.ts';
import { fromSftp, sftpStatus, SFTP_NO_SUCH_FILE } from './sftp-errors.ts';
import { SftpWriter } from './sftp-writer.ts';
import { SftpReader } from './sftp-reader.ts';
import { shellQuote } from './shell-quote.ts';
import { StallError } from './stall-watch.ts';
import { parseDigest, REMOTE_HASHERS, type RemoteHasher } from './remote-hash.ts';

export interface SftpConfig {
  host: string;
  port: number;
  username: string;
  /** Root folder on the server; relative paths start in the login folder. */
  path: string;
  /** A private key file (OpenSSH or PEM, ed25519 or RSA); the target's secret is then its passphrase. */
  privateKeyFile?: string | undefined;
  /** The approved host key, "SHA256:…"; without it every connection stops with HOST_KEY_UNKNOWN. */
  hostKeySha256?: string | undefined;
  /** 'auto' hashes on the server (openssl, sha256sum or shasum, the fastest it has) when a shell allows it; 'off' always reads back. */
  remoteHash: 'auto' | 'off';
  keepaliveSeconds: number;
  /**
   * Stall watchdog: an operation that sees no progress for this long (no write acknowledged, no block
   * read, no answer to a request) fails with TARGET_UNREACHABLE (retryable) and the connection is dropped.
   */
  stallSeconds: number;
}

export interface SftpAuth {
  password?: string;
  privateKey?: Buffer;
  passphrase?: string;
}

interface Session {
  client: Client;
  sftp: SFTPWrapper;
  sock: net.Socket;
  closed: boolean;
  /** Rejects when the connection is gone: ssh2 does not always fail requests that were in flight. */
  gone: Promise<never>;
  kill: (err: Error) => void;
  /** The stall watchdog's limit for this session (0 = off). */
  stallMs: number;
  /** Drops the session because an operation on it stopped moving. */
  stall: (err: Error) => void;
  /** The server's fastest SHA-256 tool, probed once per connection (null: none, read back instead). */
  hasher?: Promise<RemoteHasher | null>;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * A folder on an SSH server (a NAS, a Linux box). One SSH connection carries every operation; if it dies
 * the next operation opens a new one, so a retry decorator around this target can simply call again.
 */
export class SftpTarget implements Target {
  readonly kind = 'sftp';
  readonly location: string;
  capabilities: TargetCapabilities = { atomicRename: true, remoteHash: false, freeSpace: false, removable: false };
  /** Present iff capabilities.remoteHash (assigned once the server was probed). */
  hash?: (name: string) => Promise<string>;
  freeSpace?: () => Promise<number>;
  /** The server's SHA-256 tool found when the target was opened (null: none, or remoteHash 'off'). */
  hashTool: string | null = null;

  readonly #config: SftpConfig;
  /** The catalog's name for this target, used in the approve-key hint. */
  readonly #name: string | undefined;
  readonly #auth: SftpAuth;
  #session: Promise<Session> | null = null;
  #root = '';
  #posixRename = false;
  #fsync = false;
  /** Temporary uploads left by a dead connection, removed once a new connection stands. */
  readonly #orphans = new Set<string>();
  #bytesReceived = 0;
  #bytesSent = 0;

  constructor(config: SftpConfig, auth: SftpAuth, name?: string) {
    this.#config = config;
    this.#auth = auth;
    this.#name = name;
    this.location = `sftp://${config.username}@${config.host}:${config.port}/${config.path.replace(/^\/+/, '')}`;
  }

  /** Connects, checks the host key and the root folder, and probes what the server offers. */
  async open(): Promise<this> {
    const s = await this.#connect();
    const ext = (s.sftp as unknown as { _extensions: Record<string, string> })._extensions ?? {};
    this.#posixRename = 'posix-rename@openssh.com' in ext;
    this.#fsync = 'fsync@openssh.com' in ext;
    const statvfs = 'statvfs@openssh.com' in ext;
    const hasher = this.#config.remoteHash === 'auto' ? await this.#hasherOf(s) : null;
    this.hashTool = hasher?.name ?? null;
    const remoteHash = hasher !== null;
    // Without posix-rename, SFTP v3 rename refuses an existing name, so replacing is remove-then-rename.
    this.capabilities = { atomicRename: this.#posixRename, remoteHash, freeSpace: statvfs, removable: false };
    if (remoteHash) this.hash = (name) => this.#hash(name);
    if (statvfs) this.freeSpace = () => this.#freeSpace();
    return this;
  }

  /** Bytes the SSH connections carried so far (both directions), for verifying "hashed without download". */
  transferStats(): { sent: number; received: number } {
    let sent = this.#bytesSent;
    let received = this.#bytesReceived;
    const live = this.#liveSession;
    if (live) { sent += live.sock.bytesWritten; received += live.sock.bytesRead; }
    return { sent, received };
  }

  #liveSession: Session | null = null;

  #abs(name: string): string {
    return path.join(this.#root, checkObjectName(name));
  }

  #where(name: string): string {
    return `${this.location.replace(/\/$/, '')}/${name}`;
  }

  #connect(): Promise<Session> {
    if (this.#session) return this.#session;
    const p = this.#dial();
    this.#session = p;
    p.catch(() => { if (this.#session === p) this.#session = null; });
    return p;
  }

  async #dial(): Promise<Session> {
    const { host, port, username } = this.#config;
    const where = `${host}:${port}`;
    const sock = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port });
      const t = setTimeout(() => { s.destroy(); reject(unreachable(where, 'no answer within 20 s')); }, 20_000);
      s.once('connect', () => { clearTimeout(t); s.removeAllListeners('error'); resolve(s); });
      s.once('error', (err: NodeJS.ErrnoException) => { clearTimeout(t); reject(unreachable(where, `${err.code ?? ''} ${err.message}`.trim())); });
    });
    const client = new Client();
    let hostKeyError: LifeboatError | null = null;
    const ready = new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', (err: Error & { level?: string }) => reject(hostKeyError ?? this.#connectError(err, where)));
      client.once('close', () => reject(hostKeyError ?? unreachable(where, 'the server closed the connection')));
    });
    try {
      client.connect({
        sock, username, host, port,
        ...(this.#auth.password !== undefined ? { password: this.#auth.password } : {}),
        ...(this.#auth.privateKey ? { privateKey: this.#auth.privateKey } : {}),
        ...(this.#auth.passphrase !== undefined ? { passphrase: this.#auth.passphrase } : {}),
        tryKeyboard: false,
        readyTimeout: 20_000,
        keepaliveInterval: this.#config.keepaliveSeconds * 1000,
        keepaliveCountMax: 4,
        hostVerifier: (key: Buffer) => {
          hostKeyError = checkHostKey(hostKeyFingerprint(key), this.#config.hostKeySha256, where, this.#name);
          return hostKeyError === null;
        },
      });
    } catch (err) {
      sock.destroy();
      // ssh2 parses the private key synchronously: a wrong passphrase or a damaged key ends up here.
      throw new LifeboatError('TARGET_AUTH_FAILED', { verb: 'use', thing: 'SSH private key', where: this.#config.privateKeyFile ?? where, cause: (err as Error).message });
    }
    try {
      await ready;
    } catch (err) {
      client.end();
      sock.destroy();
      throw err;
    }
    // Nagle's algorithm stalls SFTP's request/response pattern: 1 MB/s without this, 200 MB/s with it.
    client.setNoDelay(true);
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => client.sftp((err, s) => (err ? reject(err) : resolve(s))))
      .catch((err) => { client.end(); throw new LifeboatError('TARGET_UNREACHABLE', { verb: 'start', thing: 'SFTP session', where, cause: (err as Error).message }); });
    let kill: (err: Error) => void = () => undefined;
    const gone = new Promise<never>((_, reject) => { kill = reject; });
    gone.catch(() => undefined);
    const stallMs = Math.round(this.#config.stallSeconds * 1000);
    const session: Session = { client, sftp, sock, closed: false, gone, kill, stallMs, stall: (err) => this.#drop(session, err) };
    // Any sign of the end counts: ssh2 may report a lost link as 'end' or 'close' without an 'error',
    // and the SFTP channel may close on its own (the subsystem died) while the connection stays up.
    const onGone = (err?: unknown) => this.#drop(session, err instanceof Error ? err : undefined);
    client.on('error', onGone);
    client.on('end', onGone);
    client.on('close', onGone);
    sftp.on('close', onGone);
    sftp.on('end', onGone);
    this.#liveSession = session;
    await this.#checkRoot(session);
    for (const orphan of [...this.#orphans]) {
      // callOn, not call: a request sent after the link died is never answered nor failed by ssh2.
      await callOn<void>(session, (cb) => sftp.unlink(orphan, cb)).catch(() => undefined);
      this.#orphans.delete(orphan);
    }
    return session;
  }

  /** Forgets a dead session; the next operation dials again, which lets a retry decorator recover. */
  #drop(session: Session, reason?: Error): void {
    if (session.closed) return;
    session.closed = true;
    session.kill(reason ?? new Error('the connection closed'));
    this.#bytesReceived += session.sock.bytesRead;
    this.#bytesSent += session.sock.bytesWritten;
    if (this.#liveSession === session) { this.#liveSession = null; this.#session = null; }
    session.sock.destroy();
  }

  #connectError(err: Error & { level?: string }, where: string): LifeboatError {
    if (err.level === 'client-authentication') {
      return new LifeboatError('TARGET_AUTH_FAILED', { verb: 'log in to', thing: 'SFTP server', where: `${this.#config.username}@${where}`, cause: this.#auth.privateKey ? 'the server refused the key' : 'the server refused the user name or password' });
    }
    return unreachable(where, err.message);
  }

  async #checkRoot(s: Session): Promise<void> {
    let real: string;
    try {
      real = await callOn<string>(s, (cb) => s.sftp.realpath(this.#config.path, cb));
      const st = await callOn<Stats>(s, (cb) => s.sftp.stat(real, cb));
      if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: SFTP_NO_SUCH_FILE });
    } catch (err) {
      s.client.end();
      // A missing root is never created: it may be an unmounted volume on the NAS.
      const e = fromSftp(err, 'use', 'target folder', this.location);
      throw e.code === 'TARGET_MISSING' ? new LifeboatError('TARGET_MISSING', { verb: 'use', thing: 'target folder', where: this.location, cause: 'it does not exist on the server' }) : e;
    }
    this.#root = real;
  }

  async put(name: string, data: Readable, opts: { signal?: AbortSignal } = {}): Promise<PutResult> {
    const final = this.#abs(name);
    const s = await this.#connect();
    const tmp = `${final}.${randomBytes(4).toString('hex')}${PARTIAL_SUFFIX}`;
    const where = this.#where(name);
    let handle: Buffer | null = null;
    try {
      handle = await this.#openForWrite(s, tmp, where);
      const writer = new SftpWriter(s.sftp, handle, (err) => fromSftp(err, 'write', 'object', where), s.gone, { ms: s.stallMs, onStall: s.stall });
      // Past this line every server-side failure is a LifeboatError; anything else is the source's or the abort's.
      await pipeline(data, writer, opts.signal ? { signal: opts.signal } : {});
      const h = handle;
      if (this.#fsync) await callOn<void>(s, (cb) => s.sftp.ext_openssh_fsync(h, cb)).catch((e) => { throw fromSftp(e, 'flush', 'object', where); });
      handle = null;
      await callOn<void>(s, (cb) => s.sftp.close(h, cb)).catch((e) => { throw fromSftp(e, 'write', 'object', where); });
      await this.#rename(s, tmp, final).catch((e) => { throw fromSftp(e, 'rename', 'object', where); });
      return { bytes: writer.bytes };
    } catch (err) {
      // A lost link: drop the session now (ssh2 may report the failed requests before the close event).
      if (err instanceof LifeboatError && err.code === 'TARGET_UNREACHABLE') this.#drop(s);
      // Measured before the temporary upload is removed, which frees the space again.
      const full = err instanceof LifeboatError && err.code === 'INTERNAL' && await this.#looksFull(s);
      if (handle && !s.closed) { const h = handle; await quietly(callOn<void>(s, (cb) => s.sftp.close(h, cb))); }
      if (s.closed || !(await quietly(callOn<void>(s, (cb) => s.sftp.unlink(tmp, cb))))) this.#orphans.add(tmp);
      if (full) throw new LifeboatError('TARGET_FULL', { verb: 'write', thing: 'object', where, cause: 'no space left on the server' });
      throw err;
    }
  }

  /** OpenSSH reports a full disk only as a generic failure: ask statvfs whether that is what happened. */
  async #looksFull(s: Session): Promise<boolean> {
    if (s.closed || !this.capabilities.freeSpace) return false;
    try {
      const st = await callOn<{ f_bavail: number | bigint; f_frsize: number | bigint }>(s, (cb) => s.sftp.ext_openssh_statvfs(this.#root, cb as never));
      return Number(st.f_bavail) * Number(st.f_frsize) < 2 * 1024 * 1024;
    } catch {
      return false;
    }
  }

  async #openForWrite(s: Session, file: string, where: string): Promise<Buffer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await callOn<Buffer>(s, (cb) => s.sftp.open(file, 'wx', { mode: 0o640 }, cb));
      } catch (err) {
        // A parent folder is missing (or a concurrent removal pruned it): create it and try again.
        if (sftpStatus(err) !== SFTP_NO_SUCH_FILE || attempt >= 3) throw fromSftp(err, 'write', 'object', where);
        await this.#mkdirs(s, path.dirname(file), where);
      }
    }
  }

  async #mkdirs(s: Session, dir: string, where: string): Promise<void> {
    if (dir === this.#root || dir.length <= this.#root.length) return;
    try {
      await callOn<void>(s, (cb) => s.sftp.mkdir(dir, cb));
    } catch (err) {
      if (sftpStatus(err) === SFTP_NO_SUCH_FILE) {
        await this.#mkdirs(s, path.dirname(dir), where);
        await callOn<void>(s, (cb) => s.sftp.mkdir(dir, cb)).catch(() => undefined);
        return;
      }
      // It may exist already (created by a concurrent put): only a real folder is fine.
      const st = await callOn<Stats>(s, (cb) => s.sftp.stat(dir, cb)).catch(() => null);
      if (!st?.isDirectory()) throw fromSftp(err, 'create', 'folder', where);
    }
  }

  async #rename(s: Session, from: string, to: string): Promise<void> {
    if (this.#posixRename) {
      await callOn<void>(s, (cb) => s.sftp.ext_openssh_rename(from, to, cb));
      return;
    }
    await callOn<void>(s, (cb) => s.sftp.unlink(to, cb)).catch(() => undefined);
    await callOn<void>(s, (cb) => s.sftp.rename(from, to, cb));
  }

  async get(name: string, range?: { start: number; end?: number }): Promise<Readable> {
    const file = this.#abs(name);
    const info = await this.stat(name);
    const s = await this.#connect();
    const where = this.#where(name);
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? info.size - 1, info.size - 1);
    if (end < start) return Readable.from([]);
    const handle = await callOn<Buffer>(s, (cb) => s.sftp.open(file, 'r', cb)).catch((err) => {
      throw sftpStatus(err) === SFTP_NO_SUCH_FILE ? notFound(where) : fromSftp(err, 'read', 'object', where);
    });
    return new SftpReader(s.sftp, handle, start, end, (err) => fromSftp(err, 'read', 'object', where), s.gone, { ms: s.stallMs, onStall: s.stall });
  }

  async stat(name: string): Promise<ObjectInfo> {
    const file = this.#abs(name);
    const s = await this.#connect();
    let st: Stats;
    try {
      st = await callOn<Stats>(s, (cb) => s.sftp.stat(file, cb));
    } catch (err) {
      if (sftpStatus(err) === SFTP_NO_SUCH_FILE) throw notFound(this.#where(name));
      throw fromSftp(err, 'read', 'object', this.#where(name));
    }
    if (!st.isFile()) throw notFound(this.#where(name));
    return { name, size: st.size, mtime: new Date(st.mtime * 1000) };
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const s = await this.#connect();
    const out: ObjectInfo[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: { filename: string; attrs: Stats }[];
      try {
        entries = await callOn(s, (cb) => s.sftp.readdir(dir, cb as never));
      } catch (err) {
        if (sftpStatus(err) === SFTP_NO_SUCH_FILE) return;
        throw fromSftp(err, 'list', 'folder', `${this.location}/${rel}`);
      }
      for (const e of entries) {
        if (e.filename === '.' || e.filename === '..') continue;
        const childRel = rel ? `${rel}/${e.filename}` : e.filename;
        if (e.attrs.isDirectory()) {
          if (prefix === '' || prefix.startsWith(childRel + '/') || childRel.startsWith(prefix)) await walk(`${dir}/${e.filename}`, childRel);
        } else if (e.attrs.isFile() && childRel.startsWith(prefix)) {
          out.push({ name: childRel, size: e.attrs.size, mtime: new Date(e.attrs.mtime * 1000) });
        }
      }
    };
    await walk(this.#root, '');
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async remove(name: string): Promise<void> {
    const file = this.#abs(name);
    const s = await this.#connect();
    try {
      await callOn<void>(s, (cb) => s.sftp.unlink(file, cb));
    } catch (err) {
      if (sftpStatus(err) !== SFTP_NO_SUCH_FILE) throw fromSftp(err, 'remove', 'object', this.#where(name));
    }
    // Prune folders the removal emptied, up to (not including) the root; a non-empty folder refuses.
    let dir = path.dirname(file);
    while (dir.startsWith(this.#root + '/')) {
      try { await callOn<void>(s, (cb) => s.sftp.rmdir(dir, cb)); } catch { break; }
      dir = path.dirname(dir);
    }
  }

  async #hash(name: string): Promise<string> {
    const file = this.#abs(name);
    const where = this.#where(name);
    const s = await this.#connect();
    const hasher = await this.#hasherOf(s);
    if (!hasher) return this.#readBackHash(name);
    // One exec, no separate stat: the shell tells a missing object (exit 66) from a failing tool.
    const q = shellQuote(file);
    const { stdout, stderr, code } = await this.#exec(s, `test -f ${q} || exit 66; exec ${hasher.command} < ${q}`, where);
    if (code === 66) throw notFound(where);
    const digest = code === 0 ? parseDigest(stdout) : null;
    if (!digest) throw new LifeboatError('INTERNAL', { verb: 'hash', thing: 'object', where, cause: `${hasher.name} on the server failed: ${(stderr || stdout).trim().slice(0, 300) || `exit code ${code}`}` });
    return digest;
  }

  /** The server had no usable hasher on this connection: the SHA-256 of the object read back. */
  async #readBackHash(name: string): Promise<string> {
    const h = createHash('sha256');
    for await (const chunk of await this.get(name)) h.update(chunk as Buffer);
    return h.digest('hex');
  }

  /**
   * Which SHA-256 tool the server offers, fastest first (openssl uses the CPU's SHA instructions, several
   * times coreutils' speed), checked once per connection by hashing empty input with each: a tool counts
   * only when its answer parses to the known empty digest. A login shell that is not POSIX-like fails the
   * probe, so the quoting used later is never sent to a shell that reads it differently.
   */
  #hasherOf(s: Session): Promise<RemoteHasher | null> {
    s.hasher ??= (async () => {
      const script = REMOTE_HASHERS.map((h) => `echo "${h.name}:$(${h.command} < /dev/null 2>/dev/null)"`).join('; ');
      const { stdout } = await this.#exec(s, script, this.location);
      const answers = new Map(stdout.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as const));
      return REMOTE_HASHERS.find((h) => parseDigest(answers.get(h.name) ?? '') === EMPTY_SHA256) ?? null;
    })().catch((err: unknown) => {
      // The connection died during the probe: that is the caller's failure, not a server without a hasher.
      if (s.closed) throw err;
      return null;
    });
    return s.hasher;
  }

  /**
   * Runs a command over an exec channel. The command prints nothing until it is done (a hash of a large
   * file takes a while), so the stall watchdog here watches the connection instead: every stallMs without
   * an exit, one cheap SFTP request must be answered, or the session is dropped and this fails.
   */
  async #exec(s: Session, command: string, where: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
    let channel: { close(): void } | null = null;
    let finished = false;
    const run = new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
      try {
        s.client.exec(command, (err, ch) => {
          if (err) return reject(err);
          channel = ch;
          let o = '';
          let e = '';
          ch.on('data', (d: Buffer) => { o += d.toString('utf8'); });
          ch.stderr.on('data', (d: Buffer) => { e += d.toString('utf8'); });
          ch.on('close', (c?: number | null) => resolve({ stdout: o, stderr: e, code: c ?? null }));
        });
      } catch (err) {
        reject(err);
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const alive = (async () => {
      while (!finished && s.stallMs > 0) {
        await new Promise((r) => { timer = setTimeout(r, s.stallMs); });
        if (!finished) await callOn(s, (cb) => s.sftp.realpath('.', cb));
      }
    })();
    alive.catch(() => undefined);
    try {
      const r = await Promise.race([run, s.gone, alive.then(() => new Promise<never>(() => undefined))]);
      // A channel cut by a dying connection closes without an exit status.
      if (r.code === null && s.closed) throw new Error('the connection closed during the command');
      return r;
    } catch (err) {
      try { (channel as { close(): void } | null)?.close(); } catch { /* the session is gone */ }
      throw fromSftp(err, 'hash', 'object', where);
    } finally {
      finished = true;
      clearTimeout(timer);
    }
  }

  async #freeSpace(): Promise<number> {
    const s = await this.#connect();
    try {
      const st = await callOn<{ f_bavail: number | bigint; f_frsize: number | bigint }>(s, (cb) => s.sftp.ext_openssh_statvfs(this.#root, cb as never));
      return Number(st.f_bavail) * Number(st.f_frsize);
    } catch (err) {
      throw fromSftp(err, 'measure', 'free space', this.location);
    }
  }

  async close(): Promise<void> {
    const p = this.#session;
    this.#session = null;
    if (!p) return;
    const s = await p.catch(() => null);
    if (!s || s.closed) return;
    await new Promise<void>((resolve) => {
      s.client.once('close', () => resolve());
      s.client.end();
      setTimeout(resolve, 2000).unref();
    });
  }
}

/**
 * An ssh2 request that also fails when the session dies under it (ssh2 neither answers nor fails a request
 * sent on a channel that already closed), or when it gets no answer for the stall limit, which also drops
 * the session: later requests would queue behind the stuck one.
 */
function callOn<T>(s: Pick<Session, 'gone' | 'stallMs' | 'stall'>, fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  if (s.stallMs <= 0) return Promise.race([call(fn), s.gone]);
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { const err = new StallError(s.stallMs); s.stall(err); reject(err); }, s.stallMs);
  });
  stalled.catch(() => undefined);
  return Promise.race([call(fn), s.gone, stalled]).finally(() => clearTimeout(timer));
}

function call<T>(fn: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      fn((err, value) => (err ? reject(err) : resolve(value as T)));
    } catch (err) {
      reject(err);
    }
  });
}

/** Best-effort cleanup: true when it worked; never waits more than a few seconds on a dying connection. */
async function quietly(p: Promise<unknown>, ms = 5000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([p.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function notFound(where: string): LifeboatError {
  return new LifeboatError('OBJECT_NOT_FOUND', { verb: 'find', thing: 'object', where, cause: 'it does not exist' });
}

function unreachable(where: string, cause: string): LifeboatError {
  return new LifeboatError('TARGET_UNREACHABLE', { verb: 'connect to', thing: 'SFTP server', where, cause });
}
