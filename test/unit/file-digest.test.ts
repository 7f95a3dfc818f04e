import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestFile } from '../../src-main/core/pipeline/file-digest.ts';
import { FolderTarget } from '../../src-main/core/targets/local/folder-target.ts';
import { UncFolderTarget } from '../../src-main/core/targets/smb/unc-target.ts';
import { hashObject } from '../../src-main/core/verify/hash-object.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-digest-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// 9 MB that no two 1 MiB reads see alike, so a lost, repeated or reordered read changes the digest.
const large = Buffer.concat(Array.from({ length: 9 }, (_, i) => Buffer.concat([Buffer.alloc(1024 * 1024 - 7, i + 1), Buffer.from(`part ${i}`)])));
fs.writeFileSync(path.join(dir, 'large.bin'), large);
const small = Buffer.from('CREATE ROLE plant_operator;\n'.repeat(100));
fs.writeFileSync(path.join(dir, 'small.sql'), small);

describe('digestFile', () => {
  it('hashes a large file in a byte thread and a small one here, both exactly', async () => {
    expect(await digestFile(path.join(dir, 'large.bin'), large.length)).toEqual({ bytes: large.length, sha256: sha(large) });
    // Again: the thread came back to the pool and takes a second job.
    expect(await digestFile(path.join(dir, 'large.bin'), large.length)).toEqual({ bytes: large.length, sha256: sha(large) });
    expect(await digestFile(path.join(dir, 'small.sql'), small.length)).toEqual({ bytes: small.length, sha256: sha(small) });
  });

  it('fails with the system\'s code for a file it cannot read', async () => {
    await expect(digestFile(path.join(dir, 'gone.bin'), 64 * 1024 * 1024)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(digestFile(path.join(dir, 'gone.sql'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(digestFile(dir, 64 * 1024 * 1024)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('hashing where the object lives', () => {
  it('is what a folder on this machine does: the check reports the digest as taken in place', async () => {
    const t = new FolderTarget({ path: dir });
    expect(t.capabilities.remoteHash).toBe(true);
    expect(await hashObject(t, 'large.bin')).toEqual({ sha256: sha(large), bytes: large.length, remote: true });
    await expect(t.hash!('missing.bin')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
  });

  it('is not what a share reached by a UNC path does: that reads the object back', async () => {
    const t = new UncFolderTarget({ path: dir });
    expect(t.capabilities.remoteHash).toBe(false);
    expect(t.hash).toBeUndefined();
    expect(await hashObject(t, 'large.bin')).toEqual({ sha256: sha(large), bytes: large.length, remote: false });
  });
});
