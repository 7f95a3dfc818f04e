import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { reverifyCopies } from '../../src-main/core/verify/reverify.ts';
import { newId } from '../../src-main/core/util/ids.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import type { Manifest } from '../../src-main/core/repo/manifest.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { initDisk } from '../../src-main/core/targets/usb/init-disk.ts';

// Periodic re-verification (bit rot): the copies whose last L1 is oldest are checked and recorded; a target
// that was away (a rotated USB disk) is checked first when it is back; a flipped byte fails the pass.
let ctx: CoreContext;
let nas: string;
let usb: string;
const DAY = 86_400_000;

beforeEach(async () => {
  ctx = await openCore({ home: tempDir(), logger: nullLogger });
  nas = tempDir();
  usb = tempDir();
  for (const root of [nas, usb]) { fs.mkdirSync(path.join(root, 'lifeboat'), { recursive: true }); fs.writeFileSync(path.join(root, 'lifeboat/REPO.json'), '{}'); }
  ctx.catalog.targets.add({ name: 'nas', kind: 'local', config: { path: nas } });
  ctx.catalog.targets.add({ name: 'usb', kind: 'local', config: { path: usb } });
});
afterEach(() => closeCore(ctx));
afterAll(() => cleanupTemp());

/** A set with one artifact stored on both targets, as the runner would leave it. */
function storedSet(database: string, finishedAt: string): { setId: string; setPath: string } {
  const setId = newId('set');
  const setPath = `lifeboat/plant-pg/${database}/${setId}`;
  const bytes = crypto.randomBytes(4096);
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  for (const root of [nas, usb]) {
    fs.mkdirSync(path.join(root, setPath), { recursive: true });
    fs.writeFileSync(path.join(root, setPath, 'data.dump.zst'), bytes);
  }
  const manifest: Manifest = {
    format: 'lifeboat-set', formatVersion: 1, setId, engine: 'postgres', server: 'plant-pg', database, serverVersion: '15.8', type: 'full',
    parentSetId: null, chain: {}, startedAt: finishedAt, finishedAt, toolVersions: {}, appVersion: 'test', encryption: { scheme: 'none' },
    artifacts: [{ name: 'data.dump.zst', role: 'dump', bytes: bytes.length, sha256: sha, rawBytes: bytes.length, rawSha256: sha, compression: 'none', encryption: 'none' }],
    probes: [], tags: [], job: null,
  };
  ctx.catalog.sets.record({ manifest, path: setPath, manifestSha256: sha, runId: null, jobId: null, copies: [{ targetId: ctx.catalog.targets.get('nas').id }, { targetId: ctx.catalog.targets.get('usb').id }] });
  return { setId, setPath };
}

function l1(setId: string, target: string): { result: string; triggeredBy: string; finishedAt: string }[] {
  const copy = ctx.catalog.sets.get(setId).copies.find((c) => c.targetId === ctx.catalog.targets.get(target).id)!;
  return ctx.catalog.verifications.forSet(setId).filter((v) => v.copyId === copy.id && v.level === 1);
}

function backdate(setId: string, target: string, at: string): void {
  const copy = ctx.catalog.sets.get(setId).copies.find((c) => c.targetId === ctx.catalog.targets.get(target).id)!;
  ctx.catalog.verifications.add({ setId, copyId: copy.id, level: 1, result: 'passed', startedAt: at, finishedAt: at, triggeredBy: 'backup', runId: null, detail: {} });
}

