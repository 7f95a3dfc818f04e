import path from 'node:path/posix';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { lastLines } from '../../util/child.ts';
import { checkObjectName } from '../object-name.ts';
import { PARTIAL_SUFFIX, type ObjectInfo, type PutResult, type Target, type TargetCapabilities } from '../target.ts';
import { fromNtStatus, NOT_FOUND_STATUSES, ntStatuses } from './nt-status.ts';
import { parseRecursiveLs } from './parse-ls.ts';
import { smbArgs, smbEnv, smbQuote, smbScript, spawnError, type SmbConnection, type SmbResult } from './smbclient-run.ts';

/**
 * An SMB share on Linux, through Samba's smbclient (the only client here that speaks SMB3 with signing and
 * encryption; STACK-NOTES). Each operation is one smbclient session: slower per call than a library, but
 * bulk data streams through at the link's speed and nothing about SMB is reimplemented.
 */
export class SmbClientTarget implements Target {
  readonly kind = 'smb';
  readonly location: string;
  readonly capabilities: TargetCapabilities = { atomicRename: true, remoteHash: false, freeSpace: true, removable: false };
  readonly #c: SmbConnection;
  /** Folder inside the share, '/'-separated, '' for the share's root. */
  readonly #root: string;

  constructor(c: SmbConnection, root: string) {
    this.#c = c;
    this.#root = root.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
    this.location = `smb://${c.host}${c.port === 445 ? '' : `:${c.port}`}/${c.share}${this.#root ? '/' + this.#root : ''}`;
  }

  /** Logs in and checks that the share and the root folder exist; the root is never created. */
  async open(): Promise<this> {
    const res = await smbScript(this.#c, this.#root ? [`cd ${smbQuote(this.#root)}`] : ['ls']);
    const statuses = ntStatuses(res.stderr + res.stdout.toString('utf8'));
    const first = statuses[0];
    if (first && NOT_FOUND_STATUSES.has(first)) {
      throw new LifeboatError('TARGET_MISSING', { verb: 'use', thing: 'target folder', where: this.location, cause: `the folder does not exist on the share (${first})` });
    }
    if (first) throw fromNtStatus(first, 'connect to', 'SMB share', this.location);
    if (res.code !== 0) throw new LifeboatError('TARGET_UNREACHABLE', { verb: 'connect to', thing: 'SMB share', where: this.location, cause: lastLines(res.stderr) || `smbclient exited with ${res.code}` });
    return this;
  }

  #full(name: string): string {
    const n = checkObjectName(name);
    const full = this.#root ? `${this.#root}/${n}` : n;
    smbQuote(full);
    return full;
  }

