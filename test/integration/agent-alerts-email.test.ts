import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { runJob } from '../../src-main/core/runner/run-job.ts';
import { FakeClock } from '../../src-main/core/scheduler/clock.ts';
import { createAlertService } from '../../src-main/core/alerts/create-alert-service.ts';
import { attachAlertRules } from '../../src-main/core/alerts/alert-rules.ts';
import { writeSmtpSettings } from '../../src-main/core/alerts/smtp-settings.ts';
import type { AlertService } from '../../src-main/core/alerts/alert-service.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-server.ts';
import { freePort } from '../support/free-port.ts';
import { createInProcessClient } from '../../src-main/api/in-process-client.ts';
import { inProcessServices } from '../../src-main/api/in-process-services.ts';

let home: string;
let core: CoreContext;
let smtp: SmtpTestServer;
let clock: FakeClock;
let alerts: AlertService;
let detach: () => void;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-alerts-'));
  core = await openCore({ home, logger: nullLogger });
  smtp = await startSmtpServer();
  // A source whose server is down: every run of the job fails with a real error from the real runner.
  const deadPort = await freePort();
  const src = core.catalog.sources.add({ name: 'plant-pg', kind: 'postgres', config: { host: '127.0.0.1', port: deadPort, user: 'postgres', connectTimeoutSeconds: 2 } });
  fs.mkdirSync(path.join(home, 'nas'));
  const tgt = core.catalog.targets.add({ name: 'nas', kind: 'local', config: { path: path.join(home, 'nas') } });
  core.catalog.jobs.add({ name: 'mes-nightly', sourceId: src.id, databases: ['mes_production'], targetIds: [tgt.id] });
  writeSmtpSettings(core.catalog, core.secrets, { enabled: true, host: '127.0.0.1', port: smtp.port, starttls: 'off', from: 'lifeboat@plant.example', to: ['ops@plant.example'], repeatMinutes: 60 });
  clock = new FakeClock(new Date());
  alerts = createAlertService(core, clock);
  detach = attachAlertRules(core, alerts, clock);
});

afterAll(async () => {
  detach?.();
  closeCore(core);
  await smtp?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function failRun() {
  const [r] = await runJob(core, 'mes-nightly', { trigger: 'schedule' });
  await alerts.settled();
  expect(r!.status).toBe('failed');
  return r!;
}

describe('alerts by e-mail through a real SMTP server', () => {
  it('a failed run sends one e-mail naming the database and the cause', async () => {
    const r = await failRun();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['ops@plant.example']);
    expect(mail!.subject).toContain('mes_production');
    expect(mail!.text).toContain('mes_production');
    expect(mail!.text).toContain(r.error!.message);
    expect(mail!.text).toContain(r.error!.code);
    const open = core.catalog.alerts.list({ status: 'open' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ rule: 'run-failed', occurrences: 1 });
  });

  it('the same failure again inside the repeat interval sends nothing new; it counts an occurrence', async () => {
    clock.advance(10 * 60_000);
    await failRun();
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(1);
    expect(core.catalog.alerts.list({ status: 'open' })[0]!.occurrences).toBe(2);
    expect(await alerts.sweep()).toBe(0);
  });

  it('after the repeat interval the open alert is sent again; once acknowledged, never again', async () => {
    clock.advance(61 * 60_000);
    expect(await alerts.sweep()).toBe(1);
    await smtp.waitFor(2);
    expect(smtp.messages[1]!.subject).toContain('still open');
    const open = core.catalog.alerts.list({ status: 'open' });
    await alerts.acknowledge(open[0]!.id, 'operator');
    clock.advance(5 * 60 * 60_000);
    expect(await alerts.sweep()).toBe(0);
    await failRun();
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(2);
    expect(core.catalog.alerts.list({ status: 'acknowledged' })[0]).toMatchObject({ ackBy: 'operator', occurrences: 3 });
  });

  it('SMTP settings through the API: the password is sealed and never returned; a test message reaches the relay', async () => {
    const api = createInProcessClient(() => ({ core, services: inProcessServices(core), actor: 'test' }));
    const before = smtp.messages.length;
    const set = await api.settings.smtp.set.mutate({ user: 'relay-user', password: 'relay-secret-8812', to: ['ops@plant.example', 'it@plant.example'] });
    expect(JSON.stringify(set)).not.toContain('relay-secret-8812');
    const got = await api.settings.smtp.get.query();
    expect(got).toMatchObject({ hasPassword: true, user: 'relay-user', to: ['ops@plant.example', 'it@plant.example'] });
    expect(JSON.stringify(got)).not.toContain('relay-secret-8812');
    expect(core.catalog.getSetting('alerts.smtp.password')).not.toContain('relay-secret-8812');
    await api.settings.smtp.set.mutate({ user: null, password: null });
    const sent = await api.settings.smtp.test.mutate();
    expect(sent.sentTo).toEqual(['ops@plant.example', 'it@plant.example']);
    const mails = await smtp.waitFor(before + 1);
    expect(mails.at(-1)!.to).toEqual(['ops@plant.example', 'it@plant.example']);
    expect(mails.at(-1)!.subject).toContain('test message');
    const bad = await api.settings.smtp.set.mutate({ to: ['not an address'] }).catch((e: { data: { code: string; fields: string[] } }) => e.data);
    expect(bad).toMatchObject({ code: 'USAGE', fields: ['to.0'] });
  });
});
