import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { describeTargetContract } from '../contract/target-contract.ts';
import { usbDriver } from '../../src-main/core/targets/usb/driver.ts';
import { initDisk } from '../../src-main/core/targets/usb/init-disk.ts';
import { mediaOf } from '../../src-main/core/targets/usb/usb-target.ts';
import { ejectDisk, recordMediaUse } from '../../src-main/core/targets/usb/eject-disk.ts';
import { parseLsblk } from '../../src-main/core/targets/usb/mount-points.ts';
import { withRetry } from '../../src-main/core/targets/decorators/with-retry.ts';
import { isLifeboatError, type LifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';
import { openCore, closeCore } from '../../src-main/core/context.ts';
import type { Target } from '../../src-main/core/targets/target.ts';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-usb-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let n = 0;

function open(set: string, mounts: string[]): Promise<Target> {
  return usbDriver.open(usbDriver.configSchema.parse({ set, mounts: mounts.join(',') }), { secret: null, home: base });
}

async function failure(p: Promise<unknown>): Promise<LifeboatError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(isLifeboatError(err), `expected a LifeboatError, got ${String(err)}`).toBe(true);
  return err as LifeboatError;
}

/** Every file under a folder, with sizes: a fingerprint of "nothing was written here". */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile()).map((e) => { const p = path.join(e.parentPath, e.name); return `${path.relative(base, p)}:${fs.statSync(p).size}`; }).sort();
}

describeTargetContract('usb rotation set (disks simulated as folders with markers)', async () => {
  const mount = path.join(base, `contract-${++n}`);
  fs.mkdirSync(mount);
  await initDisk({ mount, set: `set-${n}`, label: 'disk A', site: 'test' });
  return open(`set-${n}`, [path.join(base, 'empty-mount-that-is-not-there'), mount]);
});