  #where(name: string): string {
    return `${this.location}/${name}`;
  }

  /** Throws the first NT_STATUS in a result (except those in `ignore`), or a non-zero exit. */
  #check(res: SmbResult, verb: string, thing: string, where: string, ignore: ReadonlySet<string> = new Set()): void {
    const all = ntStatuses(res.stderr + res.stdout.toString('utf8'));
    const status = all.find((s) => !ignore.has(s));
    if (status) throw fromNtStatus(status, verb, thing, where);
    // A script's exit code reflects its last failing command, even one whose status was ignored above.
    if (res.code !== 0 && all.length === 0) {
      throw new LifeboatError('TARGET_UNREACHABLE', { verb, thing, where, cause: lastLines(res.stderr) || `smbclient exited with ${res.code}` });
    }
  }

  async put(name: string, data: Readable, opts: { signal?: AbortSignal } = {}): Promise<PutResult> {
    const full = this.#full(name);
    const where = this.#where(name);
    const dir = path.dirname(full) === '.' ? '' : path.dirname(full);
    await this.#mkdirs(dir, where);
    // The temporary name is plain hex: `-c` splits commands at every ';', even inside quotes.
    const tmpBase = `${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`;
    const tmp = dir ? `${dir}/${tmpBase}` : tmpBase;
    let bytes = 0;
    let sourceError: unknown = null;
    // Node's stdin pipes are socketpairs, which smbclient cannot open as /dev/stdin: `cat` turns it into a
    // real pipe. Its own process group lets a failure stop cat and smbclient together.
    const child = spawn('sh', ['-c', 'cat | exec "$0" "$@"', this.#c.smbclient, ...smbArgs(this.#c, [...(dir ? ['-D', dir] : []), '-c', `put /dev/stdin ${tmpBase}`])],
      { env: smbEnv(this.#c), stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => { if (stderr.length < 64 * 1024) stderr += d; });
    const closed = new Promise<number | null>((resolve, reject) => {
      child.on('error', (e: NodeJS.ErrnoException) => reject(spawnError(this.#c, e)));
      child.on('close', (code) => resolve(code));
    });
    // A failed source must never end smbclient's input normally (that would complete the upload): kill first.
    const fail = (err: unknown) => {
      if (sourceError) return;
      sourceError = err;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      data.unpipe(child.stdin);
      child.stdin.destroy();
    };
    const onAbort = () => { fail(opts.signal!.reason ?? Object.assign(new Error('the upload was aborted'), { name: 'AbortError' })); data.destroy(); };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    data.on('error', fail);
    data.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    child.stdin.on('error', () => undefined);
    if (!sourceError) data.pipe(child.stdin);
    let code: number | null;
    try {
      code = await closed;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    try {
      if (sourceError) throw sourceError;
      // smbclient stopped early (share full, denied): release the source as a pipeline would.
      if (!data.readableEnded) data.destroy();
      this.#check({ code, stdout: Buffer.alloc(0), stderr }, 'write', 'object', where);
      const res = await smbScript(this.#c, [`rename ${smbQuote(tmp)} ${smbQuote(full)} -f`]);
      this.#check(res, 'rename', 'object', where);
      return { bytes };
    } catch (err) {
      await smbScript(this.#c, [`del ${smbQuote(tmp)}`]).catch(() => undefined);
      throw err;
    }
  }

  /** Folders this target created or found: each smbclient call costs a login, so they are made once. */
  readonly #madeDirs = new Set<string>();

  async #mkdirs(dir: string, where: string): Promise<void> {
    if (!dir || dir === this.#root || this.#madeDirs.has(dir)) return;
    const rel = this.#root ? dir.slice(this.#root.length + 1) : dir;
    const parts = rel.split('/');
    const lines = parts.map((_, i) => `mkdir ${smbQuote([this.#root, ...parts.slice(0, i + 1)].filter(Boolean).join('/'))}`);
    const res = await smbScript(this.#c, lines);
    this.#check(res, 'create', 'folder', where, new Set(['NT_STATUS_OBJECT_NAME_COLLISION']));
    for (let d = dir; d.length > this.#root.length && d !== '.'; d = path.dirname(d)) this.#madeDirs.add(d);
  }

  async get(name: string, range?: { start: number; end?: number }): Promise<Readable> {
    const full = this.#full(name);
    const info = await this.stat(name);
    const where = this.#where(name);
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? info.size - 1, info.size - 1);
    // `-c` keeps stdout clean (a stdin script adds smbclient's chatter), but splits at ';': such names use a
    // script, whose trailing chatter the size-bounded copy below cuts off.
    const dir = path.dirname(full);
    const base = path.basename(full);
    const viaC = !base.includes(';');
    const args = viaC ? smbArgs(this.#c, [...(dir !== '.' ? ['-D', dir] : []), '-c', `get ${smbQuote(base)} -`]) : smbArgs(this.#c);
    const child = spawn(this.#c.smbclient, args, { env: smbEnv(this.#c), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => { if (stderr.length < 64 * 1024) stderr += d; });
    child.stdin.on('error', () => undefined);
    child.stdin.end(viaC ? '' : `get ${smbQuote(full)} -\n`);
    // smbclient has no ranged get: bytes before the range are skipped, and it is stopped after the range.
    let pos = 0;
    let done = false;
    const out = new Transform({
      highWaterMark: 1024 * 1024,
      transform(chunk: Buffer, _enc, cb) {
        const from = Math.max(0, start - pos);
        const to = Math.min(chunk.length, end + 1 - pos);
        pos += chunk.length;
        if (to > from) this.push(chunk.subarray(from, to));
        if (pos > end && !done) {
          done = true;
          this.push(null);
          child.kill();
        }
        cb();
      },
    });
    child.stdout.pipe(out);
    child.on('error', (e: NodeJS.ErrnoException) => out.destroy(spawnError(this.#c, e)));
    child.on('close', (code) => {
      if (done) return;
      const status = ntStatuses(stderr)[0];
      if (status) out.destroy(fromNtStatus(status, 'read', 'object', where));
      else if (code !== 0 || pos <= end) out.destroy(new LifeboatError('TARGET_UNREACHABLE', { verb: 'read', thing: 'object', where, cause: `the download ended after ${pos} of ${end + 1} bytes${stderr ? ': ' + lastLines(stderr) : ''}` }));
    });
    if (end < start) { done = true; child.kill(); out.end(); }
    return out;
  }

  async stat(name: string): Promise<ObjectInfo> {
    const full = this.#full(name);
    const res = await smbScript(this.#c, [`allinfo ${smbQuote(full)}`]);
    const text = res.stdout.toString('utf8');
    const status = ntStatuses(res.stderr + text)[0];
    if (status && NOT_FOUND_STATUSES.has(status)) throw notFound(this.#where(name));
    this.#check(res, 'read', 'object', this.#where(name));
    const attrs = /^attributes: ([A-Z]*)/m.exec(text)?.[1] ?? '';
    if (attrs.includes('D')) throw notFound(this.#where(name));
    const size = Number(/^stream: \[::\$DATA\], (\d+) bytes/m.exec(text)?.[1] ?? 0);
    const written = /^write_time:\s+(.+)$/m.exec(text)?.[1]?.trim();
    const mtime = written ? new Date(written) : new Date(NaN);
    if (Number.isNaN(mtime.getTime())) throw new LifeboatError('INTERNAL', { verb: 'read', thing: 'object', where: this.#where(name), cause: `unexpected smbclient output: ${lastLines(text)}` });
    return { name, size, mtime };
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const slash = prefix.lastIndexOf('/');
    const sub = slash >= 0 ? prefix.slice(0, slash) : '';
    const start = [this.#root, sub].filter(Boolean).join('/');
    const res = await smbScript(this.#c, [...(start ? [`cd ${smbQuote(start)}`] : []), 'recurse', 'ls']);
    const text = res.stdout.toString('utf8');
    const status = ntStatuses(res.stderr + text)[0];
    if (status && NOT_FOUND_STATUSES.has(status) && start) return [];
    this.#check(res, 'list', 'folder', `${this.location}/${sub}`);
    const rootPrefix = this.#root ? this.#root + '/' : '';
    const out: ObjectInfo[] = [];
    for (const e of parseRecursiveLs(text, start)) {
      if (e.isDir) continue;
      const full = e.dir ? `${e.dir}/${e.name}` : e.name;
      if (!full.startsWith(rootPrefix)) continue;
      const rel = full.slice(rootPrefix.length);
      if (rel.startsWith(prefix)) out.push({ name: rel, size: e.size, mtime: e.mtime });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async remove(name: string): Promise<void> {
    const full = this.#full(name);
    const res = await smbScript(this.#c, [`del ${smbQuote(full)}`]);
    this.#check(res, 'remove', 'object', this.#where(name), NOT_FOUND_STATUSES);
    // Prune emptied folders up to the root; a folder that still holds something refuses, which ends it.
    const dirs: string[] = [];
    for (let d = path.dirname(full); d !== '.' && d.length > this.#root.length; d = path.dirname(d)) dirs.push(d);
    for (const d of dirs) this.#madeDirs.delete(d);
    if (dirs.length) await smbScript(this.#c, dirs.map((d) => `rmdir ${smbQuote(d)}`)).catch(() => undefined);
  }

  async freeSpace(): Promise<number> {
    const res = await smbScript(this.#c, [...(this.#root ? [`cd ${smbQuote(this.#root)}`] : []), 'du']);
    this.#check(res, 'measure', 'free space', this.location);
    const m = /(\d+) blocks of size (\d+)\. (\d+) blocks available/.exec(res.stdout.toString('utf8') + res.stderr);
    if (!m) throw new LifeboatError('INTERNAL', { verb: 'measure', thing: 'free space', where: this.location, cause: 'smbclient printed no block counts' });
    return Number(m[3]) * Number(m[2]);
  }

  async close(): Promise<void> {}
}

function notFound(where: string): LifeboatError {
  return new LifeboatError('OBJECT_NOT_FOUND', { verb: 'find', thing: 'object', where, cause: 'it does not exist' });
}
