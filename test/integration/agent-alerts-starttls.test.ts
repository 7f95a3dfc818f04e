import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { createInProcessClient } from '../../src-main/api/in-process-client.ts';
import { inProcessServices } from '../../src-main/api/in-process-services.ts';
import type { ApiClient } from '../../src-main/api/client.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-server.ts';

let home: string;
let core: CoreContext;
let api: ApiClient;
let tlsRelay: SmtpTestServer;
let plainRelay: SmtpTestServer;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-starttls-'));
  // A self-signed relay certificate, as plants often have.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=relay.plant.local',
    '-keyout', path.join(home, 'key.pem'), '-out', path.join(home, 'cert.pem')], { stdio: 'ignore' });
  tlsRelay = await startSmtpServer({ tls: { key: fs.readFileSync(path.join(home, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(home, 'cert.pem'), 'utf8') } });
  plainRelay = await startSmtpServer();
  core = await openCore({ home, logger: nullLogger });
  api = createInProcessClient(() => ({ core, services: inProcessServices(core), actor: 'test' }));
  await api.settings.smtp.set.mutate({ enabled: true, host: '127.0.0.1', from: 'lifeboat@plant.example', to: ['ops@plant.example'] });
});

afterAll(async () => {
  closeCore(core);
  await tlsRelay?.close();
  await plainRelay?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const sendTest = () => api.settings.smtp.test.mutate().then(() => 'sent', (e: { data: { code: string; message: string } }) => e.data);

describe('alert e-mail with STARTTLS', () => {
  it('required: the message goes over TLS to a relay that offers it (self-signed accepted only when allowed)', async () => {
    await api.settings.smtp.set.mutate({ port: tlsRelay.port, starttls: 'required', allowSelfSigned: false });
    const refused = await sendTest();
    expect(refused).toMatchObject({ code: 'NOTIFY_FAILED' });
    expect(tlsRelay.messages).toHaveLength(0);
    await api.settings.smtp.set.mutate({ allowSelfSigned: true });
    expect(await sendTest()).toBe('sent');
    expect((await tlsRelay.waitFor(1))[0]!.secure).toBe(true);
  });

  it('required: a relay without STARTTLS is refused rather than used in the clear', async () => {
    await api.settings.smtp.set.mutate({ port: plainRelay.port, starttls: 'required' });
    const r = await sendTest();
    expect(r).toMatchObject({ code: 'NOTIFY_FAILED' });
    expect((r as { message: string }).message).toContain(`127.0.0.1:${plainRelay.port}`);
    expect(plainRelay.messages).toHaveLength(0);
  });

  it('optional uses TLS when offered and plain text otherwise; off never upgrades', async () => {
    await api.settings.smtp.set.mutate({ port: tlsRelay.port, starttls: 'optional', allowSelfSigned: true });
    expect(await sendTest()).toBe('sent');
    expect((await tlsRelay.waitFor(2))[1]!.secure).toBe(true);
    await api.settings.smtp.set.mutate({ port: plainRelay.port });
    expect(await sendTest()).toBe('sent');
    expect((await plainRelay.waitFor(1))[0]!.secure).toBe(false);
    await api.settings.smtp.set.mutate({ port: tlsRelay.port, starttls: 'off' });
    expect(await sendTest()).toBe('sent');
    expect((await tlsRelay.waitFor(3))[2]!.secure).toBe(false);
  });
});
