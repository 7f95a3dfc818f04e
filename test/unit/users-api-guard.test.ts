import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { addUser, authenticate } from '../../src-main/core/audit/users.ts';
import { createSession } from '../../src-main/core/audit/sessions.ts';
import { guardRequest } from '../../src-main/core/audit/request-guard.ts';
import { router, procedure, createCallerFactory } from '../../src-main/api/trpc.ts';
import { envelopeOf } from '../../src-main/api/error-envelope.ts';

// A route built the way the agent's API builds them (its tRPC instance and its error envelope), guarded by
// guardRequest: what a viewer's "start a restore" request gets back, and what the audit trail keeps.
let home: string;
let ctx: CoreContext;
let tokens: Record<'viewer' | 'operator', string>;

const api = router({
  startRestore: procedure.input(z.object({ token: z.string().optional(), database: z.string() })).mutation(({ ctx: c, input }) => {
    const s = guardRequest((c as { core: CoreContext }).core, input.token, 'restore.start', input.database);
    return { startedBy: s.user };
  }),
});
const caller = () => createCallerFactory(api)({ core: ctx } as never);

async function status(p: Promise<unknown>): Promise<{ httpStatus: number; code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return envelopeOf(err as Error);
  }
  return { httpStatus: 200, code: 'OK', message: '' };
}

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-guard-'));
  ctx = await openCore({ home, recover: false, actor: 'api' });
  await addUser(ctx, { name: 'alice', role: 'admin', password: 'correct horse 1' }, null);
  const admin = createSession(ctx, ctx.catalog.users.get('alice')).session;
  await addUser(ctx, { name: 'victor', role: 'viewer', password: 'viewer pass 1' }, admin);
  await addUser(ctx, { name: 'oscar', role: 'operator', password: 'restore pass 1' }, admin);
  tokens = {
    viewer: createSession(ctx, await authenticate(ctx, 'victor', 'viewer pass 1')).token,
    operator: createSession(ctx, await authenticate(ctx, 'oscar', 'restore pass 1')).token,
  };
});

afterEach(() => {
  closeCore(ctx);
  fs.rmSync(home, { recursive: true, force: true });
});

describe('API route guarded by guardRequest', () => {
  it('answers a viewer\'s restore request with 403 FORBIDDEN and audits the refusal', async () => {
    const r = await status(caller().startRestore({ token: tokens.viewer, database: 'plant-pg/mes' }));
    expect(r).toMatchObject({ httpStatus: 403, code: 'FORBIDDEN' });
    expect(r.message).toContain("the role 'viewer' may not do 'restore.start'");
    expect(ctx.catalog.audit.list({ action: 'restore.start' })[0]).toMatchObject({ actor: 'victor', role: 'viewer', object: 'plant-pg/mes', outcome: 'refused' });
  });

  it('lets an operator through and refuses a missing or unknown token with 401', async () => {
    expect(await caller().startRestore({ token: tokens.operator, database: 'plant-pg/mes' })).toEqual({ startedBy: 'oscar' });
    expect(await status(caller().startRestore({ database: 'plant-pg/mes' }))).toMatchObject({ httpStatus: 401, code: 'UNAUTHORIZED' });
    expect(await status(caller().startRestore({ token: 'forged', database: 'plant-pg/mes' }))).toMatchObject({ httpStatus: 401, code: 'UNAUTHORIZED' });
  });

  it('locks an idle session (401 SESSION_LOCKED)', () => {
    const later = new Date(Date.now() + 16 * 60_000);
    expect(() => guardRequest(ctx, tokens.operator, 'restore.start', null, later)).toThrow(/locked/);
    const e = (() => { try { guardRequest(ctx, tokens.operator, 'status.read'); } catch (err) { return envelopeOf(err as Error); } return null; })();
    expect(e).toMatchObject({ httpStatus: 401, code: 'SESSION_LOCKED' });
  });
});
