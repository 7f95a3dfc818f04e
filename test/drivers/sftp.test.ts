import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeRetentionOnTarget, describeTargetContract, endlessSource, expectNotFound, readAll, sha } from '../contract/target-contract.ts';
import { startSshd, type SshdServer } from '../support/sshd-server.ts';
import { sftpDriver } from '../../src-main/core/targets/sftp/driver.ts';
import { SftpTarget } from '../../src-main/core/targets/sftp/sftp-target.ts';
import { withRetry } from '../../src-main/core/targets/decorators/with-retry.ts';
import { replayable } from '../../src-main/core/targets/decorators/replayable.ts';
import { isLifeboatError, type LifeboatError } from '../../src-main/core/errors/lifeboat-error.ts';
import type { Target } from '../../src-main/core/targets/target.ts';

let server: SshdServer;
let n = 0;

beforeAll(async () => { server = await startSshd(); });
afterAll(async () => { await server?.stop(); });

/** A fresh folder owned by the test user under its data folder. */
function freshDir(owner = true): string {
  const dir = path.join(server.dataDir, `t${++n}`);
  fs.mkdirSync(dir);
  if (owner) execFileSync('chown', [`${server.user}:${server.user}`, dir]);
  return dir;
}

function open(config: Record<string, unknown>, secret: string | null = server.password): Promise<Target> {
  const parsed = sftpDriver.configSchema.parse({ host: server.host, port: String(server.port), username: server.user, hostKeySha256: server.hostKeySha256(), ...config });
  return sftpDriver.open(parsed, { secret, home: server.dataDir });
}

async function code(p: Promise<unknown>): Promise<LifeboatError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(isLifeboatError(err), `expected a LifeboatError, got ${String(err)}`).toBe(true);
  return err as LifeboatError;
}

describeTargetContract('sftp (OpenSSH, password login)', async () => open({ path: freshDir() }));

describe('sftp host-key approval through the CLI', () => {
  it('target test stops at the unknown key; approve-key refuses a wrong fingerprint and stores the right one', async () => {
    const { main } = await import('../../src-main/cli/main.ts');
    const { Catalog } = await import('../../src-main/core/catalog/catalog.ts');
    const home = fs.mkdtempSync(path.join(server.dataDir, '..', 'clihome-'));
    const dir = freshDir();
    process.env.LB_TEST_SFTP_PW = server.password;
    const lb = (...args: string[]) => main(['node', 'lifeboat', '--home', home, ...args]);
    expect(await lb('target', 'add', 'nas', '--kind', 'sftp', '--path', dir, '--option', `host=${server.host}`, '--option', `port=${server.port}`, '--option', `username=${server.user}`, '--secret-env', 'LB_TEST_SFTP_PW')).toBe(0);
    const said: string[] = [];
    const spies = [process.stdout, process.stderr].map((s) => vi.spyOn(s, 'write').mockImplementation((chunk: string | Uint8Array) => { said.push(String(chunk)); return true; }));
    try {
      expect(await lb('target', 'test', 'nas')).toBe(1);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    // The hint is the command to copy, with this target's name and the key the server offered.
    expect(said.join('')).toContain(`lifeboat target approve-key nas ${server.hostKeySha256()}`);
    expect(await lb('target', 'approve-key', 'nas', 'SHA256:' + 'A'.repeat(43))).toBe(1);
    const config = () => { const c = new Catalog(path.join(home, 'catalog.db')); try { return c.targets.get('nas').config; } finally { c.close(); } };
    expect(config().hostKeySha256).toBeUndefined();
    expect(await lb('target', 'approve-key', 'nas', server.hostKeySha256())).toBe(0);
    expect(config().hostKeySha256).toBe(server.hostKeySha256());
    expect(await lb('target', 'test', 'nas')).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]); // the probe and its emptied folder were removed
  });
});

