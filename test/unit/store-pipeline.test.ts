import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { storePipeline, loadPipeline } from '../../src-main/core/pipeline/store-pipeline.ts';
import { tee } from '../../src-main/core/pipeline/tee.ts';
import { collect, sha } from '../support/bytes.ts';



describe('store pipeline', () => {
  const raw = Buffer.concat([randomBytes(300_000), Buffer.from('compressible '.repeat(100_000))]);

  it.each([
    ['zstd only', { mode: 'none' as const }],
    ['zstd + age passphrase', { mode: 'passphrase' as const, passphrase: 'pw for the test', scryptLogN: 10 }],
  ])('%s: stored bytes hash as reported and load back to the raw bytes', async (_n, encryption) => {
    const { stream, done } = await storePipeline(Readable.from([raw]), { compression: 'zstd', compressionLevel: 3, encryption });
    const stored = await collect(stream);
    const d = await done;
    expect(d).toEqual({ rawBytes: raw.length, rawSha256: sha(raw), bytes: stored.length, sha256: sha(stored) });
    expect(stored.length).toBeLessThan(raw.length);
    const meta = { compression: 'zstd', encryption: encryption.mode === 'none' ? 'none' : 'age', rawSha256: d.rawSha256 };
    const { stream: back } = await loadPipeline(Readable.from([stored]), meta, encryption.mode === 'passphrase' ? { passphrase: encryption.passphrase } : {}, 'x');
    expect((await collect(back)).equals(raw)).toBe(true);
  });

  it('fails the load when the raw bytes differ from the manifest', async () => {
    const { stream, done } = await storePipeline(Readable.from([raw]), { compression: 'zstd', compressionLevel: 1, encryption: { mode: 'none' } });
    const stored = await collect(stream);
    await done;
    const { stream: back } = await loadPipeline(Readable.from([stored]), { compression: 'zstd', encryption: 'none', rawSha256: 'f'.repeat(64) }, {}, 'set/x.zst');
    await expect(collect(back)).rejects.toThrow(/unable to read artifact 'set\/x\.zst': the restored bytes' SHA-256 [0-9a-f]{64} differs from the manifest's f{64}/);
  });

  it('refuses a wrong passphrase with DECRYPT_FAILED', async () => {
    const { stream, done } = await storePipeline(Readable.from([raw]), { compression: 'none', compressionLevel: 1, encryption: { mode: 'passphrase', passphrase: 'right', scryptLogN: 10 } });
    const stored = await collect(stream);
    await done;
    await expect(loadPipeline(Readable.from([stored]), { compression: 'none', encryption: 'age' }, { passphrase: 'wrong' }, 'a')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('surfaces a source failure through `done` and never ends the output cleanly', async () => {
    const broken = new Readable({ read() { this.push(randomBytes(1000)); this.destroy(new Error('pg_dump exited with code 1')); } });
    const { stream, done } = await storePipeline(broken, { compression: 'zstd', compressionLevel: 1, encryption: { mode: 'none' } });
    await expect(Promise.all([collect(stream), done])).rejects.toThrow(/pg_dump exited with code 1/);
  });
});

describe('tee', () => {
  it('feeds every branch the same bytes and keeps going when one consumer fails', async () => {
    const data = randomBytes(5 * 1024 * 1024);
    const chunks = Array.from({ length: 80 }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    const [a, b, c] = tee(Readable.from(chunks), 3);
    let failedAfter = 0;
    const failing = new Writable({ write(chunk, _e, cb) { failedAfter += chunk.length; cb(failedAfter > 1_000_000 ? new Error('disk gone') : null); } });
    const [ra, rb, rc] = await Promise.allSettled([collect(a!), collect(b!), pipeline(c!, failing)]);
    expect(ra.status === 'fulfilled' && ra.value.equals(data)).toBe(true);
    expect(rb.status === 'fulfilled' && rb.value.equals(data)).toBe(true);
    expect(rc.status).toBe('rejected');
  });
});

describe('age format', () => {
  it('round-trips sizes around the 64 KiB chunk boundary', async () => {
    const { ageEncrypt, ageDecrypt } = await import('../../src-main/core/pipeline/age-crypt.ts');
    for (const size of [0, 1, 65535, 65536, 65537, 131072, 200_001]) {
      const data = randomBytes(size);
      const enc = await collect(await ageEncrypt(Readable.from([data]), { mode: 'passphrase', passphrase: 'pw', scryptLogN: 10 }));
      const back = await collect(await ageDecrypt(Readable.from([enc]), { passphrase: 'pw' }, 'x'));
      expect(back.equals(data), `size ${size}`).toBe(true);
    }
  });

  it('rejects a flipped bit and a payload cut at a chunk boundary', async () => {
    const { ageEncrypt, ageDecrypt } = await import('../../src-main/core/pipeline/age-crypt.ts');
    const data = randomBytes(200_000); // three full 64 KiB chunks and a final one of 3392 bytes
    const enc = await collect(await ageEncrypt(Readable.from([data]), { mode: 'passphrase', passphrase: 'pw', scryptLogN: 10 }));
    const tampered = Buffer.from(enc);
    tampered[tampered.length - 100] = tampered[tampered.length - 100]! ^ 1;
    await expect(collect(await ageDecrypt(Readable.from([tampered]), { passphrase: 'pw' }, 'x'))).rejects.toThrow();
    // Without its final chunk the stream ends on a chunk not flagged as last: it must not pass as complete.
    const cut = enc.subarray(0, enc.length - (3392 + 16));
    await expect(collect(await ageDecrypt(Readable.from([cut]), { passphrase: 'pw' }, 'x'))).rejects.toThrow();
  });
});

describe('seals', () => {
  it('ready the first file\'s seal ahead, give every file its own key, and open a file by its key only with its own header', async () => {
    const { SealSource, sealStream, ageDecrypt } = await import('../../src-main/core/pipeline/age-crypt.ts');
    const seals = new SealSource({ mode: 'passphrase', passphrase: 'pw', scryptLogN: 10 });
    const [a, b] = [await seals.next(), await seals.next()];
    expect(Buffer.from(a.fileKey).equals(Buffer.from(b.fileKey))).toBe(false);
    const data = randomBytes(150_000);
    const sealed = await collect(sealStream(Readable.from([data]), a));
    // The file's own key opens it, without the passphrase; so does the passphrase.
    expect((await collect(await ageDecrypt(Readable.from([sealed]), { fileKey: a.fileKey }, 'x'))).equals(data)).toBe(true);
    expect((await collect(await ageDecrypt(Readable.from([sealed]), { passphrase: 'pw' }, 'x'))).equals(data)).toBe(true);
    // Another file's key does not: the header's MAC is checked with the key given.
    await expect(ageDecrypt(Readable.from([sealed]), { fileKey: b.fileKey }, 'x')).rejects.toMatchObject({ code: 'DECRYPT_FAILED', message: expect.stringMatching(/HMAC/) });
  });

  it('fail the file that asks for a seal that cannot be made, and nothing else', async () => {
    const { SealSource } = await import('../../src-main/core/pipeline/age-crypt.ts');
    const seals = new SealSource({ mode: 'recipients', recipients: ['age1notakey'] });
    await new Promise((r) => setTimeout(r, 20));
    await expect(seals.next()).rejects.toThrow();
  });
});

describe('rechunk', () => {
  it('gathers small chunks into large ones, passes large ones through uncopied, and loses no byte', async () => {
    const { Rechunk } = await import('../../src-main/core/pipeline/rechunk.ts');
    const small = Array.from({ length: 32 }, () => randomBytes(4096));
    const big = randomBytes(200_000);
    const tail = randomBytes(10);
    const out: Buffer[] = [];
    await pipeline(Readable.from([...small, big, ...small.slice(0, 3), tail]), new Rechunk(64 * 1024), new Writable({ write(c: Buffer, _e, cb) { out.push(c); cb(); } }));
    expect(Buffer.concat(out).equals(Buffer.concat([...small, big, ...small.slice(0, 3), tail]))).toBe(true);
    expect(out.map((c) => c.length)).toEqual([65536, 65536, 200_000, 3 * 4096 + 10]);
    expect(out[2]).toBe(big);
  });
});
