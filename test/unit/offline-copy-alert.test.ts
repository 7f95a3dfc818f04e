import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { createAlertService } from '../../src-main/core/alerts/create-alert-service.ts';
import type { AlertService } from '../../src-main/core/alerts/alert-service.ts';
import { evaluateOfflineCopies } from '../../src-main/core/objectives/evaluate-offline-copies.ts';
import { writeAlertThresholds } from '../../src-main/core/alerts/alert-thresholds.ts';
import type { Manifest } from '../../src-main/core/repo/manifest.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';

// Rotation protects only when disks leave the site: the alert when the newest offline copy is too old.
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T02:00:00Z');
let core: CoreContext;
let clock: FakeClock;
let alerts: AlertService;
let ids: { nas: string; usb: string; job: string };
let n = 0;

beforeEach(async () => {
  core = await openCore({ home: tempDir(), logger: nullLogger });
  clock = new FakeClock(new Date(T0));
  alerts = createAlertService(core, clock);
  const src = core.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: '127.0.0.1', user: 'postgres' } });
  const nas = core.catalog.targets.add({ name: 'nas', kind: 'smb', config: { server: 'nas01', share: 'b' } }).id;
  const usb = core.catalog.targets.add({ name: 'rotation', kind: 'usb', config: { set: 'weekly' } }).id;
  const job = core.catalog.jobs.add({ name: 'nightly', sourceId: src.id, databases: ['mes'], targetIds: [nas, usb] }).id;
  ids = { nas, usb, job };
  for (const id of ['disk-a', 'disk-b']) core.catalog.media.register({ id, setName: 'weekly', label: id.toUpperCase(), targetId: usb });
});
afterEach(() => { closeCore(core); cleanupTemp(); });

/** A nightly set of mes, `daysIn` days after T0, on the NAS and on the given disk. */
function nightly(daysIn: number, disk: string) {
  const at = new Date(T0 + daysIn * DAY).toISOString();
  const setId = `set-${++n}`;
  const manifest: Manifest = {
    format: 'lifeboat-set', formatVersion: 1, setId, engine: 'postgres', server: 'plant-pg', database: 'mes', serverVersion: '15.8', type: 'full', parentSetId: null, chain: {},
    startedAt: at, finishedAt: at, toolVersions: {}, appVersion: 'test', encryption: { scheme: 'none' },
    artifacts: [{ name: 'data.dump.zst', role: 'dump', bytes: 1, sha256: 'a'.repeat(64), rawBytes: 1, rawSha256: 'b'.repeat(64), compression: 'zstd', encryption: 'none' }], probes: [], tags: [], job: 'nightly',
  };
  core.catalog.sets.record({ manifest, path: `lifeboat/plant-pg/mes/${setId}`, manifestSha256: 'c'.repeat(64), runId: null, jobId: ids.job, copies: [{ targetId: ids.nas }, { targetId: ids.usb, mediaId: disk }] });
}

const active = () => core.catalog.alerts.list({ status: 'active', limit: 100 }).filter((a) => a.rule === 'offline-copy-stale');
const at = async (daysIn: number) => { clock.set(new Date(T0 + daysIn * DAY)); await evaluateOfflineCopies(core.catalog, alerts, clock.now()); };

describe('the offline-copy alert', () => {
  it('raises when no disk was taken off site within the limit of the first backup, and clears once one is', async () => {
    nightly(0, 'disk-a');
    await at(10);
    expect(active()).toEqual([]);
    nightly(15, 'disk-a');
    await at(15);
    expect(active().map((a) => [a.subject, a.message])).toEqual([[
      'No recent offline copy of mes on plant-pg',
      'no disk holding a copy has been taken off site in the 15 days since the first backup: take the disk in use off site (lifeboat target eject)',
    ]]);
    core.catalog.media.setOffSite('disk-a', true);
    await at(15);
    expect(active()).toEqual([]);
  });

  it('raises when the newest offline copy grows older than the setting, naming the disk; a fresher one clears it', async () => {
    nightly(0, 'disk-a');
    core.catalog.media.setOffSite('disk-a', true);
    nightly(1, 'disk-b');
    writeAlertThresholds(core.catalog, { offlineCopyMaxAgeDays: 7 });
    await at(7);
    expect(active()).toEqual([]);
    await at(8);
    expect(active().map((a) => a.message)).toEqual(['the newest copy on a disk taken off site (DISK-A) is 8 days old, over the 7-day limit: take the disk in use off site (lifeboat target eject) and bring another in']);
    core.catalog.media.setOffSite('disk-b', true);
    await at(8);
    expect(active()).toEqual([]);
  });

  it('does not apply to a database no job writes to removable disks', async () => {
    core.catalog.jobs.update(ids.job, { targetIds: [ids.nas] });
    nightly(0, 'disk-a');
    await at(60);
    expect(active()).toEqual([]);
  });
});
