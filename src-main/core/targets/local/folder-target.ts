import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { LifeboatError } from '../../errors/lifeboat-error.ts';
import { fromErrno } from '../../errors/errno.ts';
import { checkObjectName } from '../object-name.ts';
import { writeDurably } from './write-durably.ts';
import { digestFile } from '../../pipeline/file-digest.ts';
import { PARTIAL_SUFFIX, type ObjectInfo, type PutResult, type Target, type TargetCapabilities } from '../target.ts';

export interface FolderTargetConfig {
  path: string;
}

/**
 * A folder on a local disk, a mounted share, or a UNC path on Windows. The root must already exist: a
 * missing root (an unmounted disk, an absent share) is an error, never created, so backups cannot land on
 * the system disk through an empty mount point.
 */
export class FolderTarget implements Target {
  readonly kind: string = 'local';
  readonly location: string;
  readonly capabilities: TargetCapabilities;
  readonly root: string;
  /**
   * On this machine's own disks a file is hashed where it lies (see digestFile), not streamed back; a folder
   * reached over the network (a UNC path) is not: reading it there would transfer it all the same.
   */
  readonly hash?: (name: string) => Promise<string>;

  constructor(config: FolderTargetConfig, { hashInPlace = true }: { hashInPlace?: boolean } = {}) {
    this.root = path.resolve(config.path);
    this.location = this.root;
    this.capabilities = { atomicRename: true, remoteHash: hashInPlace, freeSpace: true, removable: false };
    if (hashInPlace) this.hash = (name) => this.#hashInPlace(name);
  }

  async #hashInPlace(name: string): Promise<string> {
    // The target's own errors first: a missing object, a missing root.
    const info = await this.stat(name);
    try {
      return (await digestFile(this.#abs(name), info.size)).sha256;
    } catch (err) {
      throw fromErrno(err, 'read', 'object', `${this.location}/${name}`);
    }
  }

  #abs(name: string): string {
    return path.join(this.root, ...checkObjectName(name).split('/'));
  }

  async #requireRoot(verb: string): Promise<void> {
    try {
      const st = await fsp.stat(this.root);
      if (!st.isDirectory()) throw new LifeboatError('TARGET_MISSING', { verb, thing: 'target folder', where: this.root, cause: 'it is not a folder' });
    } catch (err) {
      if (err instanceof LifeboatError) throw err;
      throw fromErrno(err, verb, 'target folder', this.root);
    }
  }

  async put(name: string, data: Readable, opts: { signal?: AbortSignal } = {}): Promise<PutResult> {
    const final = this.#abs(name);
    await this.#requireRoot('write to');
    const tmp = `${final}.${randomBytes(4).toString('hex')}${PARTIAL_SUFFIX}`;
    try {
      await mkdirUnder(this.root, path.dirname(final));
      const bytes = await writeDurably(tmp, data, opts.signal ? { signal: opts.signal } : {});
      await fsp.rename(tmp, final);
      await fsyncPath(path.dirname(final)).catch(() => undefined);
      return { bytes };
    } catch (err) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      if (err instanceof LifeboatError) throw err;
      if ((err as NodeJS.ErrnoException).code && /^E[A-Z]+$/.test((err as NodeJS.ErrnoException).code!) && (err as NodeJS.ErrnoException).syscall) {
        throw fromErrno(err, 'write', 'object', `${this.location}/${name}`);
      }
      throw err;
    }
  }

  async get(name: string, range?: { start: number; end?: number }): Promise<Readable> {
    const file = this.#abs(name);
    await this.stat(name);
    return fs.createReadStream(file, range ? { start: range.start, ...(range.end !== undefined ? { end: range.end } : {}) } : {});
  }

  async stat(name: string): Promise<ObjectInfo> {
    const file = this.#abs(name);
    try {
      const st = await fsp.stat(file);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return { name, size: st.size, mtime: st.mtime };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
        await this.#requireRoot('read from');
        throw new LifeboatError('OBJECT_NOT_FOUND', { verb: 'find', thing: 'object', where: `${this.location}/${name}`, cause: 'it does not exist' });
      }
      throw fromErrno(err, 'read', 'object', `${this.location}/${name}`);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    await this.#requireRoot('list');
    const out: ObjectInfo[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw fromErrno(err, 'list', 'folder', dir);
      }
      for (const e of entries) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (prefix.startsWith(childRel + '/') || childRel.startsWith(prefix) || prefix === '') await walk(path.join(dir, e.name), childRel);
        } else if (e.isFile() && childRel.startsWith(prefix)) {
          const st = await fsp.stat(path.join(dir, e.name));
          out.push({ name: childRel, size: st.size, mtime: st.mtime });
        }
      }
    };
    await walk(this.root, '');
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async remove(name: string): Promise<void> {
    const file = this.#abs(name);
    try {
      await fsp.rm(file, { force: true });
    } catch (err) {
      throw fromErrno(err, 'remove', 'object', `${this.location}/${name}`);
    }
    // Prune folders the removal emptied, up to (not including) the root.
    let dir = path.dirname(file);
    while (dir.startsWith(this.root + path.sep)) {
      try { await fsp.rmdir(dir); } catch { break; }
      dir = path.dirname(dir);
    }
  }

  async freeSpace(): Promise<number> {
    await this.#requireRoot('measure');
    const st = await fsp.statfs(this.root);
    return st.bavail * st.bsize;
  }

  async close(): Promise<void> {}
}

/**
 * Creates the folders between the root and `dir` one level at a time: a recursive mkdir reports ENOENT
 * on a read-only file system, which would read as "target missing" instead of "not writable".
 */
async function mkdirUnder(root: string, dir: string): Promise<void> {
  const rel = path.relative(root, dir);
  if (!rel) return;
  let cur = root;
  for (const part of rel.split(path.sep)) {
    cur = path.join(cur, part);
    try {
      await fsp.mkdir(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await fsp.open(p, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}