describe('sftp driver', () => {
  it('declares what OpenSSH offers: atomic rename, remote hash, free space', async () => {
    const t = await open({ path: freshDir() });
    expect(t.capabilities).toEqual({ atomicRename: true, remoteHash: true, freeSpace: true, removable: false });
    await t.close();
    const off = await open({ path: freshDir(), remoteHash: 'off' });
    expect(off.capabilities.remoteHash).toBe(false);
    expect(off.hash).toBeUndefined();
    await off.close();
  });

  it('logs in with ed25519 and RSA keys, with and without a passphrase; refuses wrong credentials', async () => {
    const dir = freshDir();
    for (const [key, pass] of [[server.keys.ed25519, null], [server.keys.rsa, null], [server.keys.ed25519WithPassphrase, server.keys.ed25519Passphrase]] as const) {
      const t = await open({ path: dir, privateKeyFile: key }, pass);
      await t.put(`k-${path.basename(key)}`, Readable.from([Buffer.from(key)]));
      await t.close();
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['k-id_ed25519', 'k-id_ed25519_pass', 'k-id_rsa']);
    expect((await code(open({ path: dir }, 'wrong-password'))).code).toBe('TARGET_AUTH_FAILED');
    expect((await code(open({ path: dir, privateKeyFile: server.keys.ed25519WithPassphrase }, 'wrong-passphrase'))).code).toBe('TARGET_AUTH_FAILED');
    expect((await code(open({ path: dir }, null))).code).toBe('CONFIG_INVALID');
    const missingRoot = await code(open({ path: path.join(dir, 'not-there') }));
    expect(missingRoot.code).toBe('TARGET_MISSING');
    expect(fs.existsSync(path.join(dir, 'not-there'))).toBe(false);
  });

  it('stops at an unapproved host key and shows its SHA256 fingerprint as ssh-keygen -lf does', async () => {
    const err = await code(open({ path: freshDir(), hostKeySha256: undefined }));
    expect(err.code).toBe('HOST_KEY_UNKNOWN');
    expect(err.message).toContain(server.hostKeySha256());
    expect(err.details?.fingerprint).toBe(server.hostKeySha256());
  });

  it('fails a path that is not writable with TARGET_NOT_WRITABLE and leaves no partial object', async () => {
    const dir = freshDir(false); // owned by root, mode 0755: the test user may read, not write
    const t = await open({ path: dir });
    const err = await code(t.put('lifeboat/x/data.dump', Readable.from([randomBytes(100_000)])));
    expect(err.code).toBe('TARGET_NOT_WRITABLE');
    expect(err.message).toMatch(/unable to .* 'sftp:\/\/.*lifeboat\/x\/data\.dump': permission denied/);
    expect(fs.readdirSync(dir)).toEqual([]);
    await t.close();
  });

  it('fails a full target with TARGET_FULL and leaves no partial object', async () => {
    const dir = freshDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=4m,uid=${uidOf(server.user)}`, 'tmpfs', dir]);
    try {
      const t = await open({ path: dir });
      const err = await code(t.put('big.bin', Readable.from([randomBytes(3 * 1024 * 1024), randomBytes(3 * 1024 * 1024)])));
      expect(err.code).toBe('TARGET_FULL');
      expect(fs.readdirSync(dir)).toEqual([]);
      await t.put('small.bin', Readable.from([randomBytes(1000)]));
      expect(fs.readdirSync(dir)).toEqual(['small.bin']);
      await t.close();
    } finally {
      execFileSync('umount', [dir]);
    }
  });

  it('loses the SSH session mid-upload: no object under the final name, the next put succeeds and cleans up', async () => {
    const dir = freshDir();
    const t = await open({ path: dir });
    let killed = 0;
    const err = await code(t.put('lifeboat/s/db/set/data.dump', endlessSource(() => { killed = server.killSessions(); }, 4 * 1024 * 1024)));
    expect(killed).toBeGreaterThan(0);
    expect(err.code).toBe('TARGET_UNREACHABLE');
    expect(err.retryable).toBe(true);
    expect(fs.existsSync(path.join(dir, 'lifeboat/s/db/set/data.dump'))).toBe(false);
    const body = randomBytes(2_000_000);
    await t.put('lifeboat/s/db/set/data.dump', Readable.from([body]));
    expect(sha(await readAll(await t.get('lifeboat/s/db/set/data.dump')))).toBe(sha(body));
    // The dead connection's temporary upload was removed once a new connection stood.
    expect((await t.list('lifeboat/')).map((o) => o.name)).toEqual(['lifeboat/s/db/set/data.dump']);
    await t.close();
  });

  it('retries a replayable put by policy when sessions keep dying, then fails cleanly; the next run succeeds', async () => {
    const dir = freshDir();
    const inner = await open({ path: dir });
    const retries: number[] = [];
    const t = withRetry(inner, { attempts: 3, baseDelayMs: 20, maxDelayMs: 50 }, { onRetry: (i) => retries.push(i.attempt) });
    let tries = 0;
    const src = replayable(() => { tries++; return endlessSource(() => server.killSessions(), 3 * 1024 * 1024); });
    const err = await code(t.put('lifeboat/s/db/set2/data.dump', src));
    expect(err.code).toBe('TARGET_UNREACHABLE');
    expect(tries).toBe(3);
    expect(retries).toEqual([1, 2]);
    await expectNotFound(t.stat('lifeboat/s/db/set2/data.dump'));
    // Not retryable: an unreplayable stream fails on the first try.
    let plainTries = 0;
    const plainErr = await code(t.put('lifeboat/s/db/set2/other', endlessSource(() => { plainTries++; server.killSessions(); }, 1024 * 1024)));
    expect(plainErr.code).toBe('TARGET_UNREACHABLE');
    expect(plainTries).toBe(1);
    const body = randomBytes(1_500_000);
    await t.put('lifeboat/s/db/set2/data.dump', replayable(() => Readable.from([body])));
    expect(await t.hash!('lifeboat/s/db/set2/data.dump')).toBe(sha(body));
    expect(fs.readdirSync(path.join(dir, 'lifeboat/s/db/set2'))).toEqual(['data.dump']);
    await t.close();
  });

  it('verifies a 500 MB object by remote hash without downloading it', async () => {
    const dir = freshDir();
    const t = (await open({ path: dir })) as SftpTarget;
    const block = randomBytes(1024 * 1024);
    const local = createHash('sha256');
    let i = 0;
    const src = new Readable({
      read() {
        if (i === 500) return this.push(null);
        const b = Buffer.from(block);
        b.writeUInt32BE(i++, 0); // every MiB differs
        local.update(b);
        this.push(b);
      },
    });
    const put = await t.put('lifeboat/big/data.dump', src);
    expect(put.bytes).toBe(500 * 1024 * 1024);
    const before = t.transferStats();
    const remote = await t.hash!('lifeboat/big/data.dump');
    const after = t.transferStats();
    expect(remote).toBe(local.digest('hex'));
    // A download would be 500 MB; the hash exchange is a few packets.
    expect(after.received - before.received).toBeLessThan(64 * 1024);
    expect(after.received - before.received).toBeGreaterThan(0);
    await t.remove('lifeboat/big/data.dump');
    await t.close();
  }, 180_000);

  it('hashes on the server with its fastest tool, whatever the name holds (spaces, quotes, non-ASCII, shell syntax)', async () => {
    const dir = freshDir();
    const t = (await open({ path: dir })) as SftpTarget;
    // OpenSSH's host here has openssl, which is preferred over sha256sum for its speed.
    expect(t.hashTool).toBe('openssl');
    const body = randomBytes(300_000);
    const names = ["h/it's a \"tést\" $(touch pwned) `id` ;&|*?.bin", 'h/ünïcødé — 数据/dump file.bin', "h/-n 'x'/new\nline.bin"];
    for (const name of names) {
      await t.put(name, Readable.from([body]));
      expect(await t.hash!(name), name).toBe(sha(body));
    }
    expect(fs.existsSync(path.join(server.dataDir, '..', 'pwned'))).toBe(false);
    await expectNotFound(t.hash!("h/it's missing"));
    // A folder is not an object.
    await expectNotFound(t.hash!('h'));
    await t.close();
  });

  it('a frozen server (the link up, nothing answering) fails put, get and hash by the stall watchdog, retryably; the next call reconnects', async () => {
    const dir = freshDir();
    const t = await open({ path: dir, stallSeconds: 1 });
    const body = randomBytes(12 * 1024 * 1024);
    await t.put('s/ok.bin', Readable.from([body]));
    try {
      // put: the sessions freeze after 2 MiB went out, with writes in flight.
      let t0 = 0;
      const putErr = await code(t.put('s/frozen.bin', endlessSource(() => { server.freezeSessions(); t0 = Date.now(); }, 2 * 1024 * 1024)));
      expect(putErr.code).toBe('TARGET_UNREACHABLE');
      expect(putErr.retryable).toBe(true);
      expect(putErr.message).toMatch(/^unable to write object 'sftp:.*\/s\/frozen\.bin': no progress for 1 s \(the connection stalled\)$/);
      expect(Date.now() - t0).toBeLessThan(5000);
      server.thawSessions();

      // get: opened on a live session, then the server freezes before the first block is read.
      const r = await t.get('s/ok.bin');
      server.freezeSessions();
      const getErr = await code(readAll(r));
      expect(getErr.code).toBe('TARGET_UNREACHABLE');
      expect(getErr.message).toMatch(/^unable to read object '.*s\/ok\.bin': no progress for 1 s/);
      server.thawSessions();

      // hash: the exec channel waits for a command that prints nothing until it is done; the connection is
      // checked every stall period instead.
      await t.stat('s/ok.bin');
      server.freezeSessions();
      t0 = Date.now();
      const hashErr = await code(t.hash!('s/ok.bin'));
      expect(hashErr.code).toBe('TARGET_UNREACHABLE');
      expect(hashErr.message).toMatch(/no progress for 1 s/);
      expect(Date.now() - t0).toBeLessThan(6000);
      server.thawSessions();

      // a plain request (stat) on a frozen server
      await t.stat('s/ok.bin');
      server.freezeSessions();
      expect((await code(t.stat('s/ok.bin'))).code).toBe('TARGET_UNREACHABLE');
      server.thawSessions();
    } finally {
      server.thawSessions();
    }
    // Each failure dropped its connection; the next calls dial again and work.
    expect(sha(await readAll(await t.get('s/ok.bin')))).toBe(sha(body));
    expect(await t.hash!('s/ok.bin')).toBe(sha(body));
    expect((await t.list('s/')).map((o) => o.name)).toEqual(['s/ok.bin']);
    await t.close();
  });

  // Last: it replaces the server's host key.
  it('refuses a changed host key with HOST_KEY_CHANGED naming both keys, and uploads nothing', async () => {
    const dir = freshDir();
    const approved = server.hostKeySha256();
    const first = await open({ path: dir, hostKeySha256: approved });
    await first.put('run1/data.dump', Readable.from([Buffer.from('first run')]));
    await first.close();
    await server.rotateHostKey();
    const now = server.hostKeySha256();
    expect(now).not.toBe(approved);
    const err = await code(open({ path: dir, hostKeySha256: approved }));
    expect(err.code).toBe('HOST_KEY_CHANGED');
    expect(err.message).toContain(approved);
    expect(err.message).toContain(now);
    expect(fs.readdirSync(dir)).toEqual(['run1']);
    expect(fs.readdirSync(path.join(dir, 'run1'))).toEqual(['data.dump']);
    // Re-approved, it works again.
    const again = await open({ path: dir, hostKeySha256: now });
    await again.put('run2/data.dump', Readable.from([Buffer.from('second run')]));
    expect(fs.readdirSync(dir).sort()).toEqual(['run1', 'run2']);
    await again.close();
  });
});

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

describeRetentionOnTarget('sftp', async () => {
  const dir = freshDir();
  const old = new Date(Date.now() - 2 * 86_400_000);
  return { target: await open({ path: dir }), age: async (name: string) => fs.utimesSync(path.join(dir, name), old, old) };
});
