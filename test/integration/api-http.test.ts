import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { startAgent, type Agent } from '../../src-main/agent/agent.ts';
import { createApiClient, type ApiClient } from '../../src-main/api/client.ts';
import { readAgentInfo } from '../../src-main/api/agent-info.ts';
import { nullLogger } from '../../src-main/core/util/logger.ts';
import { startApiServer } from '../../src-main/api/http-server.ts';
import { inProcessServices } from '../../src-main/api/in-process-services.ts';

let pg: PgServer;
let home: string;
let agent: Agent;
let api: ApiClient;

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createDatabase('lims');
  await pg.query('lims', 'CREATE TABLE samples AS SELECT g AS id, md5(g::text) AS barcode FROM generate_series(1, 20000) g');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-api-'));
  agent = await startAgent({ home, logger: nullLogger, graceMs: 5000, tickMs: 200, checkEveryMs: 400 });
  api = createApiClient({ url: agent.url, token: agent.token });
});

afterAll(async () => {
  await agent?.stop();
  await pg?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

/** A raw request, to check what no typed client would send. */
function raw(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: agent.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = () => ({ authorization: `Bearer ${agent.token}` });
const corsHeaders = (h: http.IncomingHttpHeaders) => Object.keys(h).filter((k) => k.startsWith('access-control-'));

describe('the local API over HTTP', () => {
  it('writes its port and token to agent.json, readable by the owner only', () => {
    const file = path.join(home, 'agent.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readAgentInfo(file)).toMatchObject({ pid: process.pid, port: agent.port, token: agent.token });
    expect(agent.token.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses a request without the token (401) or with a wrong one, with the error envelope', async () => {
    const none = await raw({ path: '/trpc/status.agent' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.data).toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
    const wrong = await raw({ path: '/trpc/status.agent', headers: { authorization: `Bearer ${agent.token.slice(0, -2)}xx` } });
    expect(wrong.status).toBe(401);
    const ok = await raw({ path: '/trpc/status.agent', headers: auth() });
    expect(ok.status).toBe(200);
  });

  it('refuses a Host header that is not loopback, even with the token (DNS rebinding), and a foreign Origin', async () => {
    const evil = await raw({ path: '/trpc/status.agent', headers: { ...auth(), host: `backup.attacker.example:${agent.port}` } });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.data.code).toBe('HOST_NOT_ALLOWED');
    const otherPort = await raw({ path: '/trpc/status.agent', headers: { ...auth(), host: `127.0.0.1:${agent.port + 1}` } });
    expect(otherPort.status).toBe(403);
    const localhost = await raw({ path: '/trpc/status.agent', headers: { ...auth(), host: `localhost:${agent.port}` } });
    expect(localhost.status).toBe(200);
    const origin = await raw({ path: '/trpc/status.agent', headers: { ...auth(), origin: 'http://attacker.example' } });
    expect(origin.status).toBe(403);
  });

  it('sends no CORS header, on a preflight or on an answer', async () => {
    const pre = await raw({ method: 'OPTIONS', path: '/trpc/jobs.list', headers: { origin: `http://127.0.0.1:${agent.port}`, 'access-control-request-method': 'POST' } });
    expect(corsHeaders(pre.headers)).toEqual([]);
    expect(pre.status).toBe(401);
    const ok = await raw({ path: '/trpc/jobs.list', headers: { ...auth(), origin: `http://127.0.0.1:${agent.port}` } });
    expect(ok.status).toBe(200);
    expect(corsHeaders(ok.headers)).toEqual([]);
  });

  it('answers malformed input with 400 naming the fields, and an unknown procedure with 404', async () => {
    const bad = await raw({ method: 'POST', path: '/trpc/jobs.add', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bad name!', databases: 'lims' }) });
    expect(bad.status).toBe(400);
    const data = JSON.parse(bad.body).error.data;
    expect(data).toMatchObject({ code: 'USAGE', retryable: false });
    expect(data.fields).toEqual(expect.arrayContaining(['name', 'source', 'databases', 'targets']));
    expect(data.message).toContain('databases');
    const typed = await api.schedule.preview.query({ schedule: 'every 99 minutes' }).catch((e: unknown) => e as { data: { code: string; httpStatus: number; message: string } });
    expect(typed).toMatchObject({ data: { code: 'CONFIG_INVALID', httpStatus: 400 } });
    const missing = await raw({ path: '/trpc/jobs.nothing', headers: auth() });
    expect(missing.status).toBe(404);
    const gone = await api.jobs.get.query({ job: 'no-such-job' }).catch((e: unknown) => e as { data: { code: string } });
    expect(gone).toMatchObject({ data: { code: 'NOT_FOUND', httpStatus: 404 } });
  });

  it('a subscription delivers the progress events of a real backup, and the dashboard shows its outcome', async () => {
    await api.sources.add.mutate({ name: 'clinic-pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user }, password: pg.password });
    fs.mkdirSync(path.join(home, 'usb'));
    await api.targets.add.mutate({ name: 'usb', kind: 'local', config: { path: path.join(home, 'usb') } });
    const job = await api.jobs.add.mutate({ name: 'lims-nightly', source: 'clinic-pg', databases: ['lims'], targets: ['usb'], schedule: 'daily 02:00', options: { timezone: 'Europe/Berlin' } });
    expect(job.nextRuns).toHaveLength(3);
    expect(JSON.stringify(await api.sources.list.query())).not.toContain(pg.password);

    const events: { type: string; runId?: string; phase?: string; status?: string }[] = [];
    let connected!: () => void;
    const ready = new Promise<void>((r) => { connected = r; });
    const sub = api.events.runs.subscribe({ job: 'lims-nightly' }, {
      onStarted: () => connected(),
      onData: (e) => { events.push(e as (typeof events)[number]); },
      onError: (err) => { throw err; },
    });
    await ready;
    await new Promise((r) => setTimeout(r, 100));
    const { results } = await api.jobs.run.mutate({ job: 'lims-nightly' });
    await new Promise((r) => setTimeout(r, 300));
    sub.unsubscribe();
    expect(results).toHaveLength(1);
    expect(results[0]!.status).toBe('succeeded');
    const runId = results[0]!.runId;
    const mine = events.filter((e) => e.runId === runId);
    expect(mine[0]).toMatchObject({ type: 'run.started' });
    expect(mine.filter((e) => e.type === 'run.progress').map((e) => e.phase)).toContain('verify');
    expect(mine.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });

    // "Run now" from the window answers at once; the run shows up as it goes.
    const started = await api.jobs.run.mutate({ job: 'lims-nightly', wait: false });
    expect(started).toMatchObject({ queued: true, results: [] });
    const second = await (async () => {
      for (let i = 0; i < 200; i++) {
        const r = (await api.runs.list.query({ job: 'lims-nightly' })).find((x) => x.id !== runId && x.status !== 'running');
        if (r) return r;
        await new Promise((res) => setTimeout(res, 100));
      }
      return null;
    })();
    expect(second).toMatchObject({ status: 'succeeded', trigger: 'manual' });

    // The run executed in the agent (this process), through its queue, and is listed with its phases.
    const run = await api.runs.get.query({ runId });
    expect(run).toMatchObject({ pid: process.pid, trigger: 'manual', status: 'succeeded' });
    expect(run.phases.map((p) => p.phase)).toEqual(expect.arrayContaining(['dump', 'verify']));
    const dash = await api.status.dashboard.query();
    expect(dash.databases).toEqual([expect.objectContaining({ server: 'clinic-pg', database: 'lims', status: 'ok', copies: 1, jobs: ['lims-nightly'] })]);
    expect(dash.databases[0]!.lastRun).toMatchObject({ runId: second!.id, status: 'succeeded' });
    expect(dash.tray).toBe('green');
    const sets = await api.sets.list.query({ database: 'lims' });
    expect(sets).toHaveLength(2);
    expect(sets[0]!.verifications.every((v) => v.result === 'passed')).toBe(true);
  });

  it('tests a source (probe) and a target (a probe written, read back and removed; free space) and edits a job', async () => {
    const probe = await api.sources.test.mutate({ source: 'clinic-pg' });
    expect(probe.databases.map((d) => d.name)).toContain('lims');
    const t = await api.targets.test.mutate({ target: 'usb' });
    expect(t.capabilities.freeSpace).toBe(true);
    expect(t.freeBytes).toBeGreaterThan(0);
    expect(t.objects).toBeGreaterThan(0);
    expect(t).toMatchObject({ ok: true, location: path.join(home, 'usb') });
    // The probe is gone again: the repository holds what it held before.
    const after = fs.readdirSync(path.join(home, 'usb', 'lifeboat'));
    expect(after.filter((n) => n.startsWith('.probe-'))).toEqual([]);
    const edited = await api.jobs.update.mutate({ job: 'lims-nightly', schedule: 'every 15 minutes', options: { missedRuns: 'skip', priority: 3 } });
    expect(edited.schedule).toBe('every 15 minutes');
    expect((await api.jobs.get.query({ job: 'lims-nightly' })).policy).toMatchObject({ missedRuns: 'skip', priority: 3, timezone: 'Europe/Berlin' });
    const badTz = await api.jobs.update.mutate({ job: 'lims-nightly', options: { timezone: 'Nowhere/Land' } }).then(() => null, (e: { data: { code: string } }) => e.data);
    expect(badTz).toMatchObject({ code: 'CONFIG_INVALID' });
    const badOption = await api.jobs.update.mutate({ job: 'lims-nightly', options: { missedRuns: 'sometimes' } as never }).then(() => null, (e: { data: { fields: string[] } }) => e.data);
    expect(badOption).toMatchObject({ fields: ['options.missedRuns'] });
  });

  it('verifies and restores the set through the API (the core functions the CLI calls)', async () => {
    const [set] = await api.sets.list.query({ database: 'lims' });
    const verified = await api.recovery.verify.mutate({ setIds: [set!.id] });
    expect(verified.results).toEqual([expect.objectContaining({ setId: set!.id, ok: true })]);
    const restored = await api.recovery.restore.mutate({ setId: set!.id, as: 'lims_copy' });
    expect(restored).toMatchObject({ destination: 'lims_copy', mode: 'new' });
    expect(restored.probes.every((p) => p.ok)).toBe(true);
    const rows = await pg.query<{ n: string }>('lims_copy', 'SELECT count(*) AS n FROM samples');
    expect(Number(rows[0]!.n)).toBe(20000);
    const refused = await api.recovery.restore.mutate({ setId: set!.id, as: 'lims_copy' }).then(() => null, (e: { data: { code: string } }) => e.data);
    expect(refused).not.toBeNull();
    expect(refused!.code).not.toBe('INTERNAL');
    const neither = await api.recovery.restore.mutate({}).catch((e: { data: { code: string; fields: string[] } }) => e.data);
    expect(neither).toMatchObject({ code: 'USAGE', fields: ['setId'] });
  });

  it('the status stream tells when a database crosses its objective, and the alert stream carries the alert', async () => {
    const status: { type: string; reason?: string }[] = [];
    const alertEvents: { type: string; rule?: string }[] = [];
    let ready = 0;
    const subs = [
      api.events.status.subscribe(undefined, { onStarted: () => { ready++; }, onData: (e) => { status.push(e); } }),
      api.events.alerts.subscribe(undefined, { onStarted: () => { ready++; }, onData: (e) => { alertEvents.push(e); } }),
    ];
    const until = Date.now() + 10_000;
    while (ready < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    // The lims set finished moments ago; an objective of one minute is met now and missed a minute later.
    await api.objectives.set.mutate({ server: 'clinic-pg', database: 'no_backup_db', rpoSeconds: 60 });
    while (!status.some((e) => e.type === 'status.changed') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    for (const s of subs) s.unsubscribe();
    expect(status.find((e) => e.type === 'status.changed')!.reason).toContain('clinic-pg/no_backup_db');
    expect(alertEvents).toContainEqual(expect.objectContaining({ type: 'alert.raised', rule: 'rpo-breached' }));
    const dash = await api.status.dashboard.query();
    expect(dash.tray).toBe('red');
    expect(dash.databases.find((d) => d.database === 'no_backup_db')).toMatchObject({ status: 'failing', rpoBreached: true });
    await api.objectives.remove.mutate({ server: 'clinic-pg', database: 'no_backup_db' });
    expect((await api.alerts.list.query({ status: 'active' })).filter((a) => a.rule === 'rpo-breached')).toEqual([]);
  });

  it('keeps a hook for the renderer\'s static files: served without the token, the API still needs it', async () => {
    const srv = await startApiServer({
      token: 'static-test-token-0123456789',
      createContext: () => ({ core: agent.core, services: inProcessServices(agent.core), actor: 'api' }),
      staticHandler: (req, res) => {
        if (req.url !== '/') return false;
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Lifeboat</title>');
        return true;
      },
    });
    try {
      const get = (p: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${srv.port}${p}`, { headers });
      const page = await get('/');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Lifeboat</title>');
      expect((await get('/trpc/status.agent')).status).toBe(401);
      expect((await get('/trpc/status.agent', { authorization: 'Bearer static-test-token-0123456789' })).status).toBe(200);
      expect((await get('/elsewhere')).status).toBe(404);
    } finally {
      await srv.close();
    }
  });
});
