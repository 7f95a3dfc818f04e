import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { copyRule } from '../../src-main/core/objectives/copy-rule.ts';
import { targetDriver } from '../../src-main/core/targets/registry.ts';
import type { Manifest } from '../../src-main/core/repo/manifest.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// 3-2-1-1-0 counted from the catalog: what counts as a copy, a medium, off site, offline, and an error.
let ctx: CoreContext;
let ids: { nas: string; hq: string; usb: string };
let day = 0;

beforeEach(async () => {
  ctx = await openCore({ home: tempDir(), logger: nullLogger });
  day = 0;
  ids = {
    nas: ctx.catalog.targets.add({ name: 'nas', kind: 'smb', config: { server: 'nas01', share: 'backup' } }).id,
    // Declared off site by the engineer: another building, reached over the plant network.
    hq: ctx.catalog.targets.add({ name: 'hq', kind: 'sftp', config: { host: 'hq-backup', username: 'lb', path: '/srv', offsite: true } }).id,
    usb: ctx.catalog.targets.add({ name: 'rotation', kind: 'usb', config: { set: 'weekly' } }).id,
  };
  for (const [id, label] of [['disk-a', 'USB-A'], ['disk-b', 'USB-B']] as const) ctx.catalog.media.register({ id, setName: 'weekly', label, targetId: ids.usb });
});
afterEach(() => { closeCore(ctx); cleanupTemp(); });

/** A set of mes with copies on the given targets (a rotated one with its disk), each copy's L1 as given. */
function backup(copies: { target: string; disk?: string; l1?: 'passed' | 'failed' | null }[]) {
  const at = new Date(Date.UTC(2026, 10, 1 + day++)).toISOString();
  const setId = `set-${day}`;
  const manifest: Manifest = {
    format: 'lifeboat-set', formatVersion: 1, setId, engine: 'postgres', server: 'plant-pg', database: 'mes', serverVersion: '15.8', type: 'full', parentSetId: null, chain: {},
    startedAt: at, finishedAt: at, toolVersions: {}, appVersion: 'test', encryption: { scheme: 'none' },
    artifacts: [{ name: 'data.dump.zst', role: 'dump', bytes: 10, sha256: 'a'.repeat(64), rawBytes: 20, rawSha256: 'b'.repeat(64), compression: 'zstd', encryption: 'none' }], probes: [], tags: [], job: null,
  };
  const set = ctx.catalog.sets.record({ manifest, path: `lifeboat/plant-pg/mes/${setId}`, manifestSha256: 'c'.repeat(64), runId: null, jobId: null, copies: copies.map((c) => ({ targetId: c.target, mediaId: c.disk ?? null })) });
  set.copies.forEach((c, i) => {
    const l1 = copies[i]!.l1 === undefined ? 'passed' : copies[i]!.l1;
    if (l1) ctx.catalog.verifications.add({ setId, copyId: c.id, level: 1, result: l1, startedAt: at, finishedAt: at, triggeredBy: 'test', runId: null, detail: {} });
  });
  return set;
}

const rule = () => copyRule(ctx.catalog, 'plant-pg', 'mes');

