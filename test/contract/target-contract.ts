import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src-main/core/targets/target.ts';
import { isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';

/**
 * The contract of src-main/core/targets/target.ts, checked against a real driver. `makeTarget` returns a
 * target over a fresh, empty root each time it is called; every test closes what it opened.
 * A behaviour every target must have is added here, not to one driver's test.
 */
export function describeTargetContract(name: string, makeTarget: () => Promise<Target>): void {
  describe(`Target contract: ${name}`, () => {
    const opened: Target[] = [];
    const fresh = async (): Promise<Target> => {
      const t = await makeTarget();
      opened.push(t);
      return t;
    };
    afterEach(async () => {
      for (const t of opened.splice(0)) await t.close().catch(() => undefined);
    });

    it('stores an object and reads back the same bytes, size and a recent mtime', async () => {
      const t = await fresh();
      const body = randomBytes(3 * 1024 * 1024 + 17);
      const before = Date.now();
      const res = await t.put('lifeboat/srv/db/set1/data.dump', Readable.from(chunks(body, 65_536)));
      expect(res.bytes).toBe(body.length);
      expect(sha(await readAll(await t.get('lifeboat/srv/db/set1/data.dump')))).toBe(sha(body));
      const info = await t.stat('lifeboat/srv/db/set1/data.dump');
      expect(info.name).toBe('lifeboat/srv/db/set1/data.dump');
      expect(info.size).toBe(body.length);
      // Clocks of a remote server may differ a little; a day off would mean the field is wrong.
      expect(Math.abs(info.mtime.getTime() - before)).toBeLessThan(3600_000);
    });

    it('stores an empty object', async () => {
      const t = await fresh();
      expect((await t.put('empty/zero.bin', Readable.from([]))).bytes).toBe(0);
      expect((await t.stat('empty/zero.bin')).size).toBe(0);
      expect((await readAll(await t.get('empty/zero.bin'))).length).toBe(0);
    });

    it('replaces an existing object whole', async () => {
      const t = await fresh();
      await t.put('a/obj', Readable.from([Buffer.from('first version, longer than the second')]));
      await t.put('a/obj', Readable.from([Buffer.from('second')]));
      expect((await readAll(await t.get('a/obj'))).toString()).toBe('second');
      expect((await t.stat('a/obj')).size).toBe(6);
    });

    it('leaves nothing under the final name when the source stream fails, and rethrows the source error', async () => {
      const t = await fresh();
      const boom = new Error('source broke at 2 MiB');
      await expect(t.put('fail/data.dump', failingSource(2 * 1024 * 1024, boom))).rejects.toThrow('source broke at 2 MiB');
      await expectNotFound(t.stat('fail/data.dump'));
      await expectNotFound(t.get('fail/data.dump'));
      const left = (await t.list('fail/')).map((o) => o.name);
      expect(left).not.toContain('fail/data.dump');
      // The temporary upload is cleaned when the connection still stands.
      expect(left).toEqual([]);
    });

    it('keeps the previous object intact when a replacing put fails', async () => {
      const t = await fresh();
      const old = randomBytes(100_000);
      await t.put('keep/obj.bin', Readable.from([old]));
      await expect(t.put('keep/obj.bin', failingSource(1024 * 1024, new Error('late failure')))).rejects.toThrow('late failure');
      expect(sha(await readAll(await t.get('keep/obj.bin')))).toBe(sha(old));
      expect((await t.list('keep/')).map((o) => o.name)).toEqual(['keep/obj.bin']);
    });

    it('leaves nothing under the final name when the put is aborted', async () => {
      const t = await fresh();
      const ac = new AbortController();
      const src = endlessSource(() => ac.abort(), 1024 * 1024);
      await expect(t.put('abort/obj.bin', src, { signal: ac.signal })).rejects.toThrow();
      await expectNotFound(t.stat('abort/obj.bin'));
      expect((await t.list('abort/')).map((o) => o.name)).not.toContain('abort/obj.bin');
    });

    it('reads an inclusive byte range, and a range to the end', async () => {
      const t = await fresh();
      const body = randomBytes(1_000_000);
      await t.put('r/obj', Readable.from([body]));
      expect(sha(await readAll(await t.get('r/obj', { start: 1000, end: 1999 })))).toBe(sha(body.subarray(1000, 2000)));
      expect(sha(await readAll(await t.get('r/obj', { start: 999_990 })))).toBe(sha(body.subarray(999_990)));
      expect((await readAll(await t.get('r/obj', { start: 0, end: 0 })))).toEqual(body.subarray(0, 1));
    });

    it('reports a missing object as OBJECT_NOT_FOUND from stat and get', async () => {
      const t = await fresh();
      await expectNotFound(t.stat('no/such/object'));
      await expectNotFound(t.get('no/such/object'));
      await t.put('no/other', Readable.from([Buffer.from('x')]));
      await expectNotFound(t.stat('no/such'));
    });

    it('lists recursively by name prefix, with sizes, and an unknown prefix as empty', async () => {
      const t = await fresh();
      const names = ['lifeboat/s1/db1/a/MANIFEST.json', 'lifeboat/s1/db1/a/data.dump', 'lifeboat/s1/db2/b/data.dump', 'lifeboat/s2/x/y/z.bin', 'other/file.txt'];
      // A target may hold objects of its own from the start (a rotated disk's marker): compare what was added.
      const before = new Set((await t.list('')).map((o) => o.name));
      for (const [i, n] of names.entries()) await t.put(n, Readable.from([Buffer.alloc(i + 1, 7)]));
      const all = (await t.list('')).filter((o) => !before.has(o.name));
      expect(all.map((o) => o.name).sort()).toEqual([...names].sort());
      const s1 = await t.list('lifeboat/s1/');
      expect(s1.map((o) => o.name).sort()).toEqual(names.slice(0, 3));
      expect(s1.find((o) => o.name === 'lifeboat/s1/db2/b/data.dump')?.size).toBe(3);
      // A prefix is a string prefix, not a folder: "lifeboat/s1/db" matches db1 and db2.
      expect((await t.list('lifeboat/s1/db')).length).toBe(3);
      expect((await t.list('lifeboat/s1/db1/a/MANI')).map((o) => o.name)).toEqual(['lifeboat/s1/db1/a/MANIFEST.json']);
      expect(await t.list('lifeboat/none/')).toEqual([]);
    });

    it('removes idempotently and the object is gone afterwards', async () => {
      const t = await fresh();
      await t.put('rm/a/one', Readable.from([Buffer.from('1')]));
      await t.put('rm/b/two', Readable.from([Buffer.from('2')]));
      await t.remove('rm/a/one');
      await t.remove('rm/a/one');
      await t.remove('rm/never/existed');
      await expectNotFound(t.stat('rm/a/one'));
      expect((await t.list('rm/')).map((o) => o.name)).toEqual(['rm/b/two']);
      // A folder emptied by a removal accepts new objects again.
      await t.put('rm/a/three', Readable.from([Buffer.from('3')]));
      expect((await t.stat('rm/a/three')).size).toBe(1);
    });

    it('rejects names that climb out of the root or are empty, with USAGE', async () => {
      const t = await fresh();
      for (const bad of ['../escape', 'a/../../b', '/abs/path', '', 'a//b']) {
        await expect(t.put(bad, Readable.from([Buffer.from('x')]))).rejects.toSatisfy((e: unknown) => isLifeboatError(e, 'USAGE'));
        await expect(t.stat(bad)).rejects.toSatisfy((e: unknown) => isLifeboatError(e, 'USAGE'));
      }
    });

    it('handles names with spaces and non-ASCII characters', async () => {
      const t = await fresh();
      const n = 'lifeboat/Zürich Werk 2/Datenbank ÄÖÜ ß/20261125T000000Z_full/данные 日本 é.dump';
      const body = randomBytes(50_000);
      await t.put(n, Readable.from([body]));
      expect((await t.stat(n)).size).toBe(body.length);
      expect(sha(await readAll(await t.get(n)))).toBe(sha(body));
      expect((await t.list('lifeboat/Zürich Werk 2/')).map((o) => o.name)).toEqual([n]);
      if (t.capabilities.remoteHash) expect(await t.hash!(n)).toBe(sha(body));
      await t.remove(n);
      await expectNotFound(t.stat(n));
    });

    it('runs concurrent puts of different objects, and of the same object without mixing their bytes', async () => {
      const t = await fresh();
      const bodies = Array.from({ length: 6 }, () => randomBytes(400_000 + Math.floor(Math.random() * 1000)));
      await Promise.all(bodies.map((b, i) => t.put(`conc/obj-${i}`, Readable.from(chunks(b, 32_768)))));
      for (const [i, b] of bodies.entries()) expect(sha(await readAll(await t.get(`conc/obj-${i}`)))).toBe(sha(b));
      const x = randomBytes(300_000);
      const y = randomBytes(300_000);
      await Promise.all([t.put('conc/same', Readable.from(chunks(x, 16_384))), t.put('conc/same', Readable.from(chunks(y, 16_384)))]);
      expect([sha(x), sha(y)]).toContain(sha(await readAll(await t.get('conc/same'))));
      expect((await t.list('conc/')).length).toBe(7);
    });

    it('declares remote hashing truthfully: present iff declared, and equal to the local SHA-256', async () => {
      const t = await fresh();
      if (!t.capabilities.remoteHash) {
        expect(t.hash).toBeUndefined();
        return;
      }
      const body = randomBytes(2_000_001);
      await t.put('h/obj', Readable.from([body]));
      expect(await t.hash!('h/obj')).toBe(sha(body));
      await t.put('h/empty', Readable.from([]));
      expect(await t.hash!('h/empty')).toBe(sha(Buffer.alloc(0)));
      await expectNotFound(t.hash!('h/missing'));
    });

    it('declares free space truthfully: present iff declared, a positive byte count', async () => {
      const t = await fresh();
      if (!t.capabilities.freeSpace) {
        expect(t.freeSpace).toBeUndefined();
        return;
      }
      const free = await t.freeSpace!();
      expect(Number.isSafeInteger(free)).toBe(true);
      expect(free).toBeGreaterThan(0);
    });
  });
}

export function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export async function readAll(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export async function expectNotFound(p: Promise<unknown>): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => isLifeboatError(e, 'OBJECT_NOT_FOUND'));
}

function* chunks(b: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

/** Emits `okBytes` of data, then fails with `err`: a dump that dies mid-way. */
export function failingSource(okBytes: number, err: Error): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= okBytes) {
        setImmediate(() => this.destroy(err));
        return;
      }
      const n = Math.min(65_536, okBytes - sent);
      sent += n;
      this.push(randomBytes(n));
    },
  });
}

/** Emits data forever; calls `onBytes` once `after` bytes were read, e.g. to abort or kill a session. */
export function endlessSource(onBytes: () => void, after: number): Readable {
  let sent = 0;
  let fired = false;
  return new Readable({
    read() {
      sent += 65_536;
      if (!fired && sent >= after) {
        fired = true;
        setImmediate(onBytes);
      }
      setTimeout(() => this.push(Buffer.alloc(65_536, 1)), sent >= after ? 5 : 0);
    },
  });
}