describe('usb rotation set', () => {
  it('writes to disk 1 while present, to disk 2 after the swap, and nowhere with neither present (acceptance 4)', async () => {
    const root = path.join(base, 'accept4');
    const m1 = path.join(root, 'media', 'usb1');
    const m2 = path.join(root, 'media', 'usb2');
    const empty = path.join(root, 'media', 'usb3'); // a mount point with nothing mounted: on the system disk
    const drawer = path.join(root, 'drawer');
    for (const d of [m1, m2, empty, drawer]) fs.mkdirSync(d, { recursive: true });
    const mounts = [empty, m1, m2];
    const d1 = await initDisk({ mount: m1, set: 'weekly', label: 'Monday', site: 'plant' });
    const d2dir = path.join(drawer, 'disk2');
    fs.mkdirSync(d2dir);
    const d2 = await initDisk({ mount: d2dir, set: 'weekly', label: 'Tuesday', site: 'plant' });
    expect(d1.id).not.toBe(d2.id);
    // A disk of another set in a probed mount is never used.
    const foreign = path.join(root, 'media', 'usb4');
    fs.mkdirSync(foreign);
    await initDisk({ mount: foreign, set: 'monthly', label: 'Other', site: 'plant' });
    mounts.push(foreign);

    const run1 = await open('weekly', mounts);
    expect(mediaOf(run1)?.id).toBe(d1.id);
    await run1.put('lifeboat/srv/db/set1/data.dump', Readable.from([Buffer.from('run one')]));
    expect(fs.readFileSync(path.join(m1, 'lifeboat/srv/db/set1/data.dump'), 'utf8')).toBe('run one');

    // Swap: disk 1 goes to the drawer, disk 2 is plugged in at the second mount point.
    fs.renameSync(m1, path.join(drawer, 'disk1'));
    fs.mkdirSync(m1);
    fs.rmdirSync(m2);
    fs.renameSync(d2dir, m2);
    // The target opened before the swap refuses to write to whatever is now at its mount point.
    const stale = await failure(run1.put('lifeboat/srv/db/late/data.dump', Readable.from([Buffer.from('late')])));
    expect(stale.code).toBe('MEDIA_ABSENT');
    expect(fs.readdirSync(m1)).toEqual([]);

    const run2 = await open('weekly', mounts);
    expect(mediaOf(run2)?.id).toBe(d2.id);
    expect(mediaOf(run2)?.label).toBe('Tuesday');
    await run2.put('lifeboat/srv/db/set2/data.dump', Readable.from([Buffer.from('run two')]));
    expect(fs.readFileSync(path.join(m2, 'lifeboat/srv/db/set2/data.dump'), 'utf8')).toBe('run two');
    expect(fs.existsSync(path.join(drawer, 'disk1', 'lifeboat/srv/db/set2'))).toBe(false);

    // Neither disk present: the run fails with MEDIA_ABSENT and writes nothing anywhere.
    fs.renameSync(m2, path.join(drawer, 'disk2'));
    fs.mkdirSync(m2);
    const before = tree(root);
    const err = await failure(open('weekly', mounts));
    expect(err.code).toBe('MEDIA_ABSENT');
    expect(err.message).toContain('no disk of set weekly present');
    expect(tree(root)).toEqual(before);
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it('ignores hostile or malformed markers', async () => {
    const root = path.join(base, 'hostile');
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    fs.mkdirSync(path.join(a, 'lifeboat'), { recursive: true });
    fs.mkdirSync(path.join(b, 'lifeboat'), { recursive: true });
    fs.writeFileSync(path.join(a, 'lifeboat/REPO.json'), '{ not json');
    fs.writeFileSync(path.join(b, 'lifeboat/REPO.json'), JSON.stringify({ format: 'lifeboat-repo', formatVersion: 1, repoId: 'r'.repeat(10), site: 's', createdAt: 'x', disk: { id: 'disk_' + 'x'.repeat(20), set: 'weekly', label: 'L' }, pad: 'p'.repeat(100_000) }));
    expect((await failure(open('weekly', [a, b]))).code).toBe('MEDIA_ABSENT');
  });

  it('refuses to move a disk to another set, and to mark a file-system root', async () => {
    const m = path.join(base, 'reinit');
    fs.mkdirSync(m);
    const first = await initDisk({ mount: m, set: 'daily', label: 'One', site: 's' });
    const again = await initDisk({ mount: m, set: 'daily', label: 'One (relabelled)', site: 's' });
    expect(again.id).toBe(first.id);
    expect(again.created).toBe(false);
    expect((await failure(initDisk({ mount: m, set: 'weekly', label: 'x', site: 's' }))).code).toBe('ALREADY_EXISTS');
    expect((await failure(initDisk({ mount: '/', set: 'weekly', label: 'x', site: 's' }))).code).toBe('USAGE');
    expect((await failure(initDisk({ mount: path.join(base, 'nope'), set: 'weekly', label: 'x', site: 's' }))).code).toBe('TARGET_MISSING');
  });

  it('keeps the media register: written, seen, ejected (off site), back on site when seen again; through a retry decorator too', async () => {
    const home = path.join(base, 'home');
    const ctx = await openCore({ home, recover: false });
    try {
      const m = path.join(base, 'register');
      fs.mkdirSync(m);
      const d = await initDisk({ mount: m, set: 'offsite', label: 'Friday', site: 's' });
      const rec = ctx.catalog.targets.add({ name: 'usb-offsite', kind: 'usb', config: { set: 'offsite', mounts: [m] } });
      const t = withRetry(await open('offsite', [m]));
      expect(mediaOf(t)?.id).toBe(d.id);
      await t.put('lifeboat/x/y/z/a.bin', Readable.from([Buffer.from('a')]));
      const written = recordMediaUse(ctx, rec.id, t, { written: true })!;
      expect(written.firstWriteAt).not.toBeNull();
      expect(written.lastWriteAt).toBe(written.firstWriteAt);
      expect(written.offSite).toBe(false);
      const ejected = await ejectDisk(ctx, rec);
      expect(ejected.offSite).toBe(true);
      expect(ctx.catalog.media.list({ setName: 'offsite' }).map((x) => [x.label, x.offSite])).toEqual([['Friday', true]]);
      // Still plugged in right after the eject: seen, but it stays off site until pulled and brought back.
      recordMediaUse(ctx, rec.id, await open('offsite', [m]));
      expect(ctx.catalog.media.get(d.id).offSite).toBe(true);
      ctx.catalog.media.markSeen(d.id, m, new Date(Date.now() + 2 * 3600_000).toISOString());
      expect(ctx.catalog.media.get(d.id).offSite).toBe(false);
      ctx.catalog.media.setOffSite(d.id, true);
      recordMediaUse(ctx, rec.id, await open('offsite', [m]), { written: true });
      expect(ctx.catalog.media.get(d.id).offSite).toBe(false);
      fs.renameSync(m, `${m}-away`);
      expect((await failure(ejectDisk(ctx, rec))).code).toBe('MEDIA_ABSENT');
    } finally {
      closeCore(ctx);
    }
  });

  it('finds mount points in lsblk output, never the system root', () => {
    const json = JSON.stringify({ blockdevices: [
      { name: 'vda', mountpoint: '/', children: [] },
      { name: 'sdb', tran: 'usb', rm: true, mountpoint: null, children: [{ name: 'sdb1', mountpoint: '/media/op/BACKUP A' }] },
      { name: 'sdc', mountpoints: ['/mnt/disk c', null] },
    ] });
    expect(parseLsblk(json)).toEqual(['/media/op/BACKUP A', '/mnt/disk c']);
  });
});
