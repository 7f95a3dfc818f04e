import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, closeCore, type CoreContext } from '../../src-main/core/context.ts';
import { addUser, authenticate, changePassword, listUsers, needsFirstAdmin, setUserRole, unlockUser } from '../../src-main/core/audit/users.ts';
import { createSession, lockSession, touchSession, unlockSession } from '../../src-main/core/audit/sessions.ts';
import { authorize, type Session } from '../../src-main/core/audit/authorize.ts';
import { PERMISSIONS, requireRole } from '../../src-main/core/audit/roles.ts';
import { hashPassword, verifyPassword } from '../../src-main/core/audit/password.ts';
import { ERROR_CODES } from '../../src-main/core/errors/codes.ts';
import { isLifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';
import { verifyAuditTrail } from '../../src-main/core/audit/verify-chain.ts';

let home: string;
let ctx: CoreContext;
let admin: Session;

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-users-'));
  ctx = await openCore({ home, recover: false, actor: 'cli:tester' });
  await addUser(ctx, { name: 'alice', fullName: 'Alice Admin', role: 'admin', password: 'correct horse 1' }, null);
  admin = createSession(ctx, await authenticate(ctx, 'alice', 'correct horse 1')).session;
});

afterEach(() => {
  closeCore(ctx);
  fs.rmSync(home, { recursive: true, force: true });
});

describe('passwords', () => {
  it('are scrypt hashes with a salt per user and their parameters', async () => {
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same passwore', a)).toBe(false);
    expect(ctx.catalog.users.get('alice').passwordHash).not.toContain('correct horse');
    // What sign-in hands to the API carries no hash.
    expect(await authenticate(ctx, 'alice', 'correct horse 1')).not.toHaveProperty('passwordHash');
  });
});

