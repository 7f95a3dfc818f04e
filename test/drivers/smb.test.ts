import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRetentionOnTarget, describeTargetContract, readAll, sha } from '../contract/target-contract.ts';
import { startSamba, type SambaServer } from '../support/samba-server.ts';
import { smbDriver } from '../../src-main/core/targets/smb/driver.ts';
import { isLifeboatError, type LifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';
import type { Target } from '../../src-main/core/targets/target.ts';

const servers: Record<'signing' | 'encryption', SambaServer | undefined> = { signing: undefined, encryption: undefined };
let n = 0;

beforeAll(async () => {
  servers.signing = await startSamba('signing');
  servers.encryption = await startSamba('encryption');
});
afterAll(async () => {
  await servers.signing?.stop();
  await servers.encryption?.stop();
});

function open(s: SambaServer, config: Record<string, unknown> = {}, secret: string | null = s.password): Promise<Target> {
  const parsed = smbDriver.configSchema.parse({ host: s.host, port: String(s.port), share: s.share, username: s.user, encrypt: s.variant === 'encryption' ? 'true' : 'false', ...config });
  return smbDriver.open(parsed, { secret, home: '/nonexistent' });
}

/** A fresh folder inside the share, as the target's root. */
function freshRoot(s: SambaServer): string {
  const name = `root ${++n}`;
  fs.mkdirSync(path.join(s.shareDir, name));
  fs.chownSync(path.join(s.shareDir, name), fs.statSync(s.shareDir).uid, fs.statSync(s.shareDir).gid);
  return name;
}

async function failure(p: Promise<unknown>): Promise<LifeboatError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(isLifeboatError(err), `expected a LifeboatError, got ${String(err)}`).toBe(true);
  return err as LifeboatError;
}

describeTargetContract('smb via smbclient (Samba, SMB3, signing required)', async () => open(servers.signing!, { path: freshRoot(servers.signing!) }));
describeTargetContract('smb via smbclient (Samba, SMB3, encryption required)', async () => open(servers.encryption!, { path: freshRoot(servers.encryption!) }));

describe('smb driver', () => {
  it('writes through to the share folder on the server, byte for byte', async () => {
    const s = servers.encryption!;
    const root = freshRoot(s);
    const t = await open(s, { path: root });
    const body = randomBytes(5 * 1024 * 1024 + 3);
    await t.put('lifeboat/srv/db/set/data.dump', Readable.from([body]));
    expect(sha(fs.readFileSync(path.join(s.shareDir, root, 'lifeboat/srv/db/set/data.dump')))).toBe(sha(body));
    expect(sha(await readAll(await t.get('lifeboat/srv/db/set/data.dump')))).toBe(sha(body));
  });

  it('refuses a wrong password with TARGET_AUTH_FAILED', async () => {
    const err = await failure(open(servers.signing!, { path: '' }, 'not-the-password'));
    expect(err.code).toBe('TARGET_AUTH_FAILED');
    expect(err.message).toContain('NT_STATUS_LOGON_FAILURE');
    expect(err.message).not.toContain('not-the-password');
  });

  it('refuses a missing share and a missing root folder with TARGET_MISSING, creating nothing', async () => {
    const s = servers.signing!;
    const share = await failure(open(s, { share: 'no-such-share' }));
    expect(share.code).toBe('TARGET_MISSING');
    expect(share.message).toMatch(/no share of that name/);
    const folder = await failure(open(s, { path: 'not there/either' }));
    expect(folder.code).toBe('TARGET_MISSING');
    expect(fs.existsSync(path.join(s.shareDir, 'not there'))).toBe(false);
  });

  it('fails a read-only share with TARGET_NOT_WRITABLE and leaves nothing', async () => {
    const s = servers.signing!;
    const t = await open(s, { share: s.readonlyShare });
    const err = await failure(t.put('lifeboat/x/data.dump', Readable.from([randomBytes(10_000)])));
    expect(err.code).toBe('TARGET_NOT_WRITABLE');
    expect(fs.readdirSync(s.readonlyDir)).toEqual(['existing.txt']);
  });

  it('fails a full share with TARGET_FULL and leaves no partial object', async () => {
    const s = servers.signing!;
    const t = await open(s, { share: s.smallShare });
    const err = await failure(t.put('big.bin', Readable.from([randomBytes(3 * 1024 * 1024), randomBytes(3 * 1024 * 1024)])));
    expect(err.code).toBe('TARGET_FULL');
    expect(fs.readdirSync(s.smallDir)).toEqual([]);
    await t.put('small.bin', Readable.from([randomBytes(1000)]));
    expect(fs.readdirSync(s.smallDir)).toEqual(['small.bin']);
    await t.remove('small.bin');
  });

  it('never puts the password on a command line', async () => {
    const s = servers.signing!;
    const t = await open(s, { path: freshRoot(s) });
    let seen = 0;
    let leaked = false;
    let reads = 0;
    const src = new Readable({
      read() {
        if (++reads > 64) return this.push(null);
        // While smbclient runs, read every process's argv as any local user could.
        for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
          let cmd = '';
          try { cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
          if (cmd.includes('smbclient')) seen++;
          if (cmd.includes(s.password)) leaked = true;
        }
        this.push(Buffer.alloc(32 * 1024, 1));
      },
    });
    await t.put('argv-check.bin', src);
    expect(seen).toBeGreaterThan(0);
    expect(leaked).toBe(false);
  });
});

describeRetentionOnTarget('smb (Samba, encryption required)', async () => {
  const s = servers.encryption!;
  const root = freshRoot(s);
  const old = new Date(Date.now() - 2 * 86_400_000);
  return { target: await open(s, { path: root }), age: async (name: string) => fs.utimesSync(path.join(s.shareDir, root, name), old, old) };
});