describe('the 3-2-1-1-0 rule', () => {
  it('with nothing backed up, nothing holds', () => {
    const r = rule();
    expect(r).toMatchObject({ newestSet: null, copies: 0, media: [], offsite: [], offline: [], errors: [], lastVerification: null });
    expect(r.met).toEqual({ copies: false, media: false, offsite: false, offline: false, errors: false, all: false });
    expect(r.missing.at(-1)).toBe('0 errors: the newest set has no passed SHA-256 check yet');
  });

  it('counts copies and media of the newest set; a disk on site is neither off site nor offline', () => {
    backup([{ target: ids.nas }]);
    const s = backup([{ target: ids.nas }, { target: ids.usb, disk: 'disk-a' }]);
    const r = rule();
    expect(r.newestSet?.id).toBe(s.id);
    expect(r.copies).toBe(2);
    expect(r.media).toEqual(['a network share', 'removable disks']);
    expect(r.offline).toEqual([]);
    expect(r.offsite).toEqual([]);
    expect(r.met).toMatchObject({ copies: true, media: true, offsite: false, offline: false, errors: true, all: false });
    expect(r.missing).toEqual([
      '1 off site: no copy is on a disk taken off site or on a target declared off site',
      '1 offline: no copy is on a rotated disk taken off site (lifeboat target eject)',
    ]);
  });

  it('two copies on the same medium are one medium', () => {
    const other = ctx.catalog.targets.add({ name: 'nas2', kind: 'smb', config: { server: 'nas02', share: 'backup' } }).id;
    backup([{ target: ids.nas }, { target: other }]);
    expect(rule()).toMatchObject({ copies: 2, media: ['a network share'], met: { copies: true, media: false } });
  });

  it('a disk taken off site holds the offline (and off-site) copy, even of an older set; all five hold', () => {
    const older = backup([{ target: ids.nas }, { target: ids.usb, disk: 'disk-b' }]);
    ctx.catalog.media.setOffSite('disk-b', true);
    backup([{ target: ids.nas }, { target: ids.usb, disk: 'disk-a' }]);
    const r = rule();
    expect(r.offline).toEqual([{ setId: older.id, finishedAt: older.finishedAt, target: 'rotation', disk: 'USB-B' }]);
    expect(r.offsite).toEqual(r.offline);
    expect(r.met.all).toBe(true);
    expect(r.missing).toEqual([]);
    // Back on site, it is no longer the offline copy.
    ctx.catalog.media.setOffSite('disk-b', false);
    expect(rule().met).toMatchObject({ offline: false, offsite: false, all: false });
  });

  it('a target declared off site gives an off-site copy but not an offline one', () => {
    backup([{ target: ids.nas }, { target: ids.hq }]);
    const r = rule();
    expect(r.offsite.map((c) => [c.target, c.disk])).toEqual([['hq', null]]);
    expect(r.offline).toEqual([]);
    expect(r.media).toEqual(['a network share', 'an SSH server']);
  });

  it('a removed copy counts for nothing', () => {
    const s = backup([{ target: ids.nas }, { target: ids.usb, disk: 'disk-b' }]);
    ctx.catalog.media.setOffSite('disk-b', true);
    ctx.catalog.sets.markCopy(s.copies.find((c) => c.targetId === ids.usb)!.id, 'removed');
    expect(rule()).toMatchObject({ copies: 1, offline: [], offsite: [] });
  });

  it('errors: the latest failed SHA-256 check of any present copy, a failed engine check, a failed drill; a later pass clears a failure', () => {
    const old = backup([{ target: ids.nas, l1: 'failed' }]);
    backup([{ target: ids.nas }]);
    expect(rule().errors).toEqual([`set ${old.id}: the copy on nas failed its SHA-256 check`]);
    expect(rule().met.errors).toBe(false);
    expect(rule().missing.at(-1)).toBe('0 errors: 1 check failed');

    const later = new Date(Date.UTC(2026, 11, 1)).toISOString();
    ctx.catalog.verifications.add({ setId: old.id, copyId: old.copies[0]!.id, level: 1, result: 'passed', startedAt: later, finishedAt: later, triggeredBy: 'test', runId: null, detail: {} });
    expect(rule().errors).toEqual([]);
    expect(rule().lastVerification).toEqual({ setId: old.id, level: 1, result: 'passed', at: later });

    ctx.catalog.verifications.add({ setId: old.id, copyId: null, level: 2, result: 'failed', startedAt: later, finishedAt: later, triggeredBy: 'test', runId: null, detail: {} });
    expect(rule().errors).toEqual([`set ${old.id}: its engine check failed`]);

    const drill = ctx.catalog.drills.begin({ runId: null, setId: old.id, server: 'plant-pg', database: 'mes', scratchName: 'lb_drill_x' });
    ctx.catalog.drills.finish(drill.id, { status: 'failed', checks: [], errorMessage: 'row counts differ' });
    expect(rule().errors.at(-1)).toMatch(/^the restore drill of .* failed: row counts differ$/);
  });

  it('a newest set never checked is not "0 errors"', () => {
    backup([{ target: ids.nas }]);
    backup([{ target: ids.nas, l1: null }]);
    expect(rule()).toMatchObject({ errors: [], met: { errors: false } });
  });

  it('offsite is a setting of every target kind, given as yes/no, and nothing else', () => {
    for (const kind of ['local', 'sftp', 'smb', 'usb']) {
      const shape = (targetDriver(kind).configSchema as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } } }> }).shape;
      expect(shape.offsite!.safeParse('yes').data, kind).toBe(true);
      expect(shape.offsite!.safeParse('false').data, kind).toBe(false);
      const bad = shape.offsite!.safeParse('maybe');
      expect(bad.success, kind).toBe(false);
    }
  });
});
