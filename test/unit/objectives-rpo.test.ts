import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { newId } from '../../src-main/core/util/ids.ts';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { createAlertService } from '../../src-main/core/alerts/create-alert-service.ts';
import { attachAlertRules } from '../../src-main/core/alerts/alert-rules.ts';
import { evaluateObjectives } from '../../src-main/core/objectives/evaluate-objectives.ts';
import { databaseStatuses } from '../../src-main/core/objectives/database-status.ts';
import type { AlertService } from '../../src-main/core/alerts/alert-service.ts';
import type { CoreEvents } from '../../src-main/core/events.ts';

const T0 = new Date('2026-06-01T08:00:00Z');
const HOUR = 3_600_000;
let home: string;
let core: CoreContext;
let clock: FakeClock;
let alerts: AlertService;
let detach: () => void;
let seen: ({ type: string } & Partial<CoreEvents['alert.raised']>)[];
let targetId: string;
let jobId: string;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-rpo-'));
  core = await openCore({ home, logger: nullLogger });
  const src = core.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: '127.0.0.1', user: 'postgres' } });
  targetId = core.catalog.targets.add({ name: 'nas', kind: 'local', config: { path: home } }).id;
  jobId = core.catalog.jobs.add({ name: 'mes', sourceId: src.id, databases: ['mes'], targetIds: [targetId] }).id;
  clock = new FakeClock(new Date(T0.getTime() + 10 * 60_000));
  alerts = createAlertService(core, clock);
  detach = attachAlertRules(core, alerts, clock);
  seen = [];
  core.events.on('*', (e: { type: string }) => { if (e.type.startsWith('alert.')) seen.push(e); });
  core.catalog.objectives.set({ server: 'plant-pg', database: 'mes', rpoSeconds: 3600 });
});

afterEach(() => {
  detach();
  closeCore(core);
  fs.rmSync(home, { recursive: true, force: true });
});

/** Records a set of plant-pg/mes that finished at `finishedAt`, with an L1 verification of the given result. */
function landSet(finishedAt: Date, verification: 'passed' | 'failed') {
  const setId = newId('set');
  const set = core.catalog.sets.record({
    manifest: {
      format: 'lifeboat-set', formatVersion: 1, setId, engine: 'postgres', server: 'plant-pg', database: 'mes', serverVersion: '15.8', type: 'full',
      parentSetId: null, chain: {}, startedAt: new Date(finishedAt.getTime() - 60_000).toISOString(), finishedAt: finishedAt.toISOString(),
      toolVersions: {}, appVersion: 'test', encryption: { scheme: 'none' },
      artifacts: [{ name: 'data.dump.zst', role: 'data', bytes: 10, sha256: 'a'.repeat(64), rawBytes: 20, rawSha256: 'b'.repeat(64), compression: 'zstd', encryption: 'none' }],
      probes: [], tags: [], job: 'mes',
    },
    path: `lifeboat/plant-pg/mes/${setId}`, manifestSha256: 'c'.repeat(64), runId: null, jobId, copies: [{ targetId }],
  });
  core.catalog.verifications.add({ setId, copyId: set.copies[0]!.id, level: 1, result: verification, startedAt: finishedAt.toISOString(), finishedAt: finishedAt.toISOString(), triggeredBy: 'test', runId: null, detail: {} });
  core.events.emitEvent('set.recorded', { setId, database: 'mes', server: 'plant-pg' });
  return setId;
}

const statusOf = () => databaseStatuses(core.catalog, clock.now(), () => [])[0]!;

describe('recovery point objective', () => {
  it('a breach raises one alert when the newest verified set is older than the objective, and clears when a new verified set lands', async () => {
    landSet(T0, 'passed');
    await alerts.settled();
    expect(core.catalog.alerts.list({ status: 'active' })).toHaveLength(0);
    expect(statusOf()).toMatchObject({ status: 'ok', liveRpoSeconds: 600, rpoBreached: false });

    clock.set(new Date(T0.getTime() + 2 * HOUR));
    await evaluateObjectives(core.catalog, alerts, clock.now());
    await evaluateObjectives(core.catalog, alerts, clock.now());
    const open = core.catalog.alerts.list({ status: 'active' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ rule: 'rpo-breached', causeKey: 'rpo:plant-pg/mes', occurrences: 2 });
    expect(open[0]!.message).toContain('2.0 h old');
    expect(seen.filter((e) => e.type === 'alert.raised').map((e) => e.notify)).toEqual(['new', 'none']);
    expect(statusOf()).toMatchObject({ status: 'failing', rpoBreached: true, liveRpoSeconds: 7200 });

    // A newer set whose verification failed is no recovery point: the breach stays.
    landSet(new Date(clock.now().getTime() - 60_000), 'failed');
    await alerts.settled();
    expect(core.catalog.alerts.list({ status: 'active' })).toHaveLength(1);

    landSet(new Date(clock.now().getTime() - 30_000), 'passed');
    await alerts.settled();
    expect(core.catalog.alerts.list({ status: 'active' })).toHaveLength(0);
    expect(core.catalog.alerts.list({ status: 'cleared' })[0]).toMatchObject({ causeKey: 'rpo:plant-pg/mes' });
    expect(seen.at(-1)).toMatchObject({ type: 'alert.cleared', causeKey: 'rpo:plant-pg/mes' });
    expect(statusOf()).toMatchObject({ status: 'ok', rpoBreached: false, liveRpoSeconds: 30 });
  });

  it('a database with an objective and no verified set at all is in breach', async () => {
    await evaluateObjectives(core.catalog, alerts, clock.now());
    expect(core.catalog.alerts.list({ status: 'active' })[0]!.message).toContain('no verified backup exists');
  });

  it('removing the objective clears its alert', async () => {
    await evaluateObjectives(core.catalog, alerts, clock.now());
    core.catalog.objectives.remove('plant-pg', 'mes');
    await evaluateObjectives(core.catalog, alerts, clock.now());
    expect(core.catalog.alerts.list({ status: 'active' })).toHaveLength(0);
  });
});