describe('periodic re-verification', () => {
  it('checks the copies whose last L1 is oldest (never checked first), skips recent ones, and records the results', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const a = storedSet('mes', '2026-10-01T00:00:00Z');
    const b = storedSet('lims', '2026-10-02T00:00:00Z');
    backdate(a.setId, 'nas', '2026-11-24T00:00:00Z'); // recent: not due
    backdate(a.setId, 'usb', '2026-10-01T00:00:00Z'); // oldest
    backdate(b.setId, 'nas', '2026-11-01T00:00:00Z');
    // b on usb: never checked
    const first = await reverifyCopies(ctx, { now, maxCopies: 2 });
    expect(first.checked.map((c) => [c.setId, c.targetName, c.reason, c.ok])).toEqual([[b.setId, 'usb', 'oldest', true], [a.setId, 'usb', 'oldest', true]]);
    expect(l1(b.setId, 'usb').map((v) => [v.result, v.triggeredBy])).toEqual([['passed', 'reverify:oldest']]);
    expect(ctx.catalog.runs.get(first.runId!)).toMatchObject({ kind: 'verify', status: 'succeeded', trigger: 'reverify' });

    const second = await reverifyCopies(ctx, { now, maxCopies: 5 });
    expect(second.checked.map((c) => [c.setId, c.targetName])).toEqual([[b.setId, 'nas']]);
    const third = await reverifyCopies(ctx, { now: new Date(now.getTime() + 8 * DAY), maxCopies: 10 });
    expect(third.checked).toHaveLength(4);
  });

  it('fails the pass naming the set when a byte has rotted, so the verification alert fires', async () => {
    const a = storedSet('mes', '2026-10-01T00:00:00Z');
    const file = path.join(usb, a.setPath, 'data.dump.zst');
    const bytes = fs.readFileSync(file);
    bytes[100] = bytes[100]! ^ 0x01;
    fs.writeFileSync(file, bytes);
    const r = await reverifyCopies(ctx, {});
    expect(r.checked.map((c) => [c.targetName, c.ok])).toEqual([['nas', true], ['usb', false]]);
    expect(r.checked[1]!.problem).toMatch(/^data\.dump\.zst: SHA-256 differs/);
    const run = ctx.catalog.runs.get(r.runId!);
    expect(run).toMatchObject({ status: 'failed', errorCode: 'VERIFY_MISMATCH' });
    expect(run.errorMessage).toContain(`set ${a.setId}, copy on 'usb'`);
    expect(l1(a.setId, 'usb').map((v) => v.result)).toEqual(['failed']);
  });

  it('checks every copy of a disk that was away as soon as it is back, and records nothing against it while it is away', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const a = storedSet('mes', '2026-11-20T00:00:00Z');
    const b = storedSet('lims', '2026-11-21T00:00:00Z');
    for (const s of [a, b]) for (const t of ['nas', 'usb']) backdate(s.setId, t, '2026-11-24T00:00:00Z');
    await reverifyCopies(ctx, { now });
    fs.renameSync(usb, `${usb}.away`); // unplugged
    const away = await reverifyCopies(ctx, { now });
    expect(away).toMatchObject({ runId: null, checked: [], absentTargets: ['usb'] });
    expect(l1(a.setId, 'usb')).toHaveLength(1);
    fs.renameSync(`${usb}.away`, usb); // plugged in again
    const back = await reverifyCopies(ctx, { now, maxCopies: 0 });
    expect(back.checked.map((c) => [c.setId, c.targetName, c.reason, c.ok])).toEqual([[a.setId, 'usb', 'returned', true], [b.setId, 'usb', 'returned', true]]);
    expect(l1(b.setId, 'usb').map((v) => v.triggeredBy)).toEqual(['backup', 'reverify:returned']);
    // Back means back: the next pass treats it like any other target again.
    expect((await reverifyCopies(ctx, { now, maxCopies: 0 })).checked).toEqual([]);
  });

  it('with a USB rotation set, checks the copies of the disk that is back, and never judges a disk that is away', async () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const mountA = tempDir();
    const mountB = tempDir();
    const a = await initDisk({ mount: mountA, set: 'offsite', label: 'Monday', site: 'plant' });
    const b = await initDisk({ mount: mountB, set: 'offsite', label: 'Tuesday', site: 'plant' });
    const usbSet = ctx.catalog.targets.add({ name: 'offsite', kind: 'usb', config: { set: 'offsite', mounts: [mountA, mountB] } });
    ctx.catalog.media.register({ id: a.id, setName: 'offsite', label: 'Monday', targetId: usbSet.id });
    ctx.catalog.media.register({ id: b.id, setName: 'offsite', label: 'Tuesday', targetId: usbSet.id });
    const onDisk = (mount: string, mediaId: string, database: string) => {
      const s = storedSet(database, '2026-11-20T00:00:00Z');
      const src = path.join(nas, s.setPath);
      fs.cpSync(src, path.join(mount, s.setPath), { recursive: true });
      const copy = ctx.catalog.sets.addCopy(s.setId, usbSet.id, mediaId);
      ctx.catalog.verifications.add({ setId: s.setId, copyId: copy.id, level: 1, result: 'passed', startedAt: '2026-11-24T00:00:00Z', finishedAt: '2026-11-24T00:00:00Z', triggeredBy: 'backup', runId: null, detail: {} });
      for (const t of ['nas', 'usb']) backdate(s.setId, t, '2026-11-24T00:00:00Z');
      return { ...s, copyId: copy.id };
    };
    const onA = onDisk(mountA, a.id, 'mes');
    const onB = onDisk(mountB, b.id, 'lims');
    fs.renameSync(mountB, `${mountB}.offsite`); // Tuesday's disk is off site
    const first = await reverifyCopies(ctx, { now });
    expect(first.checked).toEqual([]);
    expect(first.absentTargets).toEqual(['offsite (disk Tuesday)']);

    // The disks are swapped: Monday goes off site, Tuesday comes back.
    fs.renameSync(mountA, `${mountA}.offsite`);
    fs.renameSync(`${mountB}.offsite`, mountB);
    const swapped = await reverifyCopies(ctx, { now, maxCopies: 0 });
    expect(swapped.checked.map((c) => [c.setId, c.copyId, c.targetName, c.reason, c.ok])).toEqual([[onB.setId, onB.copyId, 'offsite (disk Tuesday)', 'returned', true]]);
    expect(swapped.absentTargets).toEqual(['offsite (disk Monday)']);
    // Monday's copy was not judged while its disk is away: only its backup-time check exists.
    expect(ctx.catalog.verifications.forSet(onA.setId).filter((v) => v.copyId === onA.copyId).map((v) => v.triggeredBy)).toEqual(['backup']);
    expect(ctx.catalog.media.get(b.id).lastSeenAt).not.toBeNull();
  });
});
