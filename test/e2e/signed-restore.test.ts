import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../support/postgres-server.ts';
import { tempDir, cleanupTemp } from '../support/temp.ts';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { addUser } from '../../src-main/core/audit/users.ts';
import { createInProcessClient } from '../../src-main/api/in-process-client.ts';
import { inProcessServices } from '../../src-main/api/in-process-services.ts';
import type { ApiClient } from '../../src-main/api/client.ts';

// The wizard's restore procedure (ui.confirmedRestore) through the same API the console uses: with users
// set up, a restore runs only after its signer re-entered a correct password; without the right typed
// name nothing runs either. The e2e console test covers the no-users path in the browser.
let pg: PgServer;
let core: CoreContext;
let api: ApiClient;
const PASSWORD = 'correct horse battery 7';

beforeAll(async () => {
  pg = await startPostgres();
  await pg.createDatabase('lims');
  await pg.query('lims', "CREATE TABLE samples AS SELECT g AS id FROM generate_series(1, 321) g");
  // As in the agent: the core's own actor is the scheduler; what an API caller does is audited as the caller's.
  core = await openCore({ home: tempDir(), actor: 'scheduler' });
  const services = inProcessServices(core);
  api = createInProcessClient(() => ({ core, services, actor: 'api' }));
  await addUser(core, { name: 'anna', fullName: 'Anna Operator', role: 'admin', password: PASSWORD }, null);
  await api.sources.add.mutate({ name: 'pg', kind: 'postgres', config: { host: pg.host, port: pg.port, user: pg.user }, password: pg.password });
  await api.targets.add.mutate({ name: 'disk', kind: 'local', config: { path: tempDir() } });
  await api.jobs.add.mutate({ name: 'daily', source: 'pg', databases: ['lims'], targets: ['disk'] });
  const run = await api.jobs.run.mutate({ job: 'daily' });
  expect(run.results[0]!.status).toBe('succeeded');
}, 180_000);

afterAll(async () => {
  if (core) closeCore(core);
  await pg?.stop();
  cleanupTemp();
});

const exists = async (db: string) => (await pg.query<{ n: string }>('postgres', 'SELECT count(*)::text AS n FROM pg_database WHERE datname = $1', [db]))[0]!.n === '1';

describe('a confirmed restore from the wizard', () => {
  it('asks for a signature once users exist', async () => {
    expect(await api.ui.restoreConfirmation.query()).toEqual({ signature: true });
    await expect(api.ui.confirmedRestore.mutate({ database: 'lims', as: 'lims_a', confirmName: 'lims_a' })).rejects.toMatchObject({ data: { code: 'SIGNATURE_REQUIRED' } });
    expect(await exists('lims_a')).toBe(false);
  });

  it('refuses a wrong password or a typed name that does not match, and restores nothing', async () => {
    await expect(api.ui.confirmedRestore.mutate({ database: 'lims', as: 'lims_b', confirmName: 'lims_b', signature: { user: 'anna', password: 'wrong password 1', reason: 'drill' } }))
      .rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    await expect(api.ui.confirmedRestore.mutate({ database: 'lims', as: 'lims_b', confirmName: 'lims', signature: { user: 'anna', password: PASSWORD, reason: 'drill' } }))
      .rejects.toMatchObject({ data: { code: 'CONFIRMATION_REQUIRED' } });
    expect(await exists('lims_b')).toBe(false);
  });

  it('restores with the password re-entered, records the signer, and consumes the signature', async () => {
    const r = await api.ui.confirmedRestore.mutate({ database: 'lims', as: 'lims_c', confirmName: 'lims_c', signature: { user: 'anna', password: PASSWORD, reason: 'monthly restore test' } });
    expect(r.destination).toBe('lims_c');
    expect((await pg.query<{ n: string }>('lims_c', 'SELECT count(*)::text AS n FROM samples'))[0]!.n).toBe('321');
    const history = await api.ui.restores.query({ limit: 5 });
    expect(history[0]).toMatchObject({ destination: 'lims_c', status: 'succeeded', requestedBy: 'anna', database: 'lims' });
    const audit = core.catalog.db.prepare("SELECT action, actor, outcome, reason FROM audit_events WHERE action LIKE 'esign.%' ORDER BY seq").all();
    // The wrong password of the test before is on record too.
    expect(audit).toEqual([
      { action: 'esign.sign', actor: 'anna', outcome: 'failure', reason: 'the name or the password is wrong' },
      { action: 'esign.sign', actor: 'anna', outcome: 'success', reason: 'monthly restore test' },
      { action: 'esign.use', actor: 'api', outcome: 'success', reason: null },
    ]);
  });
});
