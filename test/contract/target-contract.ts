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

/**
 * A real prune on a driver: a repository of twelve daily sets (fulls on days 0 and 7, diffs chained to
 * them), one set on legal hold, one verified, two incomplete folders (one old). `age(path)` makes an
 * incomplete folder's files two days old on the server (the seam has no way to set mtimes).
 */
export function describeRetentionOnTarget(name: string, makeTarget: () => Promise<{ target: Target; age: (objectName: string) => Promise<void> }>): void {
  describe(`retention on a real target: ${name}`, () => {
    it('dry run lists without removing; the prune removes exactly the unkept sets and old incomplete folders', async () => {
      const { pruneTarget } = await import('../../src-main/core/retention/prune-target.ts');
      const { RetentionPolicySchema } = await import('../../src-main/core/retention/policy.ts');
      const { openCore, closeCore } = await import('../../src-main/core/context.ts');
      const { scanRepo } = await import('../../src-main/core/repo/scan-repo.ts');
      const { manifestText } = await import('../../src-main/core/repo/manifest.ts');
      const os = await import('node:os');
      const fs = await import('node:fs');
      const path = await import('node:path');
      const { target, age } = await makeTarget();
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-prune-home-'));
      const ctx = await openCore({ home, recover: false });
      try {
        const rec = ctx.catalog.targets.add({ name: `prune-${name}`, kind: target.kind, config: {} });
        const start = Date.UTC(2026, 10, 1, 1);
        const ids: string[] = [];
        let full = '';
        for (let day = 0; day < 12; day++) {
          const id = `set_${name.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 8)}d${String(day).padStart(2, '0')}`;
          ids.push(id);
          const isFull = day % 7 === 0;
          if (isFull) full = id;
          const data = Buffer.from(`set ${day}`);
          const manifest = {
            format: 'lifeboat-set' as const, formatVersion: 1 as const, setId: id, engine: 'postgres', server: 'plant pg', database: 'mes ü', serverVersion: '15',
            type: isFull ? 'full' as const : 'diff' as const, parentSetId: isFull ? null : full, chain: {}, startedAt: new Date(start + day * 86_400_000).toISOString(),
            finishedAt: new Date(start + day * 86_400_000 + 60_000).toISOString(), toolVersions: {}, appVersion: 'test', encryption: { scheme: 'none' as const },
            artifacts: [{ name: 'data.dump', role: 'data', bytes: data.length, sha256: sha(data), rawBytes: data.length, rawSha256: sha(data), compression: 'none' as const, encryption: 'none' as const }],
            probes: [], tags: [], job: null,
          };
          const dir = `lifeboat/plant pg/mes ü/202611${String(day + 1).padStart(2, '0')}T010000Z_${manifest.type}_${id.slice(-6)}`;
          await target.put(`${dir}/data.dump`, Readable.from([data]));
          const text = manifestText(manifest);
          await target.put(`${dir}/MANIFEST.json`, Readable.from([Buffer.from(text)]));
          ctx.catalog.sets.record({ manifest, path: dir, manifestSha256: sha(Buffer.from(text)), runId: null, jobId: null, copies: [{ targetId: rec.id }] });
        }
        ctx.catalog.sets.setLegalHold(ids[3]!, true);
        const now = new Date(start + 12 * 86_400_000).toISOString();
        ctx.catalog.verifications.add({ setId: ids[1]!, copyId: null, level: 1, result: 'passed', startedAt: now, finishedAt: now, triggeredBy: 'test', runId: null, detail: {} });
        await target.put('lifeboat/plant pg/mes ü/20261101T000000Z_full_oldinc/data.dump', Readable.from([Buffer.from('interrupted')]));
        await age('lifeboat/plant pg/mes ü/20261101T000000Z_full_oldinc/data.dump');
        await target.put('lifeboat/plant pg/mes ü/20261113T000000Z_full_running/data.dump', Readable.from([Buffer.from('in progress')]));
        const policy = RetentionPolicySchema.parse({ keepLast: 2, daily: 0, weekly: 0, monthly: 0, yearly: 0 });
        const expectKeep = [0, 1, 3, 7, 10, 11].map((d) => ids[d]!);
        const expectRemove = [2, 4, 5, 6, 8, 9].map((d) => ids[d]!);

        const before = (await target.list('lifeboat/')).map((o) => o.name);
        const dry = await pruneTarget(ctx, rec, policy, { dryRun: true, target });
        expect(dry.keep.map((k) => k.id).sort()).toEqual(expectKeep);
        expect(dry.remove.map((r) => r.id).sort()).toEqual(expectRemove);
        expect(dry.clean.map((c) => c.path)).toEqual(['lifeboat/plant pg/mes ü/20261101T000000Z_full_oldinc']);
        expect((await target.list('lifeboat/')).map((o) => o.name)).toEqual(before);

        const real = await pruneTarget(ctx, rec, policy, { target });
        expect(real.remove.map((r) => r.id).sort()).toEqual(expectRemove);
        const after = await scanRepo(target);
        expect(after.complete.map((s) => s.manifest.setId).sort()).toEqual(expectKeep);
        expect(after.incomplete.map((i) => i.path)).toEqual(['lifeboat/plant pg/mes ü/20261113T000000Z_full_running']);
        for (const id of expectRemove) expect(ctx.catalog.sets.get(id).copies.map((c) => c.status)).toEqual(['removed']);
        for (const id of expectKeep) expect(ctx.catalog.sets.get(id).copies.map((c) => c.status)).toEqual(['present']);
        // Nothing of a removed set is left behind, not even its folder's files.
        const names = (await target.list('lifeboat/')).map((o) => o.name);
        for (const r of real.remove) expect(names.filter((n) => n.startsWith(r.path + '/'))).toEqual([]);
      } finally {
        closeCore(ctx);
        await target.close();
        fs.rmSync(home, { recursive: true, force: true });
      }
    }, 600_000); // about 150 target calls: an smbclient session each on SMB
  });
}
