import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { createAlertService } from '../../src-main/core/alerts/create-alert-service.ts';
import { attachAlertRules, checkTargetSpace } from '../../src-main/core/alerts/alert-rules.ts';
import { writeAlertThresholds } from '../../src-main/core/alerts/alert-thresholds.ts';
import type { AlertService } from '../../src-main/core/alerts/alert-service.ts';

let home: string;
let core: CoreContext;
let alerts: AlertService;
let detach: () => void;
let jobId: string;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-rules-'));
  core = await openCore({ home, logger: nullLogger });
  const src = core.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: '127.0.0.1', user: 'postgres' } });
  const tgt = core.catalog.targets.add({ name: 'usb', kind: 'local', config: { path: home } });
  jobId = core.catalog.jobs.add({ name: 'mes', sourceId: src.id, databases: ['mes'], targetIds: [tgt.id] }).id;
  const clock = new FakeClock('2026-06-01T10:00:00Z');
  alerts = createAlertService(core, clock);
  detach = attachAlertRules(core, alerts, clock);
});

afterEach(() => {
  detach();
  closeCore(core);
  fs.rmSync(home, { recursive: true, force: true });
});

/** A run as the runner records and announces it. */
async function finishRun(kind: 'backup' | 'verify', status: 'succeeded' | 'failed' | 'partial', error?: { code: string; message: string }, detail: Record<string, unknown> = {}) {
  const runId = core.catalog.runs.begin({ kind, jobId: kind === 'backup' ? jobId : null, databaseName: kind === 'backup' ? 'mes' : null, trigger: 'schedule', detail });
  core.catalog.runs.finish(runId, { status, ...(error ? { errorCode: error.code, errorMessage: error.message } : {}) });
  core.events.emitEvent('run.finished', { runId, kind, status, errorCode: error?.code ?? null, errorMessage: error?.message ?? null });
  await alerts.settled();
  return runId;
}

const active = () => core.catalog.alerts.list({ status: 'active' });

describe('alert rules', () => {
  it('one open alert per failing job and database, counting occurrences; a good run clears it', async () => {
    await finishRun('backup', 'failed', { code: 'SOURCE_UNREACHABLE', message: 'unable to connect to plant-pg: connection refused' });
    await finishRun('backup', 'failed', { code: 'SOURCE_UNREACHABLE', message: 'unable to connect to plant-pg: connection refused' });
    expect(active()).toHaveLength(1);
    expect(active()[0]).toMatchObject({ rule: 'run-failed', occurrences: 2, severity: 'error' });
    expect(active()[0]!.subject).toContain('mes on plant-pg');
    await finishRun('backup', 'succeeded');
    expect(active()).toHaveLength(0);
  });

  it('a USB disk of the set absent (MEDIA_ABSENT) is its own alert, cleared when a run reaches a disk again', async () => {
    await finishRun('backup', 'failed', { code: 'MEDIA_ABSENT', message: 'unable to write set to rotation usb: no disk of the rotation set is present' });
    expect(active().map((a) => a.rule)).toEqual(['media-absent']);
    await finishRun('backup', 'succeeded');
    expect(active()).toHaveLength(0);
  });

  it('a failed verification alerts for its set; a passing verification of that set clears it', async () => {
    await finishRun('verify', 'failed', { code: 'VERIFY_MISMATCH', message: "unable to verify set 'set_abc' (mes): copy on 'usb': data.dump.zst differs" }, { setIds: ['set_abc'] });
    expect(active()).toEqual([expect.objectContaining({ rule: 'verification-failed', causeKey: 'verification-failed:set_abc' })]);
    await finishRun('verify', 'succeeded', undefined, { setIds: ['set_abc'] });
    expect(active()).toHaveLength(0);
  });

  it('slots missed during downtime alert; slots folded behind a running job do not; an on-time run clears it', async () => {
    core.events.emitEvent('schedule.slot', { jobId, slotAt: '2026-06-01T10:00:00.000Z', outcome: 'skipped', runIds: [], missedSlots: 2, reason: 'overlap' });
    await alerts.settled();
    expect(active()).toHaveLength(0);
    core.events.emitEvent('schedule.slot', { jobId, slotAt: '2026-06-01T10:00:00.000Z', outcome: 'skipped', runIds: [], missedSlots: 3, reason: 'downtime' });
    await alerts.settled();
    expect(active()).toEqual([expect.objectContaining({ rule: 'missed-schedule', severity: 'warning' })]);
    expect(active()[0]!.message).toContain('3 scheduled runs');
    core.events.emitEvent('schedule.slot', { jobId, slotAt: '2026-06-01T11:00:00.000Z', outcome: 'ran', runIds: [] });
    await alerts.settled();
    expect(active()).toHaveLength(0);
  });

  it('a target below the free-space threshold alerts, and clears once the threshold is met', async () => {
    const free = fs.statfsSync(home);
    const bytes = free.bavail * free.bsize;
    writeAlertThresholds(core.catalog, { lowSpaceBytes: bytes * 4 });
    await checkTargetSpace(core, alerts);
    expect(active()).toEqual([expect.objectContaining({ rule: 'target-low-space', subject: 'Target usb is low on space' })]);
    writeAlertThresholds(core.catalog, { lowSpaceBytes: 1024 });
    await checkTargetSpace(core, alerts);
    expect(active()).toHaveLength(0);
  });
});