describe('first start', () => {
  it('needs an admin first, and afterwards only an admin adds users', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-users-first-'));
    const c = await openCore({ home: fresh, recover: false });
    try {
      expect(needsFirstAdmin(c)).toBe(true);
      expect(await errorOf(addUser(c, { name: 'op', role: 'operator', password: 'long enough 1' }, null))).toMatchObject({ code: 'USAGE' });
      await addUser(c, { name: 'root-admin', role: 'admin', password: 'long enough 1' }, null);
      expect(needsFirstAdmin(c)).toBe(false);
      expect(await errorOf(addUser(c, { name: 'op', role: 'operator', password: 'long enough 1' }, null))).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(c.catalog.audit.list({ action: 'user.add' })[0]).toMatchObject({ object: 'root-admin', reason: 'first start: initial admin', newValue: { role: 'admin' } });
    } finally {
      closeCore(c);
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('an operator cannot add users; the refusal is audited', async () => {
    await addUser(ctx, { name: 'oscar', role: 'operator', password: 'operator pass 1' }, admin);
    const oscar = createSession(ctx, await authenticate(ctx, 'oscar', 'operator pass 1')).session;
    const err = await errorOf(addUser(ctx, { name: 'eve', role: 'admin', password: 'whatever 12345' }, oscar));
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    expect(ctx.catalog.users.find('eve')).toBeUndefined();
    expect(ctx.catalog.audit.list({ action: 'user.change' })[0]).toMatchObject({ actor: 'oscar', outcome: 'refused', object: 'eve' });
  });
});

describe('authenticate and lockout', () => {
  it('locks after 5 failures within 15 minutes and an admin unlocks', async () => {
    await addUser(ctx, { name: 'bob', role: 'operator', password: 'blue secret 123' }, admin);
    const t0 = new Date('2026-05-01T08:00:00Z');
    for (let i = 0; i < 4; i++) {
      expect(await errorOf(authenticate(ctx, 'bob', 'wrong', new Date(t0.getTime() + i * 60_000)))).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(await errorOf(authenticate(ctx, 'bob', 'wrong', new Date(t0.getTime() + 5 * 60_000)))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    // Locked: even the right password is refused.
    expect(await errorOf(authenticate(ctx, 'bob', 'blue secret 123', new Date(t0.getTime() + 6 * 60_000)))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(listUsers(ctx, new Date(t0.getTime() + 6 * 60_000)).find((u) => u.name === 'bob')!.locked).toBe(true);
    unlockUser(ctx, 'bob', admin, 'confirmed by phone');
    expect((await authenticate(ctx, 'bob', 'blue secret 123', new Date(t0.getTime() + 7 * 60_000))).name).toBe('bob');
    const failures = ctx.catalog.audit.list({ action: 'auth.login' }).filter((e) => e.object === 'bob' && e.outcome !== 'success');
    expect(failures).toHaveLength(6);
    expect(ctx.catalog.audit.list({ action: 'user.lock' })[0]).toMatchObject({ object: 'bob' });
    expect(ctx.catalog.audit.list({ action: 'user.unlock' })[0]).toMatchObject({ actor: 'alice', reason: 'confirmed by phone' });
  });

  it('failures spread beyond the window do not lock', async () => {
    await addUser(ctx, { name: 'carol', role: 'viewer', password: 'coral secret 1' }, admin);
    const t0 = Date.parse('2026-05-01T08:00:00Z');
    for (let i = 0; i < 8; i++) {
      expect(await errorOf(authenticate(ctx, 'carol', 'nope', new Date(t0 + i * 16 * 60_000)))).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect((await authenticate(ctx, 'carol', 'coral secret 1', new Date(t0 + 200 * 60_000))).role).toBe('viewer');
  });

  it('an unknown name fails like a wrong password and is audited', async () => {
    const err = await errorOf(authenticate(ctx, 'nobody', 'x'));
    expect(err).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((err as Error).message).toContain('the name or the password is wrong');
    expect(ctx.catalog.audit.list({ action: 'auth.login' })[0]).toMatchObject({ actor: 'nobody', outcome: 'failure' });
  });

  it('a password change ends the user\'s sessions', async () => {
    await addUser(ctx, { name: 'dave', role: 'operator', password: 'dove secret 1' }, admin);
    const { token } = createSession(ctx, await authenticate(ctx, 'dave', 'dove secret 1'));
    await changePassword(ctx, 'dave', 'dove secret 2', admin);
    expect(await errorOf(() => touchSession(ctx, token))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await errorOf(authenticate(ctx, 'dave', 'dove secret 1'))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await authenticate(ctx, 'dave', 'dove secret 2')).name).toBe('dave');
  });
});

describe('sessions', () => {
  it('lock after inactivity and unlock with the password', async () => {
    const t0 = new Date('2026-05-01T08:00:00Z');
    const { token } = createSession(ctx, ctx.catalog.users.get('alice'), t0);
    expect(touchSession(ctx, token, new Date(t0.getTime() + 14 * 60_000)).user).toBe('alice');
    // 14 + 14 minutes: still active, each touch restarts the idle clock.
    expect(touchSession(ctx, token, new Date(t0.getTime() + 28 * 60_000)).role).toBe('admin');
    expect(await errorOf(() => touchSession(ctx, token, new Date(t0.getTime() + 44 * 60_000)))).toMatchObject({ code: 'SESSION_LOCKED' });
    expect(await errorOf(() => touchSession(ctx, token, new Date(t0.getTime() + 45 * 60_000)))).toMatchObject({ code: 'SESSION_LOCKED' });
    expect(await errorOf(unlockSession(ctx, token, 'bad', new Date(t0.getTime() + 46 * 60_000)))).toMatchObject({ code: 'UNAUTHORIZED' });
    await unlockSession(ctx, token, 'correct horse 1', new Date(t0.getTime() + 47 * 60_000));
    expect(touchSession(ctx, token, new Date(t0.getTime() + 48 * 60_000)).user).toBe('alice');
    expect(ctx.catalog.audit.list({ action: 'auth.session-lock' })[0]!.reason).toMatch(/inactive for 16 min/);
    expect(ctx.catalog.audit.list({ action: 'auth.session-unlock' }).map((e) => e.outcome).sort()).toEqual(['failure', 'success']);
  });

  it('a role change applies to an open session at once; the token is not stored', async () => {
    await addUser(ctx, { name: 'erin', role: 'operator', password: 'eagle secret 1' }, admin);
    const { token } = createSession(ctx, await authenticate(ctx, 'erin', 'eagle secret 1'));
    setUserRole(ctx, 'erin', 'viewer', admin, 'moved to QA');
    expect(touchSession(ctx, token).role).toBe('viewer');
    const raw = ctx.catalog.db.prepare('SELECT * FROM sessions').all();
    expect(JSON.stringify(raw)).not.toContain(token);
    lockSession(ctx, token);
    expect(await errorOf(() => touchSession(ctx, token))).toMatchObject({ code: 'SESSION_LOCKED' });
    expect(ctx.catalog.audit.list({ action: 'user.role' })[0]).toMatchObject({ oldValue: { role: 'operator' }, newValue: { role: 'viewer' } });
  });

  it('the last admin cannot be demoted', async () => {
    expect(await errorOf(() => setUserRole(ctx, 'alice', 'viewer', admin))).toMatchObject({ code: 'USAGE' });
  });
});

describe('authorize', () => {
  it('refuses a viewer starting a restore with FORBIDDEN (403) and audits the refusal', async () => {
    await addUser(ctx, { name: 'victor', fullName: 'Victor Viewer', role: 'viewer', password: 'viewer pass 1' }, admin);
    const viewer = createSession(ctx, await authenticate(ctx, 'victor', 'viewer pass 1')).session;
    const err = await errorOf(() => authorize(ctx, viewer, 'restore.start', 'plant-pg/mes'));
    expect(isLifeboatError(err, 'FORBIDDEN')).toBe(true);
    expect(ERROR_CODES[(err as { code: 'FORBIDDEN' }).code].http).toBe(403);
    const entry = ctx.catalog.audit.list({ action: 'restore.start' })[0]!;
    expect(entry).toMatchObject({ actor: 'victor', role: 'viewer', object: 'plant-pg/mes', outcome: 'refused' });
    expect(entry.reason).toContain('needs operator');
    expect(verifyAuditTrail(ctx).ok).toBe(true);
  });

  it('follows the permission table for every action and role', async () => {
    const rank = { viewer: 1, operator: 2, admin: 3 } as const;
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const s: Session = { ...admin, user: `as-${role}`, role };
      for (const [action, min] of Object.entries(PERMISSIONS)) {
        const allowed = rank[role] >= rank[min];
        if (allowed) expect(() => authorize(ctx, s, action, null)).not.toThrow();
        else expect(() => authorize(ctx, s, action, null)).toThrow(/may not do/);
      }
    }
    // Only admins change targets, retention or users; a viewer only reads.
    for (const a of ['target.change', 'retention.change', 'user.change'] as const) expect(PERMISSIONS[a]).toBe('admin');
    expect(() => authorize(ctx, admin, 'no.such.action', null)).toThrow(/not a known action/);
    expect(() => requireRole({ user: 'x', role: 'operator' }, 'admin')).toThrow(/below 'admin'/);
  });
});
